"""Administrator overrides as CSV: `date,kind,name,reference`.

The format is what an administrator edits in a spreadsheet each year when the Government announces
the swaps (hoán đổi ngày làm việc) for civil servants. Loading is strict and reports every bad line
at once, because a silently ignored line would shift real deadlines.
"""

from __future__ import annotations

import csv
import io
import os
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Final, cast

from app.calendar.core import OVERRIDE_KINDS, Override, OverrideKind

__all__ = [
    "CSV_COLUMNS",
    "OverrideCSVError",
    "dump_overrides_csv",
    "load_overrides_csv",
    "parse_overrides_csv",
    "shipped_overrides",
]

CSV_COLUMNS: Final = ("date", "kind", "name", "reference")
SHIPPED_FILE: Final = "swaps_vn.csv"


class OverrideCSVError(ValueError):
    """One or more invalid lines; `errors` holds one message per problem ("line N: ...").

    `messages_vi` holds the same problems in Vietnamese ("Dòng N: ..."), in the same order, for the
    administrator's page.
    """

    def __init__(
        self, errors: list[str], origin: str = "overrides CSV", messages_vi: list[str] | None = None
    ):
        self.errors = list(errors)
        self.origin = origin
        self.messages_vi = list(messages_vi) if messages_vi is not None else list(errors)
        super().__init__(f"{origin}: " + "; ".join(self.errors))


class _Problems:
    """Problems collected in English (logs, tests) and Vietnamese (the administrator's page)."""

    def __init__(self) -> None:
        self.en: list[str] = []
        self.vi: list[str] = []

    def add(self, line: int, en: str, vi: str) -> None:
        self.en.append(f"line {line}: {en}")
        self.vi.append(f"Dòng {line}: {vi}")

    def __len__(self) -> int:
        return len(self.en)


def _read_text(path_or_text: str | os.PathLike[str]) -> tuple[str, str]:
    """(text, origin). A str holding a newline or starting with the header is CSV text, else a path."""
    if isinstance(path_or_text, os.PathLike):
        path = Path(path_or_text)
        return path.read_text(encoding="utf-8-sig"), str(path)
    if "\n" in path_or_text or path_or_text.lstrip("\ufeff").startswith("date,"):
        return path_or_text.lstrip("\ufeff"), "overrides CSV"
    path = Path(path_or_text)
    return path.read_text(encoding="utf-8-sig"), str(path)


def _parse_date(text: str) -> date | None:
    try:
        if len(text) != 10:
            return None
        return date.fromisoformat(text)
    except ValueError:
        return None


def load_overrides_csv(path_or_text: str | os.PathLike[str]) -> list[Override]:
    """Parse and validate overrides from a file path or CSV text; see `parse_overrides_csv`.

    Only for trusted input (the shipped file, an operator's command line): a one-line `str` that is
    not CSV is taken as a path. Text that arrives from a user goes to `parse_overrides_csv`.
    """
    text, origin = _read_text(path_or_text)
    return parse_overrides_csv(text, origin)


def parse_overrides_csv(text: str, origin: str = "overrides CSV") -> list[Override]:
    """Parse and validate CSV text; raise `OverrideCSVError` listing every problem.

    Rules: the header must be exactly `date,kind,name,reference`; dates are ISO `YYYY-MM-DD`; kind is
    `off` or `work`; name and reference are required; a date may appear only once. Blank lines are
    ignored, surrounding spaces are trimmed, a UTF-8 BOM (spreadsheet export) is accepted.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), skipinitialspace=True)
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != CSV_COLUMNS:
        got = ",".join(header or [])
        raise OverrideCSVError(
            [f"line 1: header must be exactly {','.join(CSV_COLUMNS)!r}, got {got!r}"],
            origin,
            [f"Dòng 1: dòng tiêu đề phải đúng là «{','.join(CSV_COLUMNS)}», tệp có «{got}»"],
        )
    problems = _Problems()
    result: list[Override] = []
    seen: dict[date, int] = {}
    for row in reader:
        if not row or all(not cell.strip() for cell in row):
            continue
        override = _parse_row(row, reader.line_num, seen, problems)
        if override is not None:
            result.append(override)
    if problems:
        raise OverrideCSVError(problems.en, origin, problems.vi)
    return result


def _parse_row(row: list[str], line: int, seen: dict[date, int], problems: _Problems) -> Override | None:
    if len(row) != len(CSV_COLUMNS):
        problems.add(
            line,
            f"expected 4 columns (date,kind,name,reference), got {len(row)}",
            f"cần đúng 4 cột (date,kind,name,reference), dòng này có {len(row)}",
        )
        return None
    raw_date, raw_kind, name, reference = (cell.strip() for cell in row)
    before = len(problems)
    day = _parse_date(raw_date)
    if day is None:
        problems.add(
            line,
            f"bad date {raw_date!r} (expected YYYY-MM-DD, e.g. 2025-04-26)",
            f"ngày «{raw_date}» không hợp lệ (viết theo dạng YYYY-MM-DD, ví dụ 2025-04-26)",
        )
    kind = raw_kind.lower()
    if kind not in OVERRIDE_KINDS:
        problems.add(
            line,
            f"unknown kind {raw_kind!r} (expected 'off' or 'work')",
            f"loại «{raw_kind}» không hợp lệ (off = ngày nghỉ, work = ngày làm việc)",
        )
    if not name:
        problems.add(line, "name is required", "thiếu tên ngày (cột name)")
    if not reference:
        problems.add(
            line,
            "reference is required (the announcing document, "
            "e.g. 'Thông báo 6150/TB-LĐTBXH ngày 03/12/2024')",
            "thiếu căn cứ (cột reference: văn bản thông báo, "
            "ví dụ «Thông báo 6150/TB-LĐTBXH ngày 03/12/2024»)",
        )
    if day is not None:
        if day in seen:
            problems.add(
                line,
                f"duplicate date {day.isoformat()} (first on line {seen[day]})",
                f"ngày {day:%d/%m/%Y} bị trùng (đã có ở dòng {seen[day]})",
            )
        else:
            seen[day] = line
    if len(problems) > before or day is None:
        return None
    return Override(day, cast(OverrideKind, kind), name, reference)


def dump_overrides_csv(overrides: list[Override] | tuple[Override, ...]) -> str:
    """CSV text (header first, rows by date) that `load_overrides_csv` reads back unchanged."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for o in sorted(overrides, key=lambda item: item.date):
        writer.writerow((o.date.isoformat(), o.kind, o.name, o.reference))
    return out.getvalue()


@cache
def _shipped() -> tuple[Override, ...]:
    text = resources.files("app.calendar").joinpath("data", SHIPPED_FILE).read_text(encoding="utf-8-sig")
    return tuple(parse_overrides_csv(text, SHIPPED_FILE))


def shipped_overrides() -> list[Override]:
    """The swaps and days off announced for civil servants that ship with DonDoc (2024-2026).

    See docs/calendar.md for the document behind each line.
    """
    return list(_shipped())

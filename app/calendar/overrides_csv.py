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

__all__ = ["CSV_COLUMNS", "OverrideCSVError", "dump_overrides_csv", "load_overrides_csv", "shipped_overrides"]

CSV_COLUMNS: Final = ("date", "kind", "name", "reference")
SHIPPED_FILE: Final = "swaps_vn.csv"


class OverrideCSVError(ValueError):
    """One or more invalid lines; `errors` holds one message per problem ("line N: ...")."""

    def __init__(self, errors: list[str], origin: str = "overrides CSV") -> None:
        self.errors = list(errors)
        self.origin = origin
        super().__init__(f"{origin}: " + "; ".join(self.errors))


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
    """Parse and validate overrides; raise `OverrideCSVError` listing every problem.

    Rules: the header must be exactly `date,kind,name,reference`; dates are ISO `YYYY-MM-DD`; kind is
    `off` or `work`; name and reference are required; a date may appear only once. Blank lines are
    ignored, surrounding spaces are trimmed, a UTF-8 BOM (spreadsheet export) is accepted.
    """
    text, origin = _read_text(path_or_text)
    reader = csv.reader(io.StringIO(text), skipinitialspace=True)
    errors: list[str] = []
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != CSV_COLUMNS:
        raise OverrideCSVError(
            [f"line 1: header must be exactly {','.join(CSV_COLUMNS)!r}, got {','.join(header or [])!r}"],
            origin,
        )
    result: list[Override] = []
    seen: dict[date, int] = {}
    for row in reader:
        line = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(CSV_COLUMNS):
            errors.append(f"line {line}: expected 4 columns (date,kind,name,reference), got {len(row)}")
            continue
        raw_date, raw_kind, name, reference = (cell.strip() for cell in row)
        line_errors: list[str] = []
        day = _parse_date(raw_date)
        if day is None:
            line_errors.append(f"line {line}: bad date {raw_date!r} (expected YYYY-MM-DD, e.g. 2025-04-26)")
        kind = raw_kind.lower()
        if kind not in OVERRIDE_KINDS:
            line_errors.append(f"line {line}: unknown kind {raw_kind!r} (expected 'off' or 'work')")
        if not name:
            line_errors.append(f"line {line}: name is required")
        if not reference:
            line_errors.append(
                f"line {line}: reference is required (the announcing document, "
                "e.g. 'Thông báo 6150/TB-LĐTBXH ngày 03/12/2024')"
            )
        if day is not None:
            if day in seen:
                line_errors.append(
                    f"line {line}: duplicate date {day.isoformat()} (first on line {seen[day]})"
                )
            else:
                seen[day] = line
        if line_errors or day is None:
            errors.extend(line_errors)
            continue
        result.append(Override(day, cast(OverrideKind, kind), name, reference))
    if errors:
        raise OverrideCSVError(errors, origin)
    return result


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
    return tuple(load_overrides_csv(text))


def shipped_overrides() -> list[Override]:
    """The swaps and days off announced for civil servants that ship with DonDoc (2024-2026).

    See docs/calendar.md for the document behind each line.
    """
    return list(_shipped())

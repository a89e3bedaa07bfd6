"""The administrator's changes to the working-day calendar: add, change, remove, import, seed.

Each change is audited with the date, what it was before and the document it rests on, then writes
the new calendar stamp (`calendar_service.calendar_changed`) so that every process switches to the
new calendar. Deadlines already computed do not move here: the administrator previews and applies
that separately (`deadline_moves.preview`, `deadline_moves.apply`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app import clock
from app.calendar import (
    Override,
    OverrideCSVError,
    dump_overrides_csv,
    parse_overrides_csv,
    shipped_overrides,
)
from app.extensions import db
from app.forms.coerce import parse_user_date
from app.i18n_marker import N_
from app.models import CalendarOverride, User
from app.services import audit
from app.services.calendar_service import as_override, calendar_changed, overrides_in_force, stored_overrides

KIND_LABELS = {"off": N_("Ngày nghỉ"), "work": N_("Ngày làm việc (làm bù)")}
MAX_CSV_BYTES = 256 * 1024

__all__ = [
    "KIND_LABELS",
    "MAX_CSV_BYTES",
    "ImportResult",
    "OverrideCSVError",
    "OverrideInvalid",
    "export_csv",
    "import_csv",
    "parse_override",
    "remove_override",
    "seed_shipped",
    "set_override",
]


class OverrideInvalid(ValueError):
    """Input refused; `errors` maps a form field to a Vietnamese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class ImportResult:
    added: int = 0
    changed: int = 0
    unchanged: int = 0


def parse_override(day: str, kind: str, name: str, reference: str) -> Override:
    """Check the add form (dates typed dd/mm/yyyy or ISO); every problem is reported at once."""
    errors: dict[str, str] = {}
    iso = parse_user_date(day) if day.strip() else None
    if not day.strip():
        errors["date"] = "Vui lòng nhập ngày (dd/mm/yyyy)."
    elif iso is None:
        errors["date"] = f"Ngày «{day}» không hợp lệ (nhập theo dạng dd/mm/yyyy, ví dụ 02/01/2026)."
    if kind not in KIND_LABELS:
        errors["kind"] = "Vui lòng chọn ngày nghỉ hoặc ngày làm việc."
    if not name.strip():
        errors["name"] = "Vui lòng nhập tên ngày (ví dụ «Nghỉ hoán đổi Tết Dương lịch»)."
    if not reference.strip():
        errors["reference"] = (
            "Vui lòng nhập căn cứ: số, ký hiệu và ngày của văn bản thông báo "
            "(ví dụ «Công văn 12729/VPCP-KGVX ngày 25/12/2025»)."
        )
    if errors or iso is None:
        raise OverrideInvalid(errors)
    return Override(
        date.fromisoformat(iso), "work" if kind == "work" else "off", name.strip(), reference.strip()
    )


def _row(day: date) -> CalendarOverride | None:
    row: CalendarOverride | None = db.session.scalar(
        select(CalendarOverride).where(CalendarOverride.day == day)
    )
    return row


def _shipped(day: date) -> Override | None:
    return next((o for o in shipped_overrides() if o.date == day), None)


def _describe(override: Override | None) -> dict[str, str] | None:
    if override is None:
        return None
    return {"kind": override.kind, "name": override.name, "reference": override.reference}


def _in_force(day: date) -> Override | None:
    """What decides `day` now: its active row, else the shipped line if no row exists."""
    row = _row(day)
    if row is not None:
        return as_override(row) if row.is_active else None
    return _shipped(day)


def _store(actor: User | None, override: Override, origin: str) -> tuple[str, Override | None]:
    """Write one override; returns ("added" | "changed" | "unchanged", what it replaced)."""
    before = _in_force(override.date)
    if before == override:
        return "unchanged", before
    now, actor_id = clock.now(), actor.id if actor else None
    values = {
        "kind": override.kind,
        "name": override.name,
        "reference": override.reference,
        "origin": origin,
        "is_active": True,
        "removal_reference": None,
        "changed_by_id": actor_id,
        "changed_at": now,
    }
    row = _row(override.date)
    if row is None:
        db.session.add(CalendarOverride(day=override.date, created_at=now, **values))
    else:
        for key, value in values.items():
            setattr(row, key, value)
    return ("added" if before is None else "changed"), before


def _audit_set(actor: User | None, override: Override, before: Override | None, via: str) -> None:
    audit.record(
        "calendar_override_set",
        actor_id=actor.id if actor else None,
        details={
            "date": override.date.isoformat(),
            **(_describe(override) or {}),
            "before": _describe(before),
            "via": via,
        },
    )


def set_override(actor: User, override: Override) -> str:
    """Add an override, or change the one for its date; returns "added", "changed" or "unchanged"."""
    outcome, before = _store(actor, override, "admin")
    if outcome != "unchanged":
        _audit_set(actor, override, before, "form")
        calendar_changed()
    return outcome


def remove_override(actor: User, day: date, reference: str) -> Override:
    """Remove the override for `day` (the date falls back to holidays and weekends).

    A shipped line is removed by keeping a removed row for its date, so no later set-up restores it.
    """
    if not reference.strip():
        raise OverrideInvalid(
            {"reference": "Vui lòng nhập căn cứ của việc xoá (văn bản đính chính, thông báo mới...)."}
        )
    before = _in_force(day)
    if before is None:
        raise OverrideInvalid({"date": f"Ngày {day:%d/%m/%Y} không có điều chỉnh nào để xoá."})
    now, actor_id = clock.now(), actor.id
    row = _row(day)
    if row is None:
        row = CalendarOverride(
            day=day,
            kind=before.kind,
            name=before.name,
            reference=before.reference,
            origin="shipped",
            created_at=now,
            changed_at=now,
        )
        db.session.add(row)
    row.is_active, row.removal_reference = False, reference.strip()
    row.changed_by_id, row.changed_at = actor_id, now
    audit.record(
        "calendar_override_removed",
        actor_id=actor.id,
        details={
            "date": day.isoformat(),
            **(_describe(before) or {}),
            "removal_reference": reference.strip(),
        },
    )
    calendar_changed()
    return before


def import_csv(actor: User | None, data: bytes, filename: str) -> ImportResult:
    """Add or change every line of an uploaded `date,kind,name,reference` file; lines not in the
    file are left as they are. Raises `OverrideCSVError` (line-numbered) and changes nothing."""
    if len(data) > MAX_CSV_BYTES:
        raise OverrideCSVError(
            [f"file larger than {MAX_CSV_BYTES} bytes"],
            filename,
            [f"Tệp quá lớn (tối đa {MAX_CSV_BYTES // 1024} KB)."],
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise OverrideCSVError(
            ["file is not UTF-8 text"], filename, ["Tệp không phải văn bản UTF-8 (hãy lưu dạng CSV UTF-8)."]
        ) from exc
    result = ImportResult()
    for override in parse_overrides_csv(text, filename):
        outcome, before = _store(actor, override, "import")
        setattr(result, outcome, getattr(result, outcome) + 1)
        if outcome != "unchanged":
            _audit_set(actor, override, before, f"csv:{filename}")
    audit.record(
        "calendar_imported",
        actor_id=actor.id if actor else None,
        details={
            "file": filename,
            "added": result.added,
            "changed": result.changed,
            "unchanged": result.unchanged,
        },
    )
    if result.added or result.changed:
        calendar_changed()
    return result


def export_csv(year: int | None = None) -> str:
    """The overrides in force (shipped and the administrator's), as the CSV `import_csv` reads."""
    overrides = overrides_in_force(stored_overrides())
    return dump_overrides_csv([o for o in overrides if year is None or o.date.year == year])


def seed_shipped() -> int:
    """Store the shipped lines whose date has no row yet (first set-up, demo seed, a new release).

    Idempotent: a date the administrator changed or removed keeps its row and is never overwritten.
    """
    days = set(db.session.scalars(select(CalendarOverride.day)))
    now = clock.now()
    added = 0
    for override in shipped_overrides():
        if override.date in days:
            continue
        db.session.add(
            CalendarOverride(
                day=override.date,
                kind=override.kind,
                name=override.name,
                reference=override.reference,
                origin="shipped",
                is_active=True,
                changed_at=now,
                created_at=now,
            )
        )
        added += 1
    if added:
        audit.record("calendar_seeded", actor_id=None, details={"file": "swaps_vn.csv", "added": added})
        calendar_changed()
    return added

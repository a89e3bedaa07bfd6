"""The report schedule of the active regulation profile, read from the deployed decision table.

`bpmn/rules/report_schedule.dmn` holds, per profile, which periodic reports exist and their dates
(R13), each row with its citation. The table is deployed with `periodic_report`; the scheduler
reads the deployed copy, so the dates the scheduler plans and the dates the running process
computes come from one table. (The R7 update window is `result_entry_window.dmn`, read through
`app.services.rule_tables.result_window_days`.)

Dates are "the named day, or the next working day when it is a day off" (Civil Code 2015 art. 148):
`report_date` is also a script function, so the process computes them the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.i18n_marker import N_
from app.models import AppSetting, ProcessModelVersion
from app.services import rules as profiles
from app.services.calendar_service import current_calendar
from app.workflow import WorkflowError, evaluate_decision

PROCESS_ID = "periodic_report"
AGENCY_PROCESS_ID = "agency_report"
DECISION_ID = "report_schedule"
VARIANT_KEY = "reports.schedule_variant"

KIND_SEQS: dict[str, tuple[int, ...]] = {
    "month": tuple(range(1, 13)),
    "quarter": (1, 2, 3, 4),
    "half_year": (1,),
    "nine_months": (1,),
    "year": (1,),
}
KIND_LABELS = {
    "month": N_("Báo cáo tháng"),
    "quarter": N_("Báo cáo quý"),
    "half_year": N_("Báo cáo 6 tháng"),
    "nine_months": N_("Báo cáo 9 tháng"),
    "year": N_("Báo cáo năm"),
    "ad_hoc": N_("Báo cáo đột xuất"),
}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class PlannedReport:
    kind: str
    seq: int
    year: int
    period_start: date
    agency_due_on: date
    office_due_on: date
    opens_on: date
    citation: str

    @property
    def title(self) -> str:
        return period_title(self.kind, self.seq, self.year)


def _setting(key: str) -> Any:
    row = db.session.get(AppSetting, key)
    return row.value if row is not None else None


def active_profile() -> str | None:
    """The profile in force (`app.services.rules.active_profile`: the setting, else the catalogue's
    default); a profile without rows in the schedule (Hưng Yên) has ad hoc reports only."""
    return profiles.active_profile()


def schedule_variant() -> str:
    """The administrator's choice where a text contradicts itself; "" keeps the table's default."""
    value = _setting(VARIANT_KEY)
    return str(value) if value else ""


def set_schedule_variant(value: str) -> None:
    row = db.session.get(AppSetting, VARIANT_KEY)
    if row is None:
        db.session.add(AppSetting(key=VARIANT_KEY, value=value))
    else:
        row.value = value


def schedule_table() -> str:
    """The decision table deployed with the active periodic_report version (its bundle only: the
    version row also holds the compiled process, which is large and not needed here)."""
    bundle = db.session.scalar(
        select(ProcessModelVersion.bundle).where(
            ProcessModelVersion.process_id == PROCESS_ID, ProcessModelVersion.is_active.is_(True)
        )
    )
    if bundle is None:
        raise WorkflowError(f"Chưa triển khai quy trình '{PROCESS_ID}'.")
    text: str = bundle["dmn"]["report_schedule.dmn"]
    return text


def rule(kind: str, seq: int, profile: str | None = None) -> dict[str, Any]:
    """The outputs of the table's row for (profile, variant, kind, seq), {} when it has none. The
    table is UNIQUE, like every table (the modeler's lint refuses overlapping rows)."""
    inputs = {
        "profile": profile if profile is not None else (active_profile() or ""),
        "variant": schedule_variant(),
        "kind": kind,
        "seq": seq,
    }
    rows = evaluate_decision(schedule_table().encode(), DECISION_ID, inputs)
    return rows[0] if rows else {}


def report_date(year: Any, month: Any, day: Any) -> str:
    """ISO date of day/month/year, moved to the next working day when it is a day off (art. 148)."""
    return current_calendar().roll_forward(date(int(year), int(month), int(day))).isoformat()


def working_days_before(day: Any, days: Any) -> str:
    """ISO date `days` working days before `day` (reminders before a deadline)."""
    current = date.fromisoformat(str(day)[:10])
    calendar = current_calendar()
    remaining = int(days)
    while remaining > 0:
        current -= timedelta(days=1)
        if calendar.is_working_day(current):
            remaining -= 1
    return current.isoformat()


def period_start(kind: str, seq: int, year: int) -> date:
    if kind == "month":
        return date(year, seq, 1)
    if kind == "quarter":
        return date(year, 3 * seq - 2, 1)
    return date(year, 1, 1)


def period_title(kind: str, seq: int, year: int) -> str:
    if kind == "month":
        return f"Báo cáo tháng {seq} năm {year}"
    if kind == "quarter":
        return f"Báo cáo quý {ROMAN.get(seq, seq)} năm {year}"
    if kind == "half_year":
        return f"Báo cáo 6 tháng đầu năm {year}"
    if kind == "nine_months":
        return f"Báo cáo 9 tháng năm {year}"
    return f"Báo cáo năm {year}"


def planned_reports(year: int, profile: str) -> list[PlannedReport]:
    """Every periodic report the profile requires in `year`, with its dates, in date order."""
    planned = []
    for kind, seqs in KIND_SEQS.items():
        for seq in seqs:
            row = rule(kind, seq, profile)
            if not row or row.get("agency_month") is None:
                continue
            agency = date.fromisoformat(report_date(year, row["agency_month"], row["agency_day"]))
            office = date.fromisoformat(report_date(year, row["office_month"], row["office_day"]))
            opens = date.fromisoformat(working_days_before(agency, row["open_working_days_before"] or 0))
            planned.append(
                PlannedReport(
                    kind, seq, year, period_start(kind, seq, year), agency, office, opens, row["citation"]
                )
            )
    return sorted(planned, key=lambda p: (p.agency_due_on, p.kind))


SCRIPT_FUNCTIONS: dict[str, Callable[..., str]] = {
    "report_date": report_date,
    "working_days_before": working_days_before,
}

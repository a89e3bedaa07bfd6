"""The weekly table of overdue tasks (R11; Appendix 01 of the Lào Cai text, 004:13.1, 004:14.1).

Every week, on the day of `weekly_overdue_policy` (Friday; the last working day before it when
that Friday is a day off), the Office's columns 1-8 are generated per unit from the `task`
projection and sent to the unit; the unit fills columns 9-14 (situation, cause, expected date,
confirmation, related documents) in the app. One table per unit and week.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from app import clock
from app.calendar import WorkingCalendar
from app.extensions import db
from app.models import Directive, OverdueReport, OverdueReportRow, Role, Task, Unit, User
from app.services import audit, notifications
from app.services.authz import OVERSIGHT_ROLES, has_role
from app.services.calendar_service import current_calendar
from app.services.reminders import REMINDED_STATUSES
from app.services.rule_tables import WeeklyPolicy

SITUATIONS = {
    "not_started": "Chưa triển khai",
    "in_progress": "Đang triển khai",
    "done": "Hoàn thành",
}
FILL_REQUEST = (
    "Vui lòng cập nhật tình hình thực hiện (cột 9-14: nguyên nhân, thời gian dự kiến hoàn thành, "
    "xác nhận hoàn thành, văn bản liên quan) trên hệ thống."
)
UNIT_ROLES = {Role.FOCAL_OFFICER, Role.AGENCY_HEAD, Role.SECTION_HEAD, Role.OFFICER}


class RowInvalid(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def report_day(calendar: WorkingCalendar, monday: date, weekday: int) -> date | None:
    """The policy's weekday of that week, or the last working day before it; None if the week has none."""
    day = monday + timedelta(days=weekday)
    while day >= monday:
        if calendar.is_working_day(day):
            return day
        day -= timedelta(days=1)
    return None


def due_week(today: date, policy: WeeklyPolicy) -> tuple[date, date] | None:
    """(Monday, report day) of the week whose table is due by `today`, if any."""
    if not policy.is_enabled:
        return None
    monday = week_start(today)
    day = report_day(current_calendar(), monday, policy.weekday)
    if day is None or today < day:
        return None
    return monday, day


def overdue_tasks(on: date, unit_id: int | None = None) -> list[Task]:
    """Open tasks whose deadline day ended before `on` (the R4 category "overdue")."""
    query = select(Task).where(Task.status.in_([str(s) for s in REMINDED_STATUSES]), Task.due_on < on)
    if unit_id is not None:
        query = query.where(Task.lead_unit_id == unit_id)
    return list(db.session.scalars(query.order_by(Task.lead_unit_id, Task.due_on, Task.id)))


def units_to_report(on: date, monday: date) -> list[int]:
    """Units with overdue tasks and no table for this week yet."""
    done = select(OverdueReport.unit_id).where(OverdueReport.week_start == monday)
    return list(
        db.session.scalars(
            select(Task.lead_unit_id)
            .where(
                Task.status.in_([str(s) for s in REMINDED_STATUSES]),
                Task.due_on < on,
                Task.lead_unit_id.not_in(done),
            )
            .group_by(Task.lead_unit_id)
            .order_by(Task.lead_unit_id)
        )
    )


def generate(unit_id: int, monday: date, on: date, *, now: datetime | None = None) -> OverdueReport:
    """Snapshot columns 1-8 for one unit and notify its focal officer and head (flushes first:
    the unique (unit, week) key stops a second generator before any notice is written)."""
    now = now or clock.now()
    calendar = current_calendar()
    unit = db.session.get(Unit, unit_id)
    assert unit is not None
    tasks = overdue_tasks(on, unit_id)
    report = OverdueReport(
        unit_id=unit_id,
        week_start=monday,
        week_end=monday + timedelta(days=4),
        report_on=on,
        generated_at=now,
        row_count=len(tasks),
    )
    report.rows = [_row(i, task, on, calendar) for i, task in enumerate(tasks, start=1)]
    db.session.add(report)
    db.session.flush()
    audit.record(
        "overdue_report_generated",
        actor_id=None,
        details={
            "report_id": report.id,
            "unit": unit.code,
            "week_start": monday.isoformat(),
            "rows": len(tasks),
        },
        at=now,
    )
    recipients = [
        user
        for role in (Role.FOCAL_OFFICER, Role.AGENCY_HEAD)
        for user in notifications.users_with_role(role, unit_id)
    ]
    notifications.notify_users(
        recipients,
        notifications.Notice(
            kind="weekly_overdue_table",
            title=f"Bảng nhiệm vụ quá hạn tuần {_week_label(report)}: {len(tasks)} nhiệm vụ của {unit.name}",
            body=FILL_REQUEST,
            link=f"/overdue-reports/{report.id}",
        ),
        dedup=f"weekly:{unit_id}:{monday.isoformat()}",
        now=now,
    )
    return report


def _row(seq: int, task: Task, on: date, calendar: WorkingCalendar) -> OverdueReportRow:
    directive: Directive = task.directive
    assert task.due_on is not None
    return OverdueReportRow(
        seq=seq,
        task_id=task.id,
        reference=directive.reference,
        summary=directive.summary,
        content=task.content,
        doc_date=directive.issued_on,
        due_on=task.due_on,
        days_overdue=max(calendar.working_days_between(task.due_on, on), 1),
        unit_name=task.lead_unit.name,
    )


def _week_label(report: OverdueReport) -> str:
    return f"{report.week_start:%d/%m}-{report.week_end:%d/%m/%Y}"


def notify_offices(monday: date, reports: list[OverdueReport], *, now: datetime | None = None) -> None:
    """The Office's copy: the second table of Appendix 01 (overdue tasks per unit), one notice."""
    if not reports:
        return
    offices = {
        office_id
        for report in reports
        for office_id in db.session.scalars(
            select(Directive.office_unit_id)
            .join(Task, Task.directive_id == Directive.id)
            .join(OverdueReportRow, OverdueReportRow.task_id == Task.id)
            .where(OverdueReportRow.report_id == report.id)
            .distinct()
        )
    }
    total = sum(r.row_count for r in reports)
    for office_id in sorted(offices):
        users = [
            user
            for role in (Role.OFFICE_OFFICER, Role.OFFICE_CHIEF)
            for user in notifications.users_with_role(role, office_id)
        ]
        notifications.notify_users(
            users,
            notifications.Notice(
                kind="weekly_overdue_table",
                title=f"Tổng hợp nhiệm vụ quá hạn tuần {_week_label(reports[0])}: "
                f"{total} nhiệm vụ, {len(reports)} đơn vị",
                body="\n".join(f"{r.unit.name}: {r.row_count}" for r in reports),
                link=f"/overdue-reports/?week={monday.isoformat()}",
            ),
            dedup=f"weekly-office:{office_id}:{monday.isoformat()}",
            now=now,
        )


def week_reports(user: User, monday: date) -> list[OverdueReport]:
    """The week's tables this user may see: all for oversight roles, their own units' otherwise."""
    query = select(OverdueReport).where(OverdueReport.week_start == monday)
    if not has_role(user, *OVERSIGHT_ROLES):
        query = query.where(OverdueReport.unit_id.in_([r.unit_id for r in user.roles]))
    return list(db.session.scalars(query.join(Unit).order_by(Unit.name)))


def weeks(limit: int = 12) -> list[date]:
    return list(
        db.session.scalars(
            select(OverdueReport.week_start)
            .group_by(OverdueReport.week_start)
            .order_by(OverdueReport.week_start.desc())
            .limit(limit)
        )
    )


def total_rows(monday: date) -> int:
    return int(
        db.session.scalar(select(func.sum(OverdueReport.row_count)).where(OverdueReport.week_start == monday))
        or 0
    )


def can_view(user: User, report: OverdueReport) -> bool:
    return has_role(user, *OVERSIGHT_ROLES) or any(r.unit_id == report.unit_id for r in user.roles)


def can_fill(user: User, report: OverdueReport) -> bool:
    """Columns 9-14 are the unit's: its focal officer, head, section heads and officers fill them."""
    return any(r.unit_id == report.unit_id and r.role in UNIT_ROLES for r in user.roles)


def parse_row(form: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    situation = str(form.get("situation") or "")
    if situation not in SITUATIONS:
        errors["situation"] = "Chọn tình hình thực hiện."
    cause = str(form.get("cause") or "").strip() or None
    confirmation = str(form.get("confirmation") or "").strip() or None
    documents = str(form.get("related_documents") or "").strip() or None
    expected = form.get("expected_on")
    expected_on: date | None = None
    if expected:
        try:
            expected_on = expected if isinstance(expected, date) else date.fromisoformat(str(expected))
        except ValueError:
            errors["expected_on"] = "Ngày không hợp lệ (dd/mm/yyyy)."
    if situation in {"not_started", "in_progress"}:
        if not cause:
            errors["cause"] = "Vui lòng nêu nguyên nhân chậm."
        if expected_on is None and "expected_on" not in errors:
            errors["expected_on"] = "Vui lòng nhập thời gian dự kiến hoàn thành."
    if situation == "done" and not confirmation:
        errors["confirmation"] = "Vui lòng xác nhận kết quả hoàn thành."
    if errors:
        raise RowInvalid(errors)
    return {
        "situation": situation,
        "cause": cause if situation != "done" else None,
        "expected_on": expected_on if situation != "done" else None,
        "confirmation": confirmation if situation == "done" else None,
        "related_documents": documents,
    }


def fill_row(user: User, row: OverdueReportRow, values: dict[str, Any]) -> OverdueReportRow:
    if not can_fill(user, row.report):
        raise PermissionError("Chỉ đơn vị thực hiện được cập nhật các cột 9-14.")
    for key, value in values.items():
        setattr(row, key, value)
    row.filled_by_id, row.filled_at = user.id, clock.now()
    audit.record(
        "overdue_row_filled",
        actor_id=user.id,
        task_id=row.task_id,
        directive_id=db.session.get(Task, row.task_id).directive_id,  # type: ignore[union-attr]
        details={
            "report_id": row.report_id,
            "situation": row.situation,
            "cause": row.cause,
            "expected_on": row.expected_on.isoformat() if row.expected_on else None,
            "confirmation": row.confirmation,
        },
    )
    return row

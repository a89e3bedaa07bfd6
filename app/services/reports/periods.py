"""Opening report periods: by the schedule of the active profile (a daily job) or on request.

`start_due_report_periods(now)` is the job the scheduler runs: for every Office it opens each
periodic report whose opening day has come and whose period is not open yet. It is idempotent (the
`period_key` is unique) and safe to run as often as wanted; it never commits (the job does).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import clock
from app.extensions import db
from app.models import ReportPeriod, Role, Unit, User
from app.services import audit
from app.services.reports import rules
from app.services.reports.scope import OFFICE_KIND, agencies_under
from app.workflow import start_instance

REQUESTER_ROLES = {Role.LEADER, Role.OFFICE_CHIEF}


class ReportRequestInvalid(ValueError):
    """An ad hoc request refused; `errors` maps a field to a Vietnamese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class AdHocRequest:
    title: str
    agency_due_on: date
    office_due_on: date
    unit_ids: list[int]
    note: str = ""


def office_units() -> list[Unit]:
    return list(
        db.session.scalars(
            select(Unit).where(Unit.kind == OFFICE_KIND, Unit.is_active.is_(True)).order_by(Unit.id)
        )
    )


def scope_of_office(office: Unit) -> Unit:
    return office.parent if office.parent is not None else office


def period_key(kind: str, year: int, seq: int, office: Unit) -> str:
    return f"{kind}:{year}:{seq}:office={office.id}"


def _process_data(period: ReportPeriod, office: Unit, extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "report_period_id": period.id,
        "kind": period.kind,
        "seq": period.seq,
        "year": period.year,
        "profile": period.profile or "",
        "variant": rules.schedule_variant(),
        "office_unit_id": office.id,
        "province_unit_id": scope_of_office(office).id,
        **extra,
    }


def open_period(
    office: Unit,
    period: ReportPeriod,
    *,
    now: datetime,
    actor_id: int | None,
    extra: dict[str, Any] | None = None,
) -> ReportPeriod:
    """Store the period and start its process; the process opens the agencies' reports."""
    db.session.add(period)
    db.session.flush()
    audit.record(
        "report_period_opened",
        actor_id=actor_id,
        details={"report_period_id": period.id, "title": period.title, "kind": period.kind},
        at=now,
    )
    instance = start_instance(
        rules.PROCESS_ID, _process_data(period, office, extra or {}), now=now, actor_id=actor_id
    )
    period.instance_id = instance.id
    return period


def _planned_period(office: Unit, plan: rules.PlannedReport, profile: str, now: datetime) -> ReportPeriod:
    return ReportPeriod(
        period_key=period_key(plan.kind, plan.year, plan.seq, office),
        kind=plan.kind,
        year=plan.year,
        seq=plan.seq,
        title=plan.title,
        period_start=plan.period_start,
        cutoff_on=plan.agency_due_on,
        agency_due_on=plan.agency_due_on,
        office_due_on=plan.office_due_on,
        citation=plan.citation,
        profile=profile,
        office_unit_id=office.id,
        scope_unit_id=scope_of_office(office).id,
        status="opening",
        consolidated={},
        created_at=now,
    )


def start_due_report_periods(now: datetime) -> list[ReportPeriod]:
    """Open every periodic report due to open at `now` (idempotent; the caller commits).

    A period opens on its opening day (a number of working days before the agencies' deadline, from
    the schedule table) and can still open until the Office's own deadline, so a server that was
    down for a few days catches up; a period whose whole timetable has passed is not opened.
    """
    profile = rules.active_profile()
    if profile is None:
        return []
    today = now.astimezone(clock.VIETNAM).date()
    plans = [p for year in (today.year, today.year + 1) for p in rules.planned_reports(year, profile)]
    opened = []
    for office in office_units():
        for plan in plans:
            if not plan.opens_on <= today <= plan.office_due_on:
                continue
            key = period_key(plan.kind, plan.year, plan.seq, office)
            if db.session.scalar(select(ReportPeriod.id).where(ReportPeriod.period_key == key)):
                continue
            try:
                with db.session.begin_nested():
                    opened.append(
                        open_period(
                            office, _planned_period(office, plan, profile, now), now=now, actor_id=None
                        )
                    )
            except IntegrityError:  # another scheduler opened it a moment ago
                continue
    return opened


def requester_office(user: User) -> Unit | None:
    """The Office a leader or Office chief asks for a report: theirs, or the one serving their unit."""
    for role in user.roles:
        if role.role not in REQUESTER_ROLES:
            continue
        if role.unit.kind == OFFICE_KIND:
            unit: Unit = role.unit
            return unit
        office: Unit | None = db.session.scalar(
            select(Unit).where(Unit.parent_id == role.unit_id, Unit.kind == OFFICE_KIND).limit(1)
        )
        if office is not None:
            return office
    return None


def can_request(user: User) -> bool:
    return requester_office(user) is not None


def parse_ad_hoc(form: dict[str, Any], today: date, office: Unit) -> AdHocRequest:
    """Check an ad hoc request field by field; every problem is reported at once."""
    errors: dict[str, str] = {}
    title = str(form.get("title") or "").strip()
    if len(title) < 5:
        errors["title"] = "Vui lòng nhập tên báo cáo (ít nhất 5 ký tự)."
    dates: dict[str, date | None] = {}
    for key in ("agency_due_on", "office_due_on"):
        try:
            dates[key] = date.fromisoformat(str(form.get(key) or ""))
        except ValueError:
            dates[key] = None
            errors[key] = "Ngày không hợp lệ (dd/mm/yyyy)."
    agency, office_due = dates["agency_due_on"], dates["office_due_on"]
    if agency and agency < today:
        errors["agency_due_on"] = "Hạn cơ quan gửi không được trước hôm nay."
    if agency and office_due and office_due < agency:
        errors["office_due_on"] = "Hạn Văn phòng tổng hợp phải từ hạn cơ quan gửi trở về sau."
    allowed = {u.id for u in agencies_under(scope_of_office(office))}
    unit_ids = [int(u) for u in form.get("unit_ids") or [] if str(u).isdigit()]
    if not unit_ids or not set(unit_ids) <= allowed:
        errors["unit_ids"] = "Chọn ít nhất một cơ quan phải báo cáo."
    if errors:
        raise ReportRequestInvalid(errors)
    assert agency is not None and office_due is not None
    return AdHocRequest(title, agency, office_due, unit_ids, str(form.get("note") or "").strip())


def request_ad_hoc(user: User, request: AdHocRequest) -> ReportPeriod:
    """Open an ad hoc report on the Chairman's request, with the deadlines he sets (R13)."""
    office = requester_office(user)
    if office is None:
        raise PermissionError("Chỉ lãnh đạo hoặc Chánh Văn phòng được yêu cầu báo cáo đột xuất.")
    now = clock.now()
    today = clock.today()
    count = db.session.scalar(
        select(func.count(ReportPeriod.id)).where(
            ReportPeriod.kind == "ad_hoc",
            ReportPeriod.year == today.year,
            ReportPeriod.office_unit_id == office.id,
        )
    )
    period = ReportPeriod(
        period_key=f"ad_hoc:{today.year}:{uuid.uuid4().hex}:office={office.id}",
        kind="ad_hoc",
        year=today.year,
        seq=int(count or 0) + 1,
        title=request.title,
        period_start=date(today.year, 1, 1),
        cutoff_on=request.agency_due_on,
        agency_due_on=request.agency_due_on,
        office_due_on=request.office_due_on,
        profile=rules.active_profile(),
        office_unit_id=office.id,
        scope_unit_id=scope_of_office(office).id,
        status="opening",
        requested_by_id=user.id,
        request_note=request.note or None,
        consolidated={},
        created_at=now,
    )
    extra = {
        "agency_due_on": request.agency_due_on.isoformat(),
        "office_due_on": request.office_due_on.isoformat(),
        "unit_ids": request.unit_ids,
    }
    return open_period(office, period, now=now, actor_id=user.id, extra=extra)

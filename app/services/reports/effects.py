"""`update_report(stage=...)`: what the report models ask of the domain at each step.

The periodic report process calls it when the period opens, when the Office starts and submits the
consolidation, and when the leadership approves or sends back; the agency process when an agency
submits, is late, or the period closed without its report. Each stage changes the report rows,
records an audit event, and where needed starts or signals the other processes, all in the step's
transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import AgencyReport, ProcessInstance, ReportPeriod, Unit
from app.services import audit
from app.services.reports import rules, snapshots
from app.services.reports.scope import agencies_under
from app.workflow import StepContext, WorkflowError, WorkItemNotReady, deliver_message, start_instance

COLLECTED_MESSAGE = "reports_collected"
CLOSED_MESSAGE = "period_closed"


def update_report(args: dict[str, Any], context: StepContext) -> None:
    args = dict(args)
    stage = str(args.pop("stage", ""))
    if context.data.get("agency_report_id") is not None:
        report = db.session.get(AgencyReport, int(context.data["agency_report_id"]))
        handler = AGENCY_STAGES.get(stage)
        if report is None or handler is None:
            raise WorkflowError(f"update_report: không xử lý được bước '{stage}' của báo cáo cơ quan.")
        handler(report, args, context)
        return
    period = db.session.get(ReportPeriod, int(context.data.get("report_period_id") or 0))
    period_handler = PERIOD_STAGES.get(stage)
    if period is None or period_handler is None:
        raise WorkflowError(f"update_report: không xử lý được bước '{stage}' của kỳ báo cáo.")
    period_handler(period, args, context)


def _record(action: str, context: StepContext, details: dict[str, Any]) -> None:
    audit.record(
        action, actor_id=context.actor_id, instance_id=context.instance.id, details=details, at=context.now
    )


def _iso(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def _today(context: StepContext) -> date:
    from app.clock import VIETNAM

    return context.now.astimezone(VIETNAM).date()


# -- the period ---------------------------------------------------------------------------------


def _open(period: ReportPeriod, args: dict[str, Any], context: StepContext) -> None:
    """Dates computed by the process become the period's; one agency process per agency starts."""
    period.instance_id = context.instance.id
    period.agency_due_on = _iso(args.get("agency_due_on"))
    period.office_due_on = _iso(args.get("office_due_on"))
    period.approval_due_on = _iso(args.get("approval_due_on"))
    period.cutoff_on = period.agency_due_on or period.cutoff_on
    period.citation = str(args.get("citation") or period.citation or "") or None
    period.status = "collecting"
    wanted = context.data.get("unit_ids")
    units = agencies_under(period.scope_unit)
    if wanted:
        units = [u for u in units if u.id in {int(i) for i in wanted}]
    for unit in units:
        _start_agency_report(period, unit, str(args.get("reminder_on") or period.agency_due_on), context)
    _record(
        "report_period_collecting",
        context,
        {
            "report_period_id": period.id,
            "agencies": [u.code for u in units],
            "due_on": str(period.agency_due_on),
        },
    )


def _start_agency_report(period: ReportPeriod, unit: Unit, reminder_on: str, context: StepContext) -> None:
    report = AgencyReport(
        period_id=period.id, unit_id=unit.id, status="pending", due_on=period.agency_due_on, content={}
    )
    db.session.add(report)
    db.session.flush()
    instance = start_instance(
        rules.AGENCY_PROCESS_ID,
        {
            "agency_report_id": report.id,
            "report_period_id": period.id,
            "reporting_unit_id": unit.id,
            # R7: an agency not connected to the system reports on paper; the Office enters it.
            "submitter_unit_id": unit.id if unit.is_connected else period.office_unit_id,
            "submitter_role": "focal_officer" if unit.is_connected else "office_officer",
            "office_unit_id": period.office_unit_id,
            "due_on": period.agency_due_on.isoformat() if period.agency_due_on else None,
            "reminder_on": reminder_on,
        },
        now=context.now,
        actor_id=context.actor_id,
    )
    report.instance_id = instance.id


def _consolidating(period: ReportPeriod, args: dict[str, Any], context: StepContext) -> None:
    period.status = "consolidating"
    _record("report_consolidation_started", context, {"report_period_id": period.id})


def _awaiting_approval(period: ReportPeriod, args: dict[str, Any], context: StepContext) -> None:
    period.consolidated = {
        **(period.consolidated or {}),
        "summary": str(args.get("summary") or ""),
        "obstacles": str(args.get("obstacles") or ""),
        "proposals": str(args.get("proposals") or ""),
    }
    period.status = "awaiting_approval"
    _record("report_submitted_for_approval", context, {"report_period_id": period.id})


def _sent_back(period: ReportPeriod, args: dict[str, Any], context: StepContext) -> None:
    comment = str(args.get("comment") or "")
    period.consolidated = {**(period.consolidated or {}), "leader_comment": comment}
    period.status = "consolidating"
    _record("report_sent_back", context, {"report_period_id": period.id, "comment": comment})


def _approved(period: ReportPeriod, args: dict[str, Any], context: StepContext) -> None:
    """Freeze the figures, publish when the leader chose to, close agencies' reports still open."""
    comment = str(context.data.get("comment") or "")
    period.consolidated = {**(period.consolidated or {}), "leader_comment": comment}
    period.figures = snapshots.period_figures(period)
    period.status = "approved"
    period.approved_at = context.now
    period.approved_by_id = context.actor_id
    period.is_published = bool(args.get("publish"))
    _record(
        "report_approved",
        context,
        {"report_period_id": period.id, "published": period.is_published, "total": period.figures["total"]},
    )
    for report in period.agency_reports:
        if report.status == "pending" and report.instance_id is not None:
            _signal(report.instance_id, CLOSED_MESSAGE, context)


def _signal(instance_id: int, message: str, context: StepContext) -> None:
    instance = db.session.get(ProcessInstance, instance_id)
    if instance is None or instance.status != "running":
        return
    try:
        deliver_message(instance, message, {}, now=context.now, actor_id=context.actor_id)
    except WorkItemNotReady:  # the process is no longer waiting for it: nothing to do
        return


# -- an agency's report -------------------------------------------------------------------------


def _submitted(report: AgencyReport, args: dict[str, Any], context: StepContext) -> None:
    period = report.period
    today = _today(context)
    report.status = "submitted"
    report.submitted_at = context.now
    report.submitted_by_id = context.actor_id
    report.is_late = report.is_late or (report.due_on is not None and today > report.due_on)
    report.content = {
        "assessment": str(args.get("assessment") or ""),
        "obstacles": str(args.get("obstacles") or ""),
        "proposals": str(args.get("proposals") or ""),
        "figures_confirmed": bool(context.data.get("figures_confirmed", True)),
        "figures_note": str(context.data.get("figures_note") or ""),
    }
    report.figures = snapshots.agency_figures(report, min(today, period.cutoff_on))
    _record(
        "agency_report_submitted",
        context,
        {"report_period_id": period.id, "unit": report.unit.code, "late": report.is_late},
    )
    db.session.flush()
    pending = db.session.scalar(
        select(AgencyReport.id).where(AgencyReport.period_id == period.id, AgencyReport.status == "pending")
    )
    if pending is None and period.status == "collecting" and period.instance_id is not None:
        _signal(period.instance_id, COLLECTED_MESSAGE, context)


def _overdue(report: AgencyReport, args: dict[str, Any], context: StepContext) -> None:
    report.is_late = True
    _record(
        "agency_report_overdue", context, {"report_period_id": report.period_id, "unit": report.unit.code}
    )


def _not_submitted(report: AgencyReport, args: dict[str, Any], context: StepContext) -> None:
    report.status = "not_submitted"
    _record(
        "agency_report_not_submitted",
        context,
        {"report_period_id": report.period_id, "unit": report.unit.code},
    )


PERIOD_STAGES: dict[str, Callable[[ReportPeriod, dict[str, Any], StepContext], None]] = {
    "open": _open,
    "consolidating": _consolidating,
    "awaiting_approval": _awaiting_approval,
    "sent_back": _sent_back,
    "approved": _approved,
}
AGENCY_STAGES: dict[str, Callable[[AgencyReport, dict[str, Any], StepContext], None]] = {
    "submitted": _submitted,
    "overdue": _overdue,
    "not_submitted": _not_submitted,
}

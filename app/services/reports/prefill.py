"""What a report work item shows and pre-fills: the figures computed from the register.

An agency opening "Gửi báo cáo định kỳ" sees its own figures at the period's cut-off and finds
the form pre-filled (an assessment sentence, the tasks it marked as having obstacles); the Office
opening "Tổng hợp báo cáo" sees every agency's figures and the agencies' obstacles and proposals
gathered into its form; the leader approving sees the consolidated report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import AgencyReport, ProcessInstance, ReportPeriod, User, WorkItem
from app.services.reports import rules
from app.services.reports.scope import build_scope
from app.services.reports.summary import Figures, Filters, Report, compute


@dataclass
class ReportPanel:
    period: ReportPeriod
    report: Report
    as_of: date
    agency_report: AgencyReport | None = None
    prefill: dict[str, Any] = field(default_factory=dict)


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}".replace(".", ",") + "%"


def describe(figures: Figures, who: str) -> str:
    """One sentence a clerk can keep or rewrite."""
    return (
        f"Trong kỳ, {who} được giao {figures.received} nhiệm vụ: hoàn thành đúng hạn "
        f"{figures.completed_on_time}, hoàn thành quá hạn {figures.completed_late}, đang thực hiện trong "
        f"hạn {figures.in_progress_on_time}, quá hạn {figures.overdue}; tỷ lệ đúng hạn "
        f"{percent(figures.on_time_rate)}."
    )


def panel_for(item: WorkItem, viewer: User | None = None) -> ReportPanel | None:
    """The report context of a work item of the report processes, or None for any other item.
    Its task lists keep what `viewer` may open."""
    process = db.session.scalar(
        select(ProcessInstance.process_id).where(ProcessInstance.id == item.instance_id)
    )
    if process == rules.AGENCY_PROCESS_ID:
        return _agency_panel(item, Filters(viewer=viewer))
    if process == rules.PROCESS_ID:
        return _office_panel(item, Filters(viewer=viewer))
    return None


def _as_of(period: ReportPeriod) -> date:
    return min(clock.today(), period.cutoff_on)


def _agency_panel(item: WorkItem, filters: Filters) -> ReportPanel | None:
    report_row = db.session.scalar(select(AgencyReport).where(AgencyReport.instance_id == item.instance_id))
    if report_row is None:
        return None
    period = report_row.period
    as_of = _as_of(period)
    scope = build_scope(period.scope_unit, only_unit=report_row.unit)
    report = compute(scope, period.period_start, as_of, filters)
    total = report.total
    obstacles = "\n".join(f"- {t.reference}: {t.content}" for t in report.obstacles if not t.confidential)
    prefill = {
        "assessment": describe(total, report_row.unit.name),
        "obstacles": obstacles or "Không có khó khăn, vướng mắc.",
        "proposals": "Không có.",
    }
    return ReportPanel(period, report, as_of, report_row, prefill)


def _office_panel(item: WorkItem, filters: Filters) -> ReportPanel | None:
    period = db.session.scalar(select(ReportPeriod).where(ReportPeriod.instance_id == item.instance_id))
    if period is None:
        return None
    as_of = _as_of(period)
    report = compute(build_scope(period.scope_unit), period.period_start, as_of, filters)
    prefill: dict[str, Any] = {}
    if item.form == "consolidate_report.json":
        prefill = {
            "summary": (period.consolidated or {}).get("summary") or describe(report.total, "các cơ quan"),
            "obstacles": (period.consolidated or {}).get("obstacles") or _gathered(period, "obstacles"),
            "proposals": (period.consolidated or {}).get("proposals") or _gathered(period, "proposals"),
        }
    return ReportPanel(period, report, as_of, None, prefill)


def _gathered(period: ReportPeriod, key: str) -> str:
    lines = [
        f"- {r.unit.name}: {r.content.get(key, '').strip()}"
        for r in period.agency_reports
        if r.status == "submitted" and r.content.get(key, "").strip()
    ]
    return "\n".join(lines) or "Không có."

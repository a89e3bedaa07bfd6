"""Figures frozen into a report when an agency submits it or the leadership approves it.

A submitted or approved report must read the same later even though the register moves on (a task
completed next month, a late result entered): the figures are computed once, at the period's
cut-off, and stored with the report.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.models import AgencyReport, ReportPeriod
from app.services.reports.scope import build_scope
from app.services.reports.summary import compute


def period_figures(period: ReportPeriod) -> dict[str, Any]:
    report = compute(build_scope(period.scope_unit), period.period_start, period.cutoff_on)
    figures = report.to_json()
    figures["overdue_count"] = len(report.overdue)
    return figures


def agency_figures(agency_report: AgencyReport, as_of: date) -> dict[str, Any]:
    period = agency_report.period
    scope = build_scope(period.scope_unit, only_unit=agency_report.unit)
    return compute(scope, period.period_start, as_of, with_lists=False).to_json()

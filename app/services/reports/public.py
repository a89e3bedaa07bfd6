"""The public page (no login): published aggregate results and tasks marked public.

Ninh Thuận publishes the results on the provincial portal (001:19.2) and inspection conclusions are
published (001:17.3.b). Only aggregates of approved, published reports are shown, and a task's
content only when the Office marked the task public and its directive is not confidential. Every
query here selects the few columns it shows, so nothing else can leak through a template. The
published inspection conclusions come from the inspection service
(`app.services.inspections.publication.published_conclusions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import Directive, ReportPeriod, Task, Unit
from app.services.task_status import report_category

PUBLIC_CONFIDENTIALITY = "normal"


@dataclass(frozen=True)
class PublicTask:
    reference: str
    issued_on: date
    content: str
    unit_name: str
    due_on: date | None
    category: str | None


def published_periods() -> list[ReportPeriod]:
    return list(
        db.session.scalars(
            select(ReportPeriod)
            .where(ReportPeriod.status == "approved", ReportPeriod.is_published.is_(True))
            .order_by(ReportPeriod.cutoff_on.desc())
        )
    )


def published_period(period_id: int) -> ReportPeriod | None:
    period = db.session.get(ReportPeriod, period_id)
    if period is None or period.status != "approved" or not period.is_published or not period.figures:
        return None
    return period


def public_rows(period: ReportPeriod) -> list[dict[str, Any]]:
    """Only the counts and rate of each unit, from the figures frozen at approval."""
    keys = ("name", "received", "completed_on_time", "completed_late", "in_progress_on_time", "overdue")
    figures = period.figures or {}
    rows = [
        {k: row[k] for k in keys} | {"on_time_rate": row["on_time_rate"]} for row in figures.get("rows", [])
    ]
    total = figures.get("total", {})
    rows.append(
        {
            "name": "Tổng cộng",
            **{k: total.get(k, 0) for k in keys[1:]},
            "on_time_rate": total.get("on_time_rate"),
        }
    )
    return rows


def public_tasks(limit: int = 200) -> list[PublicTask]:
    today = clock.today()
    query = (
        select(
            Directive.number,
            Directive.symbol,
            Directive.issued_on,
            Task.content,
            Unit.name,
            Task.due_on,
            Task.status,
            Task.completed_on,
        )  # fmt: skip
        .join(Directive, Directive.id == Task.directive_id)
        .join(Unit, Unit.id == Task.lead_unit_id)
        .where(Task.is_public.is_(True), Directive.confidentiality == PUBLIC_CONFIDENTIALITY)
        .order_by(Directive.issued_on.desc(), Task.id)
        .limit(limit)
    )
    return [
        PublicTask(
            f"{number}/{symbol}", issued, content, unit, due, report_category(status, due, done, today)
        )
        for number, symbol, issued, content, unit, due, status, done in db.session.execute(query)
    ]

"""Dashboard data: the four categories, on-time rate by unit, monthly trend, overdue heat map, and
the task list behind every bar, slice and cell (drill-down) with the same filters.

Charts get plain numbers and the parameters that select their list; the page draws them. Each
series is one grouped query.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import Directive, Task, Unit
from app.services.reports.categories import CATEGORIES, category_at, on_time_rate
from app.services.reports.scope import Scope
from app.services.reports.sql import year_month
from app.services.reports.summary import (
    LIST_COLUMNS,
    Filters,
    OverdueTask,
    Report,
    compute,
    listed_task,
    period_conditions,
    visible_conditions,
)
from app.services.task_status import CATEGORY_LABELS, ReportCategory

MAX_MONTHS = 24
MISSED = (ReportCategory.OVERDUE.value, ReportCategory.COMPLETED_LATE.value)
PAGE_SIZE = 50


@dataclass(frozen=True)
class Drill:
    """What a click on a chart selects, on top of the page's own filters."""

    category: str | None = None
    unit_id: int | None = None
    issued_month: str | None = None
    due_month: str | None = None
    missed: bool = False


def months_between(start: date, end: date) -> list[str]:
    months: list[str] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month) and len(months) < MAX_MONTHS:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _trend(scope: Scope, start: date, end: date, filters: Filters, months: list[str]) -> dict[str, Any]:
    """Tasks by month of assignment and their category at `end`."""
    month = year_month(Directive.issued_on).label("month")
    category = category_at(end).label("category")
    query = (
        select(month, category, func.count())
        .select_from(Task)
        .join(Directive, Directive.id == Task.directive_id)
        .where(*period_conditions(scope, start, end, filters))
        .group_by(month, category)
    )
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for name, cat, count in db.session.execute(query):
        if cat is not None:
            counts[name][cat] = count
    series = {c.value: [counts[m].get(c.value, 0) for m in months] for c in CATEGORIES}
    rates = [
        on_time_rate(
            counts[m].get(ReportCategory.COMPLETED_ON_TIME.value, 0),
            counts[m].get(ReportCategory.COMPLETED_LATE.value, 0),
            counts[m].get(ReportCategory.OVERDUE.value, 0),
        )
        for m in months
    ]
    return {"months": months, "series": series, "rates": rates}


def _heatmap(scope: Scope, start: date, end: date, filters: Filters, months: list[str]) -> dict[str, Any]:
    """Missed deadlines (overdue, or completed late) per unit and month of the deadline."""
    month = year_month(Task.due_on).label("month")
    category = category_at(end)
    query = (
        select(Task.lead_unit_id, month, func.count())
        .select_from(Task)
        .join(Directive, Directive.id == Task.directive_id)
        .where(*period_conditions(scope, start, end, filters))
        .where(Task.due_on.is_not(None), Task.due_on <= end, category.in_(MISSED))
        .group_by(Task.lead_unit_id, month)
    )
    cells: dict[tuple[int, str], int] = defaultdict(int)
    for unit_id, name, count in db.session.execute(query):
        if name in months:
            cells[(scope.row_of[unit_id], name)] += count
    rows = [u for u in scope.all_rows() if u.id not in {e.id for e in scope.extra_rows}]
    rows += [u for u in scope.extra_rows if any(cells.get((u.id, m)) for m in months)]
    return {
        "units": [{"id": u.id, "name": u.name} for u in rows],
        "months": months,
        "cells": [[cells.get((u.id, m), 0) for m in months] for u in rows],
        "max": max(cells.values(), default=0),
    }


def dashboard_data(scope: Scope, start: date, end: date, filters: Filters) -> tuple[Report, dict[str, Any]]:
    report = compute(scope, start, end, filters, with_lists=False)
    months = months_between(start, end)
    data = {
        "categories": {
            "keys": [c.value for c in CATEGORIES],
            "labels": [CATEGORY_LABELS[c] for c in CATEGORIES],
            "values": [getattr(report.total, c.value) for c in CATEGORIES],
        },
        "units": {
            "ids": [r.unit_id for r in report.rows],
            "labels": [r.name for r in report.rows],
            "rates": [r.figures.on_time_rate for r in report.rows],
            "received": [r.figures.received for r in report.rows],
        },
        "trend": _trend(scope, start, end, filters, months),
        "heatmap": _heatmap(scope, start, end, filters, months),
    }
    return report, data


def drill_conditions(scope: Scope, end: date, drill: Drill) -> list[Any]:
    conditions: list[Any] = []
    category = category_at(end)
    if drill.category:
        conditions.append(category == drill.category)
    if drill.unit_id is not None:
        conditions.append(
            Task.lead_unit_id.in_([u for u, row in scope.row_of.items() if row == drill.unit_id])
        )
    if drill.issued_month:
        conditions.append(year_month(Directive.issued_on) == drill.issued_month)
    if drill.due_month:
        conditions.append(year_month(Task.due_on) == drill.due_month)
    if drill.missed:
        conditions += [Task.due_on.is_not(None), Task.due_on <= end, category.in_(MISSED)]
    return conditions


def task_list(
    scope: Scope,
    start: date,
    end: date,
    filters: Filters,
    drill: Drill,
    *,
    page: int = 1,
    limit: int | None = PAGE_SIZE,
) -> tuple[list[tuple[OverdueTask, str | None]], int]:
    """The tasks behind a chart element, with their category at `end`; (page rows, total)."""
    category = category_at(end).label("category")
    base = (
        select(*LIST_COLUMNS, category)
        .select_from(Task)
        .join(Directive, Directive.id == Task.directive_id)
        .join(Unit, Unit.id == Task.lead_unit_id)
        .where(*period_conditions(scope, start, end, filters), *drill_conditions(scope, end, drill))
        .where(*visible_conditions(filters))
    )
    total = int(db.session.scalar(select(func.count()).select_from(base.subquery())) or 0)
    query = base.order_by(Task.due_on.is_(None), Task.due_on, Task.id)
    if limit is not None:
        query = query.limit(limit).offset((max(page, 1) - 1) * limit)
    rows = []
    for row in db.session.execute(query):
        item = listed_task(row, end)
        cat = str(row[-1]) if row[-1] is not None else None
        if cat != ReportCategory.OVERDUE.value:
            item.days_overdue = 0
        rows.append((item, cat))
    return rows, total


def filter_choices(scope: Scope, start: date, end: date) -> dict[str, Any]:
    """Values the filters offer: fields and leaders of the period's tasks, units of the scope."""
    from app.models import User

    period = period_conditions(scope, start, end, Filters())
    fields = db.session.scalars(
        select(Task.field)
        .select_from(Task)
        .join(Directive, Directive.id == Task.directive_id)
        .where(*period, Task.field.is_not(None))
        .distinct()
    )
    leader_ids = select(Task.leader_id).join(Directive, Directive.id == Task.directive_id).where(*period)
    leaders = db.session.execute(
        select(User.id, User.full_name)
        .where(User.id.in_(leader_ids.scalar_subquery()))
        .order_by(User.full_name)
    )
    return {
        "fields": sorted(f for f in fields if f),
        "leaders": [(uid, name) for uid, name in leaders],
        "units": [(u.id, u.name) for u in scope.all_rows()],
    }

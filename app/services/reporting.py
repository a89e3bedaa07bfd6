"""The four R4 reporting categories of the register, at any date, by the one SQL rule.

A task is *completed on time* or *late* by comparing its completion date with its (possibly
extended) deadline; an open task is *overdue* once its deadline day has ended, otherwise *in
progress within the deadline*; a cancelled task counts in none. The rule is
`app.services.reports.categories.category_at` (cut-off aware: a task completed after the date
asked about was still open then); this module gives it to the register's pages and the API, so
`GET /api/v1/tasks/<id>` `report_category` and every report agree
(tests/reports/test_api_and_reports_agree.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, select

from app.extensions import db
from app.models import Task
from app.services.reports.categories import category_at
from app.services.task_status import ReportCategory


def category_column(today: date) -> ColumnElement[Any]:
    """SQL CASE giving each `task` row its reporting category at the end of `today` (NULL when cancelled)."""
    return category_at(today)


def task_category(task_id: int, today: date) -> str | None:
    """The category of one task, by the same SQL as the reports."""
    value: str | None = db.session.scalar(select(category_column(today)).where(Task.id == task_id))
    return value


def category_counts(today: date, *, condition: ColumnElement[bool] | None = None) -> dict[str, int]:
    """How many tasks fall in each category at `today`, optionally restricted by `condition`
    (a lead unit, a directive, the tasks a user may see); one GROUP BY query."""
    column = category_column(today).label("category")
    query = select(column, func.count()).select_from(Task).group_by(column)
    if condition is not None:
        query = query.where(condition)
    counts = {category.value: 0 for category in ReportCategory}
    for category, count in db.session.execute(query):
        if category is not None:
            counts[str(category)] = int(count)
    return counts

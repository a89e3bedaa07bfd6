"""The four R4 reporting categories, derived in SQL from the register at any instant.

A task is *completed on time* or *late* by comparing its completion date with its (possibly
extended) deadline; an open task is *overdue* once its deadline day has ended, otherwise *in
progress within the deadline*; a cancelled task counts in none. The rule lives in one SQL
expression, so a report over a million tasks and the category of one task cannot disagree; the
periodic-reports work reuses `category_column` and `category_counts`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, select

from app.extensions import db
from app.models import Task
from app.services.task_status import ReportCategory, TaskStatus


def category_column(today: date) -> ColumnElement[Any]:
    """SQL CASE giving each `task` row its reporting category at `today` (NULL when cancelled)."""
    completed = Task.status == TaskStatus.COMPLETED
    return case(
        (Task.status == TaskStatus.CANCELLED, literal(None)),
        (
            and_(completed, Task.due_on.is_not(None), Task.completed_on > Task.due_on),
            literal(ReportCategory.COMPLETED_LATE.value),
        ),
        (completed, literal(ReportCategory.COMPLETED_ON_TIME.value)),
        (and_(Task.due_on.is_not(None), Task.due_on < today), literal(ReportCategory.OVERDUE.value)),
        else_=literal(ReportCategory.IN_PROGRESS_ON_TIME.value),
    )


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

"""The four R4 reporting categories of a task at a cut-off date, as ONE SQL expression.

This is `app.services.task_status.report_category` moved into the database so that a report over a
million tasks is one grouped query instead of a million Python calls. It is the same rule, extended
to a past cut-off (`as_of`) so that a report can be recomputed for the day its period ended:

- a task cancelled on or before `as_of` is in no category (NULL);
- a task completed on or before `as_of` (its completion date, or the day its status changed when no
  date was entered) is *completed late* when both dates are known and it finished after its
  deadline, otherwise *completed on time*;
- any other task is *overdue* once its deadline day has ended (`as_of > due_on`), otherwise *in
  progress within the deadline* (this includes tasks without a deadline).

With `as_of` = today and the register in its current state this gives exactly `report_category`
(tests/reports/test_categories.py checks it row by row). `category_of` is the Python twin used
where rows are already loaded.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, null

from app.models import Task
from app.services.reports.sql import vn_date
from app.services.task_status import ReportCategory, TaskStatus

CATEGORIES = (
    ReportCategory.COMPLETED_ON_TIME,
    ReportCategory.COMPLETED_LATE,
    ReportCategory.IN_PROGRESS_ON_TIME,
    ReportCategory.OVERDUE,
)


def completion_date() -> ColumnElement[Any]:
    """When a completed task counts as done: its entered date, else the day its status changed."""
    return func.coalesce(Task.completed_on, vn_date(Task.status_changed_at))


def category_at(as_of: date) -> ColumnElement[Any]:
    """SQL CASE giving the R4 category of each `Task` row at the end of `as_of` (NULL: cancelled)."""
    cut = literal(as_of)
    late = and_(Task.due_on.is_not(None), Task.completed_on.is_not(None), Task.completed_on > Task.due_on)
    return case(
        (and_(Task.status == TaskStatus.CANCELLED.value, vn_date(Task.status_changed_at) <= cut), null()),
        (
            and_(Task.status == TaskStatus.COMPLETED.value, completion_date() <= cut),
            case(
                (late, literal(ReportCategory.COMPLETED_LATE.value)),
                else_=literal(ReportCategory.COMPLETED_ON_TIME.value),
            ),
        ),
        (and_(Task.due_on.is_not(None), Task.due_on < cut), literal(ReportCategory.OVERDUE.value)),
        else_=literal(ReportCategory.IN_PROGRESS_ON_TIME.value),
    )


def category_of(
    status: str, due_on: date | None, completed_on: date | None, status_changed_on: date, as_of: date
) -> str | None:
    """The same rule in Python, for rows already in memory (exports, tests)."""
    if status == TaskStatus.CANCELLED and status_changed_on <= as_of:
        return None
    if status == TaskStatus.COMPLETED and (completed_on or status_changed_on) <= as_of:
        late = due_on is not None and completed_on is not None and completed_on > due_on
        return ReportCategory.COMPLETED_LATE if late else ReportCategory.COMPLETED_ON_TIME
    if due_on is not None and due_on < as_of:
        return ReportCategory.OVERDUE
    return ReportCategory.IN_PROGRESS_ON_TIME


def on_time_rate(on_time: int, late: int, overdue: int) -> float | None:
    """Tỷ lệ đúng hạn = hoàn thành đúng hạn / (hoàn thành đúng hạn + hoàn thành quá hạn + quá hạn).

    Only tasks whose outcome is already decided count: a task still within its deadline has not
    been late yet, so counting it would flatter a unit that merely received new work. None when
    nothing is decided yet (shown as "—", not as 0 %).
    """
    decided = on_time + late + overdue
    return round(on_time / decided, 4) if decided else None


RATE_FORMULA = "Tỷ lệ đúng hạn = Hoàn thành đúng hạn ÷ (Hoàn thành đúng hạn + Hoàn thành quá hạn + Quá hạn)"

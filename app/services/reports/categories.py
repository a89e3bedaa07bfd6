"""The four R4 reporting categories of a task at a cut-off date, as ONE SQL expression.

`category_at(as_of)` is the product's only category rule in SQL: the reports, the dashboard,
`app.services.reporting` (the register's counts and `GET /api/v1/tasks/<id>` `report_category`)
all call it, so a report over a million tasks and the category of one task cannot disagree. It is
`app.services.task_status.report_category_at` moved into the database, and takes a past cut-off
(`as_of`) so that a report can be recomputed for the day its period ended:

- a task cancelled on or before `as_of` is in no category (NULL);
- a task completed on or before `as_of` (its completion date, or the day its status changed when no
  date was entered) is *completed late* when both dates are known and it finished after its
  deadline, otherwise *completed on time*;
- any other task is *overdue* once its deadline day has ended (`as_of > due_on`), otherwise *in
  progress within the deadline* (this includes tasks without a deadline).

The completion is compared with the task's deadline as it stands: an extension granted (R8) moves
`due_on` and keeps the first deadline in `original_due_on`. tests/reports/test_categories.py checks
the SQL and the Python form (`category_of`) row by row over every status and date combination.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, null

from app.i18n_marker import N_
from app.models import Task
from app.services.reports.sql import vn_date
from app.services.task_status import ReportCategory, TaskStatus, report_category_at

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


# The Python form of the same rule, for rows already in memory (exports, tests).
category_of = report_category_at


def on_time_rate(on_time: int, late: int, overdue: int) -> float | None:
    """Tỷ lệ đúng hạn = hoàn thành đúng hạn / (hoàn thành đúng hạn + hoàn thành quá hạn + quá hạn).

    Only tasks whose outcome is already decided count: a task still within its deadline has not
    been late yet, so counting it would flatter a unit that merely received new work. None when
    nothing is decided yet (shown as "—", not as 0 %).
    """
    decided = on_time + late + overdue
    return round(on_time / decided, 4) if decided else None


RATE_FORMULA = N_(
    "Tỷ lệ đúng hạn = Hoàn thành đúng hạn ÷ (Hoàn thành đúng hạn + Hoàn thành quá hạn + Quá hạn)"
)

"""Task statuses (R4) with their allowed transitions, and the four reporting categories.

The BPMN models move a task between statuses with `set_status(...)`; a transition not listed
here is a modelling error and raises `InvalidTransition` instead of corrupting the register.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from app.i18n_marker import N_


class TaskStatus(StrEnum):
    NOT_RECEIVED = "not_received"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    IN_PROGRESS_WITH_OBSTACLES = "in_progress_with_obstacles"
    COMPLETED = "completed"
    RETURNED = "returned"
    CANCELLED = "cancelled"


LABELS = {
    TaskStatus.NOT_RECEIVED: N_("Chưa tiếp nhận"),
    TaskStatus.NOT_STARTED: N_("Chưa thực hiện"),
    TaskStatus.IN_PROGRESS: N_("Đang thực hiện"),
    TaskStatus.IN_PROGRESS_WITH_OBSTACLES: N_("Đang thực hiện (có khó khăn, vướng mắc)"),
    TaskStatus.COMPLETED: N_("Đã hoàn thành"),
    TaskStatus.RETURNED: N_("Trả lại Văn phòng"),
    TaskStatus.CANCELLED: N_("Dừng thực hiện"),
}

_OPEN = {
    TaskStatus.NOT_RECEIVED,
    TaskStatus.NOT_STARTED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.IN_PROGRESS_WITH_OBSTACLES,
    TaskStatus.RETURNED,
}

ALLOWED: dict[TaskStatus, set[TaskStatus]] = {
    TaskStatus.NOT_RECEIVED: {
        TaskStatus.NOT_STARTED,
        TaskStatus.IN_PROGRESS,
        TaskStatus.RETURNED,
        TaskStatus.CANCELLED,
    },
    TaskStatus.NOT_STARTED: {
        TaskStatus.IN_PROGRESS,
        TaskStatus.IN_PROGRESS_WITH_OBSTACLES,
        TaskStatus.COMPLETED,
        TaskStatus.RETURNED,
        TaskStatus.CANCELLED,
    },
    # Accepting a task is not starting it: the agency's first update may say "chưa triển khai" (R4).
    TaskStatus.IN_PROGRESS: {
        TaskStatus.NOT_STARTED,
        TaskStatus.IN_PROGRESS_WITH_OBSTACLES,
        TaskStatus.COMPLETED,
        TaskStatus.CANCELLED,
    },
    TaskStatus.IN_PROGRESS_WITH_OBSTACLES: {
        TaskStatus.IN_PROGRESS,
        TaskStatus.COMPLETED,
        TaskStatus.CANCELLED,
    },
    TaskStatus.RETURNED: {TaskStatus.NOT_RECEIVED, TaskStatus.CANCELLED},
    # A completion the Office sends back reopens the task.
    TaskStatus.COMPLETED: {TaskStatus.IN_PROGRESS},
    TaskStatus.CANCELLED: set(),
}


class InvalidTransition(ValueError):
    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"Không thể chuyển nhiệm vụ từ '{current}' sang '{target}'.")


def check_transition(current: str, target: str) -> TaskStatus:
    try:
        source, destination = TaskStatus(current), TaskStatus(target)
    except ValueError as exc:
        raise InvalidTransition(current, target) from exc
    if source != destination and destination not in ALLOWED[source]:
        raise InvalidTransition(current, target)
    return destination


class ReportCategory(StrEnum):
    COMPLETED_ON_TIME = "completed_on_time"
    COMPLETED_LATE = "completed_late"
    IN_PROGRESS_ON_TIME = "in_progress_on_time"
    OVERDUE = "overdue"


CATEGORY_LABELS = {
    ReportCategory.COMPLETED_ON_TIME: N_("Hoàn thành đúng hạn"),
    ReportCategory.COMPLETED_LATE: N_("Hoàn thành quá hạn"),
    ReportCategory.IN_PROGRESS_ON_TIME: N_("Đang thực hiện trong hạn"),
    ReportCategory.OVERDUE: N_("Quá hạn (chưa hoàn thành)"),
}


def report_category_at(
    status: str, due_on: date | None, completed_on: date | None, status_changed_on: date, as_of: date
) -> str | None:
    """The R4 reporting category at the end of `as_of` (None: cancelled by then).

    A task cancelled on or before `as_of` counts in no category; a task completed on or before
    `as_of` (its completion date, or the day its status changed when none was entered) is
    *completed late* when it finished after its deadline, else *completed on time*; any other task
    is *overdue* once its deadline day has ended, else *in progress within the deadline* (tasks
    without a deadline too). A task completed or cancelled after `as_of` was still open then.

    This is the Python form of `app.services.reports.categories.category_at`, the one SQL rule
    every report, the dashboard and `GET /api/v1/tasks/<id>` use; tests compare the two on every
    combination (tests/reports/test_categories.py).
    """
    if status == TaskStatus.CANCELLED and status_changed_on <= as_of:
        return None
    if status == TaskStatus.COMPLETED and (completed_on or status_changed_on) <= as_of:
        late = due_on is not None and completed_on is not None and completed_on > due_on
        return ReportCategory.COMPLETED_LATE if late else ReportCategory.COMPLETED_ON_TIME
    if due_on is not None and due_on < as_of:
        return ReportCategory.OVERDUE
    return ReportCategory.IN_PROGRESS_ON_TIME


def report_category(status: str, due_on: date | None, completed_on: date | None, today: date) -> str | None:
    """The R4 reporting category today, for a task as it stands (its status changed by now)."""
    return report_category_at(status, due_on, completed_on, today, today)

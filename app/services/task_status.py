"""Task statuses (R4) with their allowed transitions, and the four reporting categories.

The BPMN models move a task between statuses with `set_status(...)`; a transition not listed
here is a modelling error and raises `InvalidTransition` instead of corrupting the register.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class TaskStatus(StrEnum):
    NOT_RECEIVED = "not_received"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    IN_PROGRESS_WITH_OBSTACLES = "in_progress_with_obstacles"
    COMPLETED = "completed"
    RETURNED = "returned"
    CANCELLED = "cancelled"


LABELS = {
    TaskStatus.NOT_RECEIVED: "Chưa tiếp nhận",
    TaskStatus.NOT_STARTED: "Chưa thực hiện",
    TaskStatus.IN_PROGRESS: "Đang thực hiện",
    TaskStatus.IN_PROGRESS_WITH_OBSTACLES: "Đang thực hiện (có khó khăn, vướng mắc)",
    TaskStatus.COMPLETED: "Đã hoàn thành",
    TaskStatus.RETURNED: "Trả lại Văn phòng",
    TaskStatus.CANCELLED: "Dừng thực hiện",
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
    ReportCategory.COMPLETED_ON_TIME: "Hoàn thành đúng hạn",
    ReportCategory.COMPLETED_LATE: "Hoàn thành quá hạn",
    ReportCategory.IN_PROGRESS_ON_TIME: "Đang thực hiện trong hạn",
    ReportCategory.OVERDUE: "Quá hạn (chưa hoàn thành)",
}


def report_category(status: str, due_on: date | None, completed_on: date | None, today: date) -> str | None:
    """The R4 reporting category at `today`: a task is overdue once its deadline day has ended."""
    if status == TaskStatus.CANCELLED:
        return None
    if status == TaskStatus.COMPLETED:
        late = due_on is not None and completed_on is not None and completed_on > due_on
        return ReportCategory.COMPLETED_LATE if late else ReportCategory.COMPLETED_ON_TIME
    if due_on is not None and today > due_on:
        return ReportCategory.OVERDUE
    return ReportCategory.IN_PROGRESS_ON_TIME

"""Signs of non-performance per lead unit, for proposing ad hoc inspections (000:11.2, 001:14.2).

Counted from the projections only (`task`, `work_item`, `audit_event`), grouped in SQL, scoped to
what the user oversees: no workflow is deserialized. A unit is flagged when one count reaches its
threshold; the thresholds are the Office's working rule of thumb, not a regulation number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, select

from app import clock
from app.extensions import db
from app.models import Task, Unit, Urging, UrgingTask, User, WorkItem
from app.services.authz import task_filter
from app.services.task_status import TaskStatus

OPEN = [
    TaskStatus.NOT_RECEIVED,
    TaskStatus.NOT_STARTED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.IN_PROGRESS_WITH_OBSTACLES,
    TaskStatus.RETURNED,
]
URGING_WINDOW_DAYS = 365


@dataclass(frozen=True)
class Thresholds:
    overdue_tasks: int = 2
    late_steps: int = 3
    urgings: int = 3


@dataclass
class UnitSignals:
    unit: Unit
    overdue_tasks: int = 0
    completed_late: int = 0
    late_steps: int = 0
    urgings: int = 0

    @property
    def score(self) -> int:
        return 3 * self.overdue_tasks + 2 * self.late_steps + self.completed_late + self.urgings

    def is_flagged(self, limits: Thresholds) -> bool:
        return (
            self.overdue_tasks >= limits.overdue_tasks
            or self.late_steps >= limits.late_steps
            or self.urgings >= limits.urgings
        )

    def summary(self) -> str:
        return (
            f"{self.unit.name}: {self.overdue_tasks} nhiệm vụ quá hạn, "
            f"{self.completed_late} hoàn thành quá hạn, "
            f"{self.late_steps} bước cập nhật trễ hạn, {self.urgings} lần bị nhắc, đôn đốc."
        )


def _counts(query: Select[Any] | Any) -> dict[int, int]:
    return {int(unit_id): int(n) for unit_id, n in db.session.execute(query)}


def _visible_tasks(user: User) -> Any:
    return select(Task.id).where(task_filter(user))


def unit_signals(user: User, *, today: date | None = None) -> list[UnitSignals]:
    """Every lead unit with at least one sign, most worrying first."""
    today = today or clock.today()
    visible = _visible_tasks(user)
    overdue = _counts(
        select(Task.lead_unit_id, func.count())
        .where(Task.id.in_(visible), Task.status.in_([str(s) for s in OPEN]), Task.due_on < today)
        .group_by(Task.lead_unit_id)
    )
    completed_late = _counts(
        select(Task.lead_unit_id, func.count())
        .where(Task.id.in_(visible), Task.status == TaskStatus.COMPLETED, Task.completed_on > Task.due_on)
        .group_by(Task.lead_unit_id)
    )
    late_steps = _counts(
        select(WorkItem.candidate_unit_id, func.count())
        .where(WorkItem.task_id.in_(visible), WorkItem.state == "open", WorkItem.due_on < today)
        .group_by(WorkItem.candidate_unit_id)
    )
    since = clock.now() - timedelta(days=URGING_WINDOW_DAYS)
    urgings = _counts(  # urgings the Office recorded against the tasks (R11), not automatic reminders
        select(Task.lead_unit_id, func.count())
        .join(UrgingTask, UrgingTask.task_id == Task.id)
        .join(Urging, Urging.id == UrgingTask.urging_id)
        .where(Task.id.in_(visible), Urging.created_at >= since)
        .group_by(Task.lead_unit_id)
    )
    unit_ids = set(overdue) | set(completed_late) | set(late_steps) | set(urgings)
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids)))}
    rows = [
        UnitSignals(
            units[i], overdue.get(i, 0), completed_late.get(i, 0), late_steps.get(i, 0), urgings.get(i, 0)
        )
        for i in unit_ids
    ]
    return sorted(rows, key=lambda r: (-r.score, r.unit.name))

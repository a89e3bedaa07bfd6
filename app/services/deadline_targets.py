"""Objects that hold a computed deadline, and how to treat each kind when deadlines are recomputed.

A module that stores a computed due date on its own table registers a `DeadlineTarget` for its
object type: how to keep only the open objects, how to write a new date, how to name the object for
the administrator's preview, and which audit columns link a move to it. Work items, directives
(their classification deadline) and tasks are registered here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Directive, Task, WorkItem


@dataclass(frozen=True)
class DeadlineTarget:
    """How to treat the deadlines stored on one kind of object.

    `open_ids` keeps the ids whose deadline still matters (an open work item, an unclassified
    directive); `move` writes the new date on the object; `describe` names it for the preview;
    `links` gives the audit columns (directive_id, task_id, instance_id, work_item_id).
    """

    label: str
    open_ids: Callable[[Sequence[int]], set[int]]
    move: Callable[[int, str, date], None]
    describe: Callable[[int], str]
    links: Callable[[int], dict[str, int | None]]


TARGETS: dict[str, DeadlineTarget] = {}


def register_target(object_type: str, target: DeadlineTarget) -> None:
    TARGETS[object_type] = target


def _ids(query: Any) -> set[int]:
    return set(db.session.scalars(query))


def _set_field(model: Any) -> Callable[[int, str, date], None]:
    def move(object_id: int, field_name: str, new: date) -> None:
        setattr(db.session.get(model, object_id), field_name, new)

    return move


def _work_item_text(item_id: int) -> str:
    item = db.session.get(WorkItem, item_id)
    directive = db.session.get(Directive, item.directive_id) if item and item.directive_id else None
    where = f" — văn bản {directive.reference}" if directive else ""
    return f"Bước «{item.title}» ({item.candidate_unit.name}){where}" if item else f"Công việc #{item_id}"


def _work_item_links(item_id: int) -> dict[str, int | None]:
    item = db.session.get(WorkItem, item_id)
    if item is None:
        return {}
    return {
        "directive_id": item.directive_id,
        "task_id": item.task_id,
        "instance_id": item.instance_id,
        "work_item_id": item.id,
    }


def _directive_text(directive_id: int) -> str:
    directive = db.session.get(Directive, directive_id)
    return f"Hạn phân loại văn bản {directive.reference}" if directive else f"Văn bản #{directive_id}"


def _task_text(task_id: int) -> str:
    task = db.session.get(Task, task_id)
    if task is None:
        return f"Nhiệm vụ #{task_id}"
    return f"Nhiệm vụ {task.seq} của văn bản {task.directive.reference} ({task.lead_unit.name})"


def _task_links(task_id: int) -> dict[str, int | None]:
    task = db.session.get(Task, task_id)
    return {"directive_id": task.directive_id, "task_id": task.id} if task else {}


register_target(
    "work_item",
    DeadlineTarget(
        label="Bước công việc",
        open_ids=lambda ids: _ids(select(WorkItem.id).where(WorkItem.id.in_(ids), WorkItem.state == "open")),
        move=_set_field(WorkItem),
        describe=_work_item_text,
        links=_work_item_links,
    ),
)
register_target(
    "directive",
    DeadlineTarget(
        label="Văn bản chỉ đạo",
        open_ids=lambda ids: _ids(
            select(Directive.id).where(Directive.id.in_(ids), Directive.status == "registered")
        ),
        move=_set_field(Directive),
        describe=_directive_text,
        links=lambda directive_id: {"directive_id": directive_id},
    ),
)
register_target(
    "task",
    DeadlineTarget(
        label="Nhiệm vụ",
        open_ids=lambda ids: _ids(
            select(Task.id).where(Task.id.in_(ids), Task.status.not_in(("completed", "cancelled")))
        ),
        move=_set_field(Task),
        describe=_task_text,
        links=_task_links,
    ),
)

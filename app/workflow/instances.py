"""Engine operations on stored process instances, with their projections, in one transaction.

Each operation loads one `ProcessInstance`, runs the engine in memory (`runtime`), saves the new
state under optimistic locking and rewrites the projections: `work_item` and `timer` rows here,
domain rows and the audit trail through the hooks the services register. Nothing is committed
here: the caller (one request or one job) commits once, or rolls everything back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.models import ProcessInstance, ProcessModelVersion, Timer, WorkItem
from app.workflow import runtime
from app.workflow.errors import Effect, StaleInstance, WorkflowError, WorkItemNotReady
from app.workflow.runtime import StepResult


@dataclass(frozen=True)
class StepContext:
    """Who caused a step and when; passed to every hook."""

    instance: ProcessInstance
    now: datetime
    actor_id: int | None
    data: dict[str, Any]


Assign = Callable[[str, dict[str, Any]], tuple[str, int]]
ApplyEffect = Callable[[Effect, StepContext], None]
Audit = Callable[[str, StepContext, dict[str, Any]], object]


@dataclass
class Hooks:
    assign: Assign
    apply_effect: ApplyEffect
    audit: Audit


_hooks: Hooks | None = None


def configure(hooks: Hooks) -> None:
    """Register the services' side of the projections (called once by `create_app`)."""
    global _hooks
    _hooks = hooks


def hooks() -> Hooks:
    if _hooks is None:
        raise RuntimeError("the engine adapter is not configured: call app.workflow.configure()")
    return _hooks


def active_version(process_id: str) -> ProcessModelVersion:
    version = db.session.scalars(
        select(ProcessModelVersion).where(
            ProcessModelVersion.process_id == process_id, ProcessModelVersion.is_active.is_(True)
        )
    ).first()
    if version is None:
        raise WorkflowError(f"Chưa triển khai quy trình '{process_id}'.")
    return version


def _spec_key(version: ProcessModelVersion) -> str:
    return f"{version.id}:{version.sha256}"


def start_instance(
    process_id: str,
    data: dict[str, Any],
    *,
    now: datetime,
    actor_id: int | None,
    directive_id: int | None = None,
    task_id: int | None = None,
) -> ProcessInstance:
    version = active_version(process_id)
    instance = ProcessInstance(
        model_version=version,
        process_id=process_id,
        state=b"",
        status="running",
        directive_id=directive_id,
        task_id=task_id,
        created_at=now,
        updated_at=now,
    )
    db.session.add(instance)
    db.session.flush()
    result = runtime.start(_spec_key(version), version.spec, data, now)
    _project(instance, result, StepContext(instance, now, actor_id, result.data), completed_item=None)
    hooks().audit(
        "process_started", StepContext(instance, now, actor_id, result.data), {"process": process_id}
    )
    _save(instance)
    return instance


def complete_work_item(
    item: WorkItem, data: dict[str, Any], *, now: datetime, actor_id: int
) -> ProcessInstance:
    """Complete a ready user task; a stale or duplicate submit raises and changes nothing."""
    if item.state != "open":
        raise WorkItemNotReady("Bước công việc này đã được xử lý.")
    instance = item.instance
    version = instance.model_version
    result = runtime.complete(_spec_key(version), version.spec, instance.state, item.spiff_task_id, data, now)
    context = StepContext(instance, now, actor_id, result.data)
    _project(instance, result, context, completed_item=item)
    _save(instance)
    return instance


def fire_timers(instance: ProcessInstance, *, now: datetime) -> list[str]:
    """Fire this instance's due timers at `now`; returns the spiff ids of the timers that fired."""
    version = instance.model_version
    result = runtime.fire_due_timers(_spec_key(version), version.spec, instance.state, now)
    _project(instance, result, StepContext(instance, now, None, result.data), completed_item=None)
    _save(instance)
    return result.fired_timer_ids


def deliver_message(
    instance: ProcessInstance, message: str, payload: dict[str, Any], *, now: datetime, actor_id: int | None
) -> None:
    version = instance.model_version
    result = runtime.deliver_message(_spec_key(version), version.spec, instance.state, message, payload, now)
    _project(instance, result, StepContext(instance, now, actor_id, result.data), completed_item=None)
    _save(instance)


def load_workflow_data(instance: ProcessInstance) -> dict[str, Any]:
    """The current process data of one instance (deserializes: for one-object pages only)."""
    version = instance.model_version
    workflow = runtime.load(_spec_key(version), version.spec, instance.state)
    return runtime._latest_data(workflow) if not workflow.is_completed() else dict(workflow.data)


def _save(instance: ProcessInstance) -> None:
    with _optimistic_lock():
        db.session.flush()


@contextmanager
def _optimistic_lock() -> Iterator[None]:
    """Turn SQLAlchemy's version check into our named error, wherever the flush happens."""
    try:
        yield
    except StaleDataError as exc:
        raise StaleInstance("Quy trình vừa được người khác cập nhật; vui lòng tải lại trang.") from exc


def _project(
    instance: ProcessInstance, result: StepResult, context: StepContext, completed_item: WorkItem | None
) -> None:
    instance.state = result.state
    instance.updated_at = context.now
    if result.completed:
        instance.status = "completed"
    # Save the state first: a concurrent writer is detected before any projection is written.
    _save(instance)
    _project_work_items(instance, result, context, completed_item)
    _project_timers(instance, result, context.now)
    for effect in result.effects:
        hooks().apply_effect(effect, context)


def _project_work_items(
    instance: ProcessInstance, result: StepResult, context: StepContext, completed_item: WorkItem | None
) -> None:
    open_items = {
        item.spiff_task_id: item
        for item in db.session.scalars(
            select(WorkItem).where(WorkItem.instance_id == instance.id, WorkItem.state == "open")
        )
    }
    ready_ids = {task.spiff_task_id for task in result.ready}
    for spiff_id, item in open_items.items():
        if spiff_id in ready_ids:
            continue
        if completed_item is not None and item.id == completed_item.id:
            item.state, item.completed_by_id = "completed", context.actor_id
        else:
            item.state = "cancelled"  # e.g. interrupted by a boundary timer or message
        item.completed_at = context.now
    lanes: dict[str, str] = instance.model_version.bundle.get("lanes", {})
    for task in result.ready:
        if task.spiff_task_id in open_items:
            continue
        role, unit_id = hooks().assign(lanes.get(task.lane or "", ""), task.data)
        db.session.add(
            WorkItem(
                instance_id=instance.id,
                spiff_task_id=task.spiff_task_id,
                task_spec=task.spec_id,
                title=task.title,
                lane=task.lane,
                candidate_role=role,
                candidate_unit_id=unit_id,
                form=task.form,
                instructions=task.instructions,
                due_on=date.fromisoformat(task.due_on[:10]) if task.due_on else None,
                state="open",
                directive_id=instance.directive_id,
                task_id=instance.task_id,
                created_at=context.now,
            )
        )


def _project_timers(instance: ProcessInstance, result: StepResult, now: datetime) -> None:
    waiting = {
        timer.spiff_task_id: timer
        for timer in db.session.scalars(
            select(Timer).where(Timer.instance_id == instance.id, Timer.state == "waiting")
        )
    }
    current = {t.spiff_task_id: t for t in result.timers}
    fired = set(result.fired_timer_ids)
    for spiff_id, row in waiting.items():
        if spiff_id in current:
            row.due_at = current[spiff_id].due_at
            continue
        row.state = "fired" if spiff_id in fired else "cancelled"
        row.fired_at = now
    for spiff_id, timer in current.items():
        if spiff_id not in waiting:
            db.session.add(
                Timer(
                    instance_id=instance.id,
                    spiff_task_id=spiff_id,
                    task_spec=timer.spec_id,
                    name=timer.name,
                    due_at=timer.due_at,
                    state="waiting",
                    created_at=now,
                )
            )

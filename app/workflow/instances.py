"""Engine operations on stored process instances, with their projections, in one transaction.

Each operation loads one `ProcessInstance`, runs the engine in memory (`runtime`), saves the new
state under optimistic locking and rewrites the projections: `work_item` and `timer` rows here,
domain rows and the audit trail through the hooks the services register. Nothing is committed
here: the caller (one request or one job) commits once, or rolls everything back.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.models import ProcessInstance, ProcessModelVersion, Timer, WorkItem
from app.workflow import migration, runtime
from app.workflow.errors import (
    DueTrace,
    Effect,
    InstanceNotRunning,
    MigrationRefused,
    StaleInstance,
    WorkflowError,
    WorkItemNotReady,
)
from app.workflow.migration import MigrationPlan, StepStates
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
DueRecorder = Callable[[WorkItem, DueTrace, StepContext], object]


@dataclass
class Hooks:
    assign: Assign
    apply_effect: ApplyEffect
    audit: Audit
    # Called for each new work item that has a due date, with how the date was obtained.
    record_due: DueRecorder | None = None


_hooks: Hooks | None = None


def configure(hooks: Hooks) -> None:
    """Register the services' side of the projections (called once by `create_app`)."""
    global _hooks
    _hooks = hooks


def hooks() -> Hooks:
    if _hooks is None:
        raise RuntimeError("the engine adapter is not configured: call app.workflow.configure()")
    return _hooks


@dataclass
class _LockedBatch:
    """Steps of instances their caller holds locked, flushed together (see `locked_batch`)."""

    due_records: list[tuple[WorkItem, DueTrace, StepContext]] = field(default_factory=list)
    memo: dict[Hashable, Any] = field(default_factory=dict)
    # Changes to waiting `timer` rows, one parameter set per row, sent as one executemany each.
    timer_rows: dict[Any, list[dict[str, Any]]] = field(default_factory=dict)
    # The instances' new states, with the version each was stepped from (`_INSTANCE_SAVED`).
    instance_rows: list[dict[str, Any]] = field(default_factory=list)


_BATCH: ContextVar[_LockedBatch | None] = ContextVar("dondoc_locked_batch", default=None)


@contextmanager
def locked_batch() -> Iterator[None]:
    """Step instances the caller already holds locked (a timer sweep's batch), flushing their
    writes together.

    A step on its own flushes three times: its instance first (the version check fails fast and,
    on PostgreSQL, takes the row lock), each new work item with a due date (its deadline record
    needs the id), and everything else at the end; each flush sends a statement per row. In a
    batch the locks are already held, so nothing is flushed until the batch ends: then one flush
    sends each table's new rows together (multi-row inserts), the new work items' deadline
    records follow in the caller's commit, and lookups that cannot change within the batch (the
    users holding a role, a unit's id) are made once (`batch_memo`). The new states go out as one
    executemany checked against the versions they were stepped from (`_queue_state`). A stale
    instance is still caught there, and fails the whole batch: the caller rolls back and redoes it one
    instance at a time. Queries a step's effects make still autoflush, so they see its writes.
    """
    batch = _LockedBatch()
    token = _BATCH.set(batch)
    try:
        yield
        _save_batch(batch)
    finally:
        _BATCH.reset(token)


def _save_batch(batch: _LockedBatch) -> None:
    for statement, rows in [(_INSTANCE_SAVED, batch.instance_rows), *batch.timer_rows.items()]:
        if not rows:
            continue
        done = db.session.execute(statement, rows)
        if getattr(done, "rowcount", -1) != len(rows):  # saved elsewhere meanwhile: redo one by one
            raise StaleInstance("Quy trình vừa được cập nhật ở nơi khác.")
    with _optimistic_lock():
        db.session.flush()
    record_due = hooks().record_due
    if record_due is None:
        return
    with db.session.no_autoflush:  # each record's own lookup need not flush the previous one
        for item, trace, context in batch.due_records:
            record_due(item, trace, context)


def batch_memo(key: Hashable, compute: Callable[[], Any]) -> Any:
    """`compute()`, once per `locked_batch` for the same key (every time outside a batch)."""
    batch = _BATCH.get()
    if batch is None:
        return compute()
    if key not in batch.memo:
        batch.memo[key] = compute()
    return batch.memo[key]


def active_version(process_id: str) -> ProcessModelVersion:
    version = db.session.scalars(
        select(ProcessModelVersion).where(
            ProcessModelVersion.process_id == process_id, ProcessModelVersion.is_active.is_(True)
        )
    ).first()
    if version is None:
        raise WorkflowError(f"Chưa triển khai quy trình '{process_id}'.")
    return version


@dataclass(frozen=True)
class CompiledVersion:
    """What a step needs of a model version: its compiled spec and its bundle (forms, lanes, DMN).

    A `process_model_version` row never changes once deployed, so each process keeps these in
    memory keyed by id and sha256 (the hash tells apart two databases, e.g. tests, that reuse an
    id for another model). Shared between requests: callers must not modify `bundle`.
    """

    key: str
    spec: str
    bundle: dict[str, Any]


_COMPILED: OrderedDict[str, CompiledVersion] = OrderedDict()
_COMPILED_MAX = 64

# The columns of `process_model_version` a step reads from the row itself; the spec, bundle and
# BPMN text (the large ones) come from the cache above, loaded from the row only on a miss.
STEP_VERSION_COLUMNS = (ProcessModelVersion.id, ProcessModelVersion.process_id, ProcessModelVersion.sha256)


def with_model_version() -> Any:
    """Loader option: the instance's model version in the same query, without its large columns
    (built once: loader options are immutable, and building one costs as much as a small query)."""
    global _WITH_MODEL_VERSION
    if _WITH_MODEL_VERSION is None:
        _WITH_MODEL_VERSION = joinedload(ProcessInstance.model_version).load_only(*STEP_VERSION_COLUMNS)
    return _WITH_MODEL_VERSION


_WITH_MODEL_VERSION: Any = None


def instance_of(item: WorkItem) -> ProcessInstance:
    """The item's instance with its model version, in one query (none when already loaded)."""
    loaded = db.session.get(ProcessInstance, item.instance_id, options=[with_model_version()])
    if loaded is None:
        raise WorkItemNotReady("Bước công việc không còn tồn tại trong quy trình.")
    # Through the relationship (from the identity map, no query): the item now holds it, so the
    # session's weak identity map keeps it for the next caller.
    instance: ProcessInstance = item.instance
    return instance


def compiled(version: ProcessModelVersion) -> CompiledVersion:
    key = _spec_key(version)
    found = _COMPILED.get(key)
    if found is None:
        found = CompiledVersion(key=key, spec=version.spec, bundle=version.bundle)
        _COMPILED[key] = found
        while len(_COMPILED) > _COMPILED_MAX:
            _COMPILED.popitem(last=False)
    return found


def version_bundle(version: ProcessModelVersion) -> dict[str, Any]:
    """The version's bundle (forms, lanes, DMN), from the per-process cache."""
    return compiled(version).bundle


def preload_version(version: ProcessModelVersion) -> None:
    """Compile and restore a version's spec now (a long-lived worker at its start), not at its first step."""
    runtime.restored_spec(*_spec(version))


def _spec_key(version: ProcessModelVersion) -> str:
    return f"{version.id}:{version.sha256}"


def _spec(version: ProcessModelVersion) -> tuple[str, str]:
    found = compiled(version)
    return found.key, found.spec


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
    result = runtime.start(*_spec(version), data, now)
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
    instance = instance_of(item)
    _require_running(instance)
    version = instance.model_version
    result = runtime.complete(*_spec(version), instance.state, item.spiff_task_id, data, now)
    context = StepContext(instance, now, actor_id, result.data)
    _project(instance, result, context, completed_item=item)
    _save(instance)
    return instance


def fire_timers(instance: ProcessInstance, *, now: datetime) -> list[str]:
    """Fire this instance's due timers at `now`; returns the spiff ids of the timers that fired."""
    return apply_timers(instance, step_timers(instance, now=now), now=now)


def step_timers(instance: ProcessInstance, *, now: datetime) -> StepResult:
    """What firing the due timers at `now` does to this instance, computed in memory: nothing is
    written. `apply_timers` writes it, provided the instance is still at the same version."""
    return runtime.fire_due_timers(*_spec(instance.model_version), instance.state, now)


def apply_timers(instance: ProcessInstance, result: StepResult, *, now: datetime) -> list[str]:
    """Save a step computed by `step_timers` from this instance's current state, with its
    projections; returns the spiff ids of the timers that fired."""
    _project(instance, result, StepContext(instance, now, None, result.data), completed_item=None)
    if _BATCH.get() is None:
        _save(instance)
    return result.fired_timer_ids


def deliver_message(
    instance: ProcessInstance, message: str, payload: dict[str, Any], *, now: datetime, actor_id: int | None
) -> None:
    version = instance.model_version
    result = runtime.deliver_message(*_spec(version), instance.state, message, payload, now)
    _project(instance, result, StepContext(instance, now, actor_id, result.data), completed_item=None)
    _save(instance)


def move_due_date(
    instance: ProcessInstance, variable: str, old: str, new: str, *, now: datetime, actor_id: int | None
) -> None:
    """Set the process variable `variable` from the ISO date `old` to `new` wherever the running
    process still holds it, and move the date timers computed from it (e.g. the reminder at the end
    of the deadline day). The work item rows are the caller's to update."""
    if instance.status != "running":
        return
    version = instance.model_version
    result = runtime.replace_values(*_spec(version), instance.state, {variable: (old, new)}, now)
    _project(instance, result, StepContext(instance, now, actor_id, result.data), completed_item=None)
    _save(instance)


def load_workflow_data(instance: ProcessInstance) -> dict[str, Any]:
    """The current process data of one instance (deserializes: for one-object pages only)."""
    version = instance.model_version
    workflow = runtime.load(*_spec(version), instance.state)
    return runtime._latest_data(workflow) if not workflow.is_completed() else dict(workflow.data)


STATUS_WORDS = {"suspended": "đang tạm dừng", "terminated": "đã bị chấm dứt", "completed": "đã kết thúc"}


def _require_running(instance: ProcessInstance) -> None:
    if instance.status != "running":
        word = STATUS_WORDS.get(instance.status, instance.status)
        raise InstanceNotRunning(f"Quy trình {word}: chưa thể xử lý bước này.")


def instance_steps(instance: ProcessInstance) -> StepStates:
    """Completed and active steps of one instance, for its diagram (deserializes: one object)."""
    version = instance.model_version
    return migration.step_states(*_spec(version), instance.state)


def terminate_instance(instance: ProcessInstance, *, now: datetime, actor_id: int | None) -> None:
    """Cancel every open step of a running or suspended instance; its work items and timers close."""
    if instance.status not in {"running", "suspended"}:
        raise InstanceNotRunning("Quy trình đã kết thúc, không thể chấm dứt.")
    version = instance.model_version
    result = migration.cancel(*_spec(version), instance.state, now)
    result.completed = False  # cancelled, not completed: the status says so below
    _project(instance, result, StepContext(instance, now, actor_id, result.data), completed_item=None)
    instance.status = "terminated"
    _save(instance)


def plan_migration(instance: ProcessInstance, target: ProcessModelVersion, *, now: datetime) -> MigrationPlan:
    """Dry run: would this instance move to `target`? Nothing is saved."""
    report, _ = _plan(instance, target, now)
    return report


def migrate_instance(
    instance: ProcessInstance, target: ProcessModelVersion, *, now: datetime, actor_id: int | None
) -> MigrationPlan:
    """Move a running or suspended instance to `target`, or raise `MigrationRefused`."""
    report, apply = _plan(instance, target, now)
    if apply is None:
        raise MigrationRefused(report.reasons)
    result = apply()
    instance.model_version = target
    instance.model_version_id = target.id
    context = StepContext(instance, now, actor_id, result.data)
    _project(instance, result, context, completed_item=None, refresh_open=True)
    _save(instance)
    return report


def _plan(instance: ProcessInstance, target: ProcessModelVersion, now: datetime) -> tuple[MigrationPlan, Any]:
    if instance.status not in {"running", "suspended"}:
        return MigrationPlan(reasons=["quy trình đã kết thúc"]), None
    if target.process_id != instance.process_id or target.id == instance.model_version_id:
        return MigrationPlan(reasons=["phiên bản đích không phải phiên bản khác của cùng quy trình"]), None
    current = instance.model_version
    return migration.plan(_spec(current), instance.state, _spec(target), now)


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
    instance: ProcessInstance,
    result: StepResult,
    context: StepContext,
    completed_item: WorkItem | None,
    refresh_open: bool = False,
) -> None:
    batch = _BATCH.get()
    if batch is not None:  # the caller's locks keep writers out: saved with the batch
        _queue_state(batch, instance, result, context.now)
    else:
        instance.state = result.state
        instance.updated_at = context.now
        if result.completed:
            instance.status = "completed"
        # Save the state first: a concurrent writer is detected before any projection is written.
        _save(instance)
    _project_work_items(instance, result, context, completed_item, refresh_open)
    if (
        refresh_open
        or result.timers_before is None
        or not _project_timer_changes(instance, result, context.now)
    ):
        _project_timers(instance, result, context.now)
    for effect in result.effects:
        hooks().apply_effect(effect, context)


def _queue_state(batch: _LockedBatch, instance: ProcessInstance, result: StepResult, now: datetime) -> None:
    """In a batch, the new state goes out with the others in one executemany (`_save_batch`),
    still checked against the version it was stepped from; the ORM's own versioned update sends
    a statement per instance. The object takes the new values as already saved, so that the
    session neither writes them again nor reads them stale; a failed batch rolls them back."""
    status = "completed" if result.completed else instance.status
    batch.instance_rows.append(
        {
            "saved_id": instance.id,
            "stepped_from": instance.version,
            "new_state": result.state,
            "new_status": status,
            "new_updated_at": now,
        }
    )
    for name, value in (
        ("state", result.state),
        ("status", status),
        ("updated_at", now),
        ("version", instance.version + 1),
    ):
        set_committed_value(instance, name, value)


def _project_work_items(
    instance: ProcessInstance,
    result: StepResult,
    context: StepContext,
    completed_item: WorkItem | None,
    refresh_open: bool = False,
) -> None:
    """Close the open items whose task is no longer ready and open one for each newly ready task.

    The open items are the tasks that were ready before the step (`result.ready_before`: the rows
    match the stored state after every step), so they are read only when one of them other than
    the completed item must be closed, or refreshed after a migration.
    """
    ready_ids = result.ready_ids
    known = {completed_item.spiff_task_id} if completed_item is not None else set()
    already_open: frozenset[str] | set[str]
    if not refresh_open and result.ready_before is not None and result.ready_before - known <= ready_ids:
        # Only the completed item (if any) stops being open: nothing to read.
        open_items = {completed_item.spiff_task_id: completed_item} if completed_item is not None else {}
        already_open = result.ready_before
    else:
        open_items = {
            item.spiff_task_id: item
            for item in db.session.scalars(
                select(WorkItem).where(WorkItem.instance_id == instance.id, WorkItem.state == "open")
            )
        }
        already_open = set(open_items)
    for spiff_id, item in open_items.items():
        if spiff_id in ready_ids:
            continue
        if completed_item is not None and item.id == completed_item.id:
            item.state, item.completed_by_id = "completed", context.actor_id
        else:
            item.state = "cancelled"  # e.g. interrupted by a boundary timer or message
        item.completed_at = context.now
    lanes: dict[str, str] = version_bundle(instance.model_version).get("lanes", {})
    for task in result.ready:
        if task.spiff_task_id in already_open:
            if refresh_open:  # a migrated step shows its new title, form and due date
                _refresh(open_items[task.spiff_task_id], task)
            continue
        _open_work_item(instance, task, lanes, context)


def _open_work_item(
    instance: ProcessInstance, task: runtime.ReadyUserTask, lanes: dict[str, str], context: StepContext
) -> WorkItem:
    # Each ready task is assigned from its own data: children of a multi-instance step (one
    # per inspected unit, per coordinating agency) differ exactly in that data.
    role, unit_id = hooks().assign(lanes.get(task.lane or "", ""), {**context.data, **task.data})
    item = WorkItem(
        instance_id=instance.id,
        spiff_task_id=task.spiff_task_id,
        task_spec=task.spec_id,
        title=task.title,
        lane=task.lane,
        candidate_role=role,
        candidate_unit_id=unit_id,
        form=task.form,
        ui_form=task.ui_form,
        instructions=task.instructions,
        due_on=date.fromisoformat(task.due_on[:10]) if task.due_on else None,
        reminded_by_model=task.reminded_by_model,
        state="open",
        directive_id=instance.directive_id,
        task_id=instance.task_id,
        created_at=context.now,
    )
    db.session.add(item)
    record_due = hooks().record_due
    if record_due is not None and task.due_trace is not None and item.due_on is not None:
        batch = _BATCH.get()
        if batch is not None:
            batch.due_records.append((item, task.due_trace, context))
        else:
            db.session.flush()  # the record points at the item's id
            record_due(item, task.due_trace, context)
    return item


def _refresh(item: WorkItem, task: runtime.ReadyUserTask) -> None:
    item.title, item.form, item.instructions = task.title, task.form, task.instructions
    item.ui_form, item.reminded_by_model = task.ui_form, task.reminded_by_model
    item.due_on = date.fromisoformat(task.due_on[:10]) if task.due_on else None


def _project_timer_changes(instance: ProcessInstance, result: StepResult, now: datetime) -> bool:
    """Write the `timer` rows from what the step changed, without reading them first.

    The rows match the stored state after every step, so the timers the state held before the
    step (`result.timers_before`) are the waiting rows: those that stopped waiting are marked
    fired or cancelled, moved ones get their new instant, new ones are inserted. Most steps touch
    no timer at all and send nothing. Returns False, having written nothing it could not verify,
    when a row is not as expected (the caller then reads and rewrites them all).
    """
    before = result.timers_before or {}
    current = {t.spiff_task_id: t for t in result.timers}
    fired = set(result.fired_timer_ids)
    left = [spiff_id for spiff_id in before if spiff_id not in current]
    changes: list[tuple[Any, list[str], dict[str, Any]]] = [
        (_TIMER_LEFT, [s for s in left if s in fired], {"new_state": "fired", "new_fired_at": now}),
        (_TIMER_LEFT, [s for s in left if s not in fired], {"new_state": "cancelled", "new_fired_at": now}),
    ]
    changes += [
        (_TIMER_MOVED, [spiff_id], {"new_due_at": timer.due_at})
        for spiff_id, timer in current.items()
        if spiff_id in before and before[spiff_id] != timer.due_at
    ]
    batch = _BATCH.get()
    for statement, spiff_ids, values in changes:
        if not spiff_ids:
            continue
        if batch is not None:  # one executemany per kind of change for the whole batch (`_save_batch`)
            rows = batch.timer_rows.setdefault(_ONE_ROW[statement], [])
            rows += [{"of_instance": instance.id, "spiff_id": s, **values} for s in spiff_ids]
            continue
        with db.session.no_autoflush:  # only this instance's waiting rows: nothing pending touches them
            done = db.session.execute(
                statement, {"of_instance": instance.id, "spiff_ids": spiff_ids, **values}
            )
        if getattr(done, "rowcount", -1) != len(spiff_ids):
            return False  # the rows already updated are no longer waiting: the full pass skips them
    for spiff_id, timer in current.items():
        if spiff_id not in before:
            db.session.add(_new_timer(instance, timer, now))
    return True


def _waiting_timer_rows(one: bool = False) -> Any:
    table = Timer.__table__
    return update(table).where(
        table.c.instance_id == bindparam("of_instance"),
        table.c.state == "waiting",
        table.c.spiff_task_id == bindparam("spiff_id")
        if one
        else table.c.spiff_task_id.in_(bindparam("spiff_ids", expanding=True)),
    )


# Core statements built once (no ORM bulk-update pass, no rebuild and cache key per step): the
# timer rows of the session are never loaded on this path, so nothing in it needs synchronising.
_TIMER_LEFT = _waiting_timer_rows().values(state=bindparam("new_state"), fired_at=bindparam("new_fired_at"))
_TIMER_MOVED = _waiting_timer_rows().values(due_at=bindparam("new_due_at"))
# The same changes one row per parameter set, for an executemany over a whole batch.
_ONE_ROW = {
    _TIMER_LEFT: _waiting_timer_rows(one=True).values(
        state=bindparam("new_state"), fired_at=bindparam("new_fired_at")
    ),
    _TIMER_MOVED: _waiting_timer_rows(one=True).values(due_at=bindparam("new_due_at")),
}


_INSTANCES = ProcessInstance.__table__
_INSTANCE_SAVED = (
    update(_INSTANCES)
    .where(_INSTANCES.c.id == bindparam("saved_id"), _INSTANCES.c.version == bindparam("stepped_from"))
    .values(
        state=bindparam("new_state"),
        status=bindparam("new_status"),
        updated_at=bindparam("new_updated_at"),
        version=_INSTANCES.c.version + 1,
    )
)


def _new_timer(instance: ProcessInstance, timer: runtime.WaitingTimer, now: datetime) -> Timer:
    return Timer(
        instance_id=instance.id,
        spiff_task_id=timer.spiff_task_id,
        task_spec=timer.spec_id,
        name=timer.name,
        due_at=timer.due_at,
        state="waiting",
        created_at=now,
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
            db.session.add(_new_timer(instance, timer, now))

"""Run SpiffWorkflow in memory: start, complete a user task, fire timers, deliver a message.

No database here: functions take the stored state and the compiled spec, and return a
`StepResult` with the new state and everything the projections need (ready user tasks, waiting
timers, effects). The compiled spec of a model version is restored once and cached, since specs
are immutable and shared by every instance of that version.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import orjson
from SpiffWorkflow.bpmn.serializer.default.workflow import WorkflowConverter
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimeDateEventDefinition, TimerEventDefinition
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException, TaskNotFoundException
from SpiffWorkflow.util.task import TaskState

from app.workflow import compaction
from app.workflow.clock import engine_time
from app.workflow.compiler import SERIALIZER
from app.workflow.errors import DueTrace, Effect, FunctionCall, ScriptFailed, WorkflowError, WorkItemNotReady
from app.workflow.scripting import SCRIPT_ENGINE, collecting_effects, recording_calls

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
STATE_FORMAT_ZLIB = b"z1"
# zlib at level 9: on PostgreSQL the smallest of the formats measured (JSON text with TOAST pglz
# or lz4, JSONB, zlib 1/6/9) at the same encode and decode cost as level 6 for these few-KB
# states (docs/benchmarks.md, scripts/bench_state_storage.py). Any level decodes the same way.
STATE_ZLIB_LEVEL = 9


@dataclass(frozen=True)
class ReadyUserTask:
    spiff_task_id: str
    spec_id: str
    title: str
    lane: str | None
    form: str | None
    ui_form: str | None
    instructions: str | None
    due_on: str | None
    # The task's own data: assignment reads the unit from it, since branches may hold different
    # values (a multi-instance child carries its element; a boundary path keeps the lead agency of
    # when it started while the main path has a new one).
    data: dict[str, Any] = field(default_factory=dict)
    due_trace: DueTrace | None = None
    # The task property `reminders="model"`: the model reminds this step itself (its own boundary
    # timers), so the scheduler's generic work-item reminders leave it alone.
    reminded_by_model: bool = False


@dataclass(frozen=True)
class WaitingTimer:
    spiff_task_id: str
    spec_id: str
    name: str | None
    due_at: datetime


@dataclass
class StepResult:
    state: bytes
    # The user tasks that became ready in this step (every ready one after a migration, whose
    # open items are refreshed); `ready_ids` holds every ready user task.
    ready: list[ReadyUserTask]
    timers: list[WaitingTimer]
    effects: list[Effect]
    completed: bool
    data: dict[str, Any]
    fired_timer_ids: list[str]
    calls: list[FunctionCall] = field(default_factory=list)
    # What the stored state held before the step: its ready user tasks and waiting timers. The
    # projections match the state after every step, so these tell the adapter when there is no
    # `work_item` or `timer` row to read (None: unknown, read them).
    ready_before: frozenset[str] | None = None
    timers_before: dict[str, datetime] | None = None  # spiff task id -> due instant
    ready_ids: frozenset[str] = frozenset()


@lru_cache(maxsize=64)
def _restored_spec(spec_key: str, spec_json: str) -> tuple[Any, dict[str, Any]]:
    raw = json.loads(spec_json)
    spec = SERIALIZER.from_dict(raw["spec"])
    subprocess_specs = {k: SERIALIZER.from_dict(v) for k, v in raw["subprocess_specs"].items()}
    return spec, subprocess_specs


def restored_spec(spec_key: str, spec_json: str) -> tuple[Any, dict[str, Any]]:
    """The cached, restored spec of one model version (shared, never mutated)."""
    return _restored_spec(spec_key, spec_json)


def _workflow_converter() -> Any:
    """The serializer's converter of `BpmnWorkflow` (registered as a bound `to_dict` in a partial)."""
    registry = SERIALIZER.registry
    to_dict = registry.convert_to_dict[registry.typenames[BpmnWorkflow]]
    return to_dict.args[1].__self__


_WORKFLOW_CONVERTER = _workflow_converter()


def state_dict(workflow: BpmnWorkflow) -> dict[str, Any]:
    """What `SERIALIZER.to_dict(workflow)` returns, minus the spec and the subprocess specs.

    The specs are stored once per model version; converting them on every save only to drop
    them cost about as much as converting the tasks (the spec is the larger part). This is
    `BpmnWorkflowConverter.to_dict` without its two spec lines, keys in the same order.
    """
    converter = _WORKFLOW_CONVERTER
    dct: dict[str, Any] = WorkflowConverter.to_dict(converter, workflow)
    dct["subprocesses"] = converter.mapping_to_dict(workflow.subprocesses)
    dct["bpmn_events"] = converter.registry.convert(workflow.bpmn_events)
    dct["typename"] = SERIALIZER.registry.typenames[BpmnWorkflow]
    return dct


def encode_state(workflow: BpmnWorkflow) -> bytes:
    """Serialize without the spec (stored once per model version), compressed (see STATE_ZLIB_LEVEL)."""
    dct = state_dict(workflow)
    dct[SERIALIZER.VERSION_KEY] = SERIALIZER.VERSION
    return STATE_FORMAT_ZLIB + zlib.compress(_json_bytes(dct), STATE_ZLIB_LEVEL)


def decode_state(state: bytes) -> dict[str, Any]:
    if state.startswith(STATE_FORMAT_ZLIB):
        state = zlib.decompress(state[len(STATE_FORMAT_ZLIB) :])
    try:
        loaded: dict[str, Any] = orjson.loads(state)
    except orjson.JSONDecodeError:  # NaN or Infinity, which the json module writes and orjson refuses
        loaded = json.loads(state)
    return loaded


# orjson writes what the json module writes for the types SpiffWorkflow's serializer leaves in a
# state (str, int, float, bool, None, list, dict) about ten times faster, and reads it three times
# faster: a tenth of a millisecond saved on every step. A float NaN, which no model has reason to
# hold, is written null. What the json module would refuse, orjson must refuse too (dates,
# dataclasses: the `PASSTHROUGH` options), so that the fallback raises as before.
_ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _json_bytes(dct: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON, as `json.dumps(separators=(",", ":"), ensure_ascii=False)` writes it."""
    try:
        return orjson.dumps(dct, option=_ORJSON_OPTIONS)
    except TypeError:  # integers over 64 bits, or a type the json module refuses as well
        return json.dumps(dct, separators=(",", ":"), ensure_ascii=False).encode()


def load(spec_key: str, spec_json: str, state: bytes) -> BpmnWorkflow:
    spec, subprocess_specs = _restored_spec(spec_key, spec_json)
    dct = decode_state(state)
    dct["spec"] = spec
    dct["subprocess_specs"] = dict(subprocess_specs)
    SERIALIZER.migrate(dct)
    workflow: BpmnWorkflow = SERIALIZER.from_dict(dct)
    workflow.script_engine = SCRIPT_ENGINE  # the engine is not serialized: attach it on every load
    _share_ids(workflow)
    return workflow


def _share_ids(workflow: BpmnWorkflow) -> None:
    """Make every reference to a task (its key in `tasks`, its parent's and children's links) the
    same `UUID` object as its `task.id`.

    The serializer creates a new `UUID` for each of them, so each of the hundreds of lookups a
    step makes (`task.parent`, `task.children`, a walk of the tree) ran `UUID.__eq__`, a Python
    call, after the hash; with one object a dictionary finds it by identity. A step after a load
    costs about 5 % fewer instructions. Nothing else changes: equal ids stay equal.
    """
    for owner in (workflow, *workflow.subprocesses.values()):
        tasks = {task.id: task for task in owner.tasks.values()}
        for task in tasks.values():
            parent = tasks.get(task._parent)
            if parent is not None:
                task._parent = parent.id
            task._children = [tasks[child].id if child in tasks else child for child in task._children]
        owner.tasks = tasks


def start(spec_key: str, spec_json: str, data: dict[str, Any], now: datetime) -> StepResult:
    spec, subprocess_specs = _restored_spec(spec_key, spec_json)
    workflow = BpmnWorkflow(spec, dict(subprocess_specs), script_engine=SCRIPT_ENGINE)
    workflow.get_tasks(state=TaskState.READY)[0].data.update(data)
    return _run(workflow, now, lambda: None)


def complete(
    spec_key: str, spec_json: str, state: bytes, spiff_task_id: str, data: dict[str, Any], now: datetime
) -> StepResult:
    """Complete one ready user task with the submitted form data, then run to the next wait."""
    workflow = load(spec_key, spec_json, state)
    try:
        task = workflow.get_task_from_id(UUID(spiff_task_id))
    except (TaskNotFoundException, ValueError) as exc:
        raise WorkItemNotReady("Bước công việc không còn tồn tại trong quy trình.") from exc
    if task.state != TaskState.READY or not task.task_spec.manual:
        raise WorkItemNotReady("Bước công việc này đã được xử lý.")

    def step() -> None:
        task.set_data(**data)
        task.run()

    return _run(workflow, now, step)


def fire_due_timers(spec_key: str, spec_json: str, state: bytes, now: datetime) -> StepResult:
    workflow = load(spec_key, spec_json, state)
    return _run(workflow, now, workflow.refresh_timers)


def deliver_message(
    spec_key: str, spec_json: str, state: bytes, message: str, payload: dict[str, Any], now: datetime
) -> StepResult:
    """Deliver a named message to the waiting catch event that expects it."""
    workflow = load(spec_key, spec_json, state)

    def step() -> None:
        for task in list(workflow.event_manager.tasks.values()):
            for definition in _event_definitions(task):
                if isinstance(definition, MessageEventDefinition) and definition.name == message:
                    workflow.send_event(BpmnEvent(definition, payload))
                    return
        raise WorkItemNotReady(f"Quy trình không chờ thông điệp '{message}'.")

    return _run(workflow, now, step)


@contextmanager
def _engine_errors() -> Iterator[None]:
    try:
        yield
    except WorkflowError:
        raise
    except SpiffWorkflowException as exc:
        raise ScriptFailed(f"Lỗi khi chạy quy trình: {exc}") from exc


def run_step(workflow: BpmnWorkflow, now: datetime, step: Callable[[], Any]) -> StepResult:
    """Run `step` then the engine to its next wait, at `now`; for operations outside this module
    (a migration or a cancellation: the result describes every ready task, not only new ones)."""
    return _run(workflow, now, step, view_all_ready=True)


def replace_values(
    spec_key: str, spec_json: str, state: bytes, changes: dict[str, tuple[Any, Any]], now: datetime
) -> StepResult:
    """Replace `name: (old, new)` in the data of every unfinished task holding `old`, then re-read the
    date timers of those tasks, so that a recomputed deadline also moves the reminders built on it.

    Only date timers (`timeDate`) are re-read: a duration timer counts from when it started waiting
    and must not restart.
    """
    workflow = load(spec_key, spec_json, state)

    def step() -> None:
        for task in _live_branch(workflow):
            touched = False
            for name, (old, new) in changes.items():
                if name in task.data and task.data[name] == old:
                    task.data[name] = new
                    touched = True
            definition = getattr(task.task_spec, "event_definition", None)
            if touched and isinstance(definition, TimeDateEventDefinition):
                if task._get_internal_data("event_value") is not None:
                    value = SCRIPT_ENGINE.evaluate(task, definition.expression)
                    task._set_internal_data(event_value=value)

    return _run(workflow, now, step)


def _live_branch(workflow: BpmnWorkflow) -> list[Any]:
    """The unfinished tasks and their ancestors: a waiting task inherits its parent's data again
    when it is updated, so the parents on the way must hold the new value too. Finished side
    branches keep the history as it was."""
    seen: dict[str, Any] = {}
    for task in workflow.get_tasks(state=TaskState.NOT_FINISHED_MASK):
        while task is not None and str(task.id) not in seen:
            seen[str(task.id)] = task
            task = task.parent
    return list(seen.values())


def _run(
    workflow: BpmnWorkflow, now: datetime, step: Callable[[], Any], view_all_ready: bool = False
) -> StepResult:
    # Before the step: it drops only finished tasks, and it also rescues a tree already too deep
    # for SpiffWorkflow's recursive ancestor checks (a loop taken many times).
    compaction.compact(workflow)
    waiting_before = {str(t.id) for t in workflow.event_manager.tasks.values()}
    ready_before = frozenset(str(t.id) for t in _all_tasks(workflow) if _is_ready_user_task(t))
    timers_before = {t.spiff_task_id: t.due_at for t in _waiting_timers(workflow)}
    with engine_time(now), collecting_effects() as effects, recording_calls() as calls, _engine_errors():
        step()
        _run_engine_tasks(workflow)
        # One walk of the tree, in its order: the ready user tasks, and the latest data (that of
        # the first ready or waiting task). A task that was already ready keeps its open item, so
        # its view (a `dueOn` evaluation) is made only when asked for.
        current = workflow.get_tasks(state=TaskState.READY | TaskState.WAITING)
        ready_tasks = [t for t in current if _is_ready_user_task(t)]
        ready = [
            _ready_view(t, calls) for t in ready_tasks if view_all_ready or str(t.id) not in ready_before
        ]
    timers = _waiting_timers(workflow)
    fired = _fired(workflow, waiting_before - {str(t.id) for t in workflow.event_manager.tasks.values()})
    compaction.compact(workflow)
    completed = workflow.is_completed()
    return StepResult(
        state=encode_state(workflow),
        ready=ready,
        timers=timers,
        effects=list(effects),
        completed=completed,
        data=dict(workflow.data) if completed else _latest_data(workflow, current),
        fired_timer_ids=fired,
        calls=list(calls),
        ready_before=ready_before,
        timers_before=timers_before,
        ready_ids=frozenset(str(t.id) for t in ready_tasks),
    )


def _run_engine_tasks(workflow: BpmnWorkflow) -> None:
    """Run the engine until only user tasks and waits are left, timers already due included.

    SpiffWorkflow's `do_engine_steps` ends by checking the waiting timers: one already due becomes
    ready there and is left unrun. Any step taken after a timer's due instant and before the sweep
    (a progress report while a reminder is due, a corrected process variable) would then save it
    ready but unrun, out of the waiting timers: its path would not run until some later step.
    Running the engine again until no engine task is ready fires it in this step, once.
    """
    workflow.do_engine_steps()
    for _ in range(ENGINE_PASSES_MAX):  # a bound, never reached: each due timer fires once
        if not any(t.state == TaskState.READY and not t.task_spec.manual for t in _all_tasks(workflow)):
            return
        workflow.do_engine_steps()


ENGINE_PASSES_MAX = 100


def _all_tasks(workflow: BpmnWorkflow) -> Iterator[Any]:
    """Every task of the workflow and of its running subprocesses, in no particular order (a flat
    read of their task tables: a walk of the tree costs several times more)."""
    yield from workflow.tasks.values()
    for subprocess in workflow.subprocesses.values():
        yield from subprocess.tasks.values()


def _is_ready_user_task(task: Any) -> bool:
    return bool(task.state == TaskState.READY and task.task_spec.manual)


def _fired(workflow: BpmnWorkflow, left_waiting: set[str]) -> list[str]:
    """Of the catch events that stopped waiting, those that completed (a cancelled one did not fire)."""
    fired = []
    for spiff_id in sorted(left_waiting):
        try:
            task = workflow.get_task_from_id(UUID(spiff_id))
        except TaskNotFoundException:
            continue
        if task is not None and task.state == TaskState.COMPLETED:
            fired.append(spiff_id)
    return fired


def _latest_data(workflow: BpmnWorkflow, current: list[Any] | None = None) -> dict[str, Any]:
    """The data of the first ready or waiting task (`current`: those tasks, when already read)."""
    tasks = current if current is not None else workflow.get_tasks(state=TaskState.READY | TaskState.WAITING)
    return dict(tasks[0].data) if tasks else {}


def _due_rule(task: Any, props: dict[str, str]) -> str | None:
    """The regulation a due date comes from: `dueRuleFrom` names a process variable holding it (the
    citation a decision table returned for the profile), `dueRule` is a fixed text."""
    variable = props.get("dueRuleFrom")
    value = task.data.get(variable) if variable else None
    return str(value) if value else props.get("dueRule")


def _ready_view(task: Any, step_calls: list[FunctionCall]) -> ReadyUserTask:
    spec = task.task_spec
    props: dict[str, str] = spec.extensions.get("properties", {})
    due_expression = props.get("dueOn")
    before = len(step_calls)
    due_on = SCRIPT_ENGINE.evaluate(task, due_expression) if due_expression else None
    trace = DueTrace(
        expression=due_expression,
        rule=_due_rule(task, props),
        calls=tuple(step_calls[before:]),
        step_calls=_calls_returning(due_on, step_calls[:before]),
    )
    return ReadyUserTask(
        spiff_task_id=str(task.id),
        spec_id=spec.bpmn_id,
        title=spec.bpmn_name or spec.bpmn_id,
        lane=spec.lane,
        form=props.get("formJsonSchemaFilename"),
        ui_form=props.get("formUiSchemaFilename"),
        instructions=spec.extensions.get("instructionsForEndUser"),
        due_on=str(due_on) if due_on else None,
        data=dict(task.data),
        due_trace=trace if due_on else None,
        reminded_by_model=props.get("reminders") == "model",
    )


def _calls_returning(value: Any, calls: list[FunctionCall]) -> tuple[FunctionCall, ...]:
    """The calls whose result is the very object `value` (identity, not equality): a date a script
    stored in a variable during this step is traced to its computation, while an equal date that
    came from elsewhere (a deadline typed by a person) is not mistaken for it."""
    if value is None:
        return ()
    return tuple(call for call in calls if call.result is value)


def _waiting_timers(workflow: BpmnWorkflow) -> list[WaitingTimer]:
    timers = []
    for task in workflow.event_manager.tasks.values():
        if not any(isinstance(d, TimerEventDefinition) for d in _event_definitions(task)):
            continue
        value = task._get_internal_data("event_value")
        if isinstance(value, dict):  # cycle timers keep {"next": ...}
            value = value.get("next")
        if value is None:
            continue
        timers.append(
            WaitingTimer(
                spiff_task_id=str(task.id),
                spec_id=task.task_spec.bpmn_id or task.task_spec.name,
                name=task.task_spec.bpmn_name,
                due_at=parse_instant(str(value)),
            )
        )
    return timers


def _event_definitions(task: Any) -> list[Any]:
    """What a waiting task listens for; an event-based gateway listens for several events at once."""
    definition = getattr(task.task_spec, "event_definition", None)
    if isinstance(definition, MultipleEventDefinition):
        return list(definition.event_definitions)
    return [definition] if definition is not None else []


def parse_instant(value: str) -> datetime:
    """An ISO instant from a timer; a naive one is read as Vietnam time, the product's zone."""
    instant = datetime.fromisoformat(value)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=VIETNAM)
    return instant.astimezone(UTC)

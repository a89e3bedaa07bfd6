"""Engine-side operations on one instance: which steps ran, cancel, move to another model version.

Moving a running instance to a new version uses SpiffWorkflow's own spec diff (`diff_workflow`),
which aligns the old task specs with the new ones by BPMN id. We then re-point every task at its
new spec and reset the tasks that must be re-evaluated: every ready step (so what lies ahead is
predicted from the new model, with the same task ids so work items keep their claims), and every
waiting timer whose definition changed or whose path lost a step. A waiting timer that did not
change keeps its due time: migrating must not restart a running countdown.

The dry run performs exactly this in memory and reports what would happen; nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn.util.diff import diff_workflow
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from app.workflow import compaction, runtime
from app.workflow.compiler import SERIALIZER
from app.workflow.errors import MigrationRefused
from app.workflow.runtime import StepResult

ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED


@dataclass(frozen=True)
class StepStates:
    """BPMN ids of the steps an instance completed and of those it waits in (for the diagram)."""

    completed: list[str]
    active: list[str]


@dataclass
class MigrationPlan:
    active: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def possible(self) -> bool:
        return not self.reasons


def _bpmn_id(task: Any) -> str:
    spec = task.task_spec
    return str(getattr(spec, "bpmn_id", None) or spec.name)


def _label(task: Any) -> str:
    spec = task.task_spec
    name = getattr(spec, "bpmn_name", None)
    return f"'{name}' ({_bpmn_id(task)})" if name else f"'{_bpmn_id(task)}'"


def step_states(spec_key: str, spec_json: str, state: bytes) -> StepStates:
    workflow = runtime.load(spec_key, spec_json, state)

    def ids(mask: int) -> list[str]:
        return sorted(
            {_bpmn_id(t) for t in workflow.get_tasks(state=mask) if getattr(t.task_spec, "bpmn_id", None)}
        )

    completed = sorted(set(ids(TaskState.COMPLETED)) | set(compaction.completed_before(workflow)))
    return StepStates(completed=completed, active=ids(ACTIVE))


def cancel(spec_key: str, spec_json: str, state: bytes, now: datetime) -> StepResult:
    """Cancel every open step (terminate): no work item, no timer is left behind."""
    workflow = runtime.load(spec_key, spec_json, state)
    return runtime.run_step(workflow, now, lambda: workflow.cancel())


def plan(
    old: tuple[str, str], state: bytes, new: tuple[str, str], now: datetime
) -> tuple[MigrationPlan, Callable[[], StepResult] | None]:
    """Migrate in memory; returns the report and, when possible, the step's result to save."""
    workflow = runtime.load(old[0], old[1], state)
    report = MigrationPlan(active=sorted({_label(t) for t in workflow.get_tasks(state=ACTIVE)}))
    new_spec, new_dependencies = runtime.restored_spec(*new)
    top, sub_diffs = diff_workflow(SERIALIZER.registry, workflow, new_spec, new_dependencies)
    report.reasons.extend(
        f"bước đang chờ {_label(t)} không còn trong phiên bản mới" for t in top.removed if t.state & ACTIVE
    )
    report.reasons.extend(
        f"quy trình con '{sp_id}' không có trong phiên bản mới" for sp_id, d in sub_diffs.items() if d is None
    )
    report.changed = sorted({_label(t) for t in top.changed if t.state & ACTIVE})
    if report.reasons:
        return report, None

    def step() -> None:
        _realign(workflow, top, new_spec, new_dependencies)

    try:
        result = runtime.run_step(workflow, now, step)
        _check_loads(result.state, new)
    except MigrationRefused as exc:
        report.reasons.extend(exc.reasons)
        return report, None
    return report, lambda: result  # the dry run's own outcome, already checked to load


def _realign(workflow: BpmnWorkflow, top: Any, new_spec: Any, new_dependencies: dict[str, Any]) -> None:
    removed = {t.id for t in top.removed}
    changed = {t.id for t in top.changed}
    workflow.spec = new_spec
    workflow.subprocess_specs = dict(new_dependencies)
    for task in workflow.tasks.values():
        aligned = top.alignment.get(task)
        if aligned is not None:
            task.task_spec = aligned
    for task in list(workflow.get_tasks(state=TaskState.READY | TaskState.WAITING, skip_subprocesses=True)):
        if task.id not in workflow.tasks:
            continue  # dropped with an ancestor reset just before
        lost_ahead = any(d.id in removed for d in task)
        if task.state == TaskState.READY or task.id in changed or lost_ahead:
            task.reset_branch(None)
    leftovers = [t for t in workflow.tasks.values() if t.id in removed]
    if leftovers:
        raise MigrationRefused(
            [f"bước đã qua {_label(t)} không còn trong phiên bản mới" for t in leftovers[:5]]
        )
    if workflow.last_task is not None and workflow.last_task.id not in workflow.tasks:
        workflow.last_task = None


def _check_loads(state: bytes, new: tuple[str, str]) -> None:
    """The migrated state must load against the new spec, or nothing is saved."""
    try:
        runtime.load(new[0], new[1], state)
    except Exception as exc:  # noqa: BLE001 - any failure means the migration is unsafe
        raise MigrationRefused([f"trạng thái sau khi chuyển không đọc lại được ({exc})"]) from exc

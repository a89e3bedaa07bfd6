"""Drop the finished history of a long-running instance, so that its state stops growing.

A task without a deadline reports its progress every month or quarter for years (R6), and the
lead agency may report as often as it likes: every report loops back to the report step, and
SpiffWorkflow keeps every earlier pass in the task tree. Measured on `task_lifecycle`: the stored
state grows by about 400 bytes a report (3.6 kB at the first, 35 kB at the 80th) and each step
walks the whole tree several times, so a step costs three to four times more after 40 reports.

Compaction keeps the part of the tree that can still change: the subtree of the nearest
completed common ancestor of every unfinished task (ready, waiting, predicted). Everything
outside it is finished and is dropped; that ancestor becomes the root and keeps its data (the
data every later step inherits). The step ids the dropped part had completed are kept on the new
root (`COMPLETED_BEFORE`), so the instance's diagram still shows them as done.

Without it, SpiffWorkflow's recursive ancestor checks (`Task.is_descendant_of`, used by the join
before a task with boundary events) exceed Python's recursion limit once a loop has made the tree
about a thousand levels deep: a task already reported on 80 times (in the benchmark data) failed
on its next step with a RecursionError, for good.

It is refused, leaving the tree as it is, whenever the dropped part could still be read by the
engine: subprocesses and call activities, multi-instance and loop tasks, unstructured joins (a
parallel or inclusive gateway looks at every branch), or a structured join (the one before a task
with boundary events) whose split would be dropped.

Every tree is compacted, before each step and again before it is saved, not only long ones: the
finished start of a short process is read, walked and written again on every later step too. On
the late-classification timer of `directive_intake` it is 7 of 18 tasks, and dropping them makes
the engine step of firing that timer about a fifth cheaper (2.09 -> 1.67 ms, measured alone).
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.specs.control import _EndJoin
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.specs.Join import Join
from SpiffWorkflow.util.task import TaskState

COMPLETED_BEFORE = "completed_before"  # internal data of the root: step ids done in dropped passes
_READS_OTHER_BRANCHES = (LoopTask, SubWorkflowTask)


def compact(workflow: BpmnWorkflow) -> int:
    """Drop the finished history above the live part of the tree; the number of tasks dropped."""
    if workflow.subprocesses:
        return 0
    unfinished = [t for t in workflow.tasks.values() if not t.has_state(TaskState.FINISHED_MASK)]
    if not unfinished or any(_reads_other_branches(t.task_spec) for t in unfinished):
        return 0
    root = _completed_common_ancestor(unfinished)
    if root is None or root.parent is None:
        return 0
    kept = _subtree_ids(root)
    dropped = [task for task_id, task in workflow.tasks.items() if task_id not in kept]
    if any(_reads_other_branches(t.task_spec) for t in dropped) or not _splits_kept(unfinished, kept):
        return 0
    history = set(workflow.task_tree.internal_data.get(COMPLETED_BEFORE, []))
    history.update(_bpmn_id(t) for t in dropped if t.has_state(TaskState.COMPLETED) and _bpmn_id(t))
    root.data = dict(root.data)  # the root stores its whole data (its children store deltas)
    root._parent = None
    root.internal_data[COMPLETED_BEFORE] = sorted(history)
    for task in dropped:
        del workflow.tasks[task.id]
    workflow.task_tree = root
    if workflow.last_task is not None and workflow.last_task.id not in kept:
        workflow.last_task = root
    return len(dropped)


def completed_before(workflow: BpmnWorkflow) -> list[str]:
    """Step ids completed in passes that compaction dropped (for the diagram)."""
    return list(workflow.task_tree.internal_data.get(COMPLETED_BEFORE, []))


def _reads_other_branches(spec: Any) -> bool:
    """Specs whose engine code reads tasks outside their own path: never dropped, never cut from.

    The process's own end join only looks for unfinished tasks, which are all kept."""
    if isinstance(spec, _EndJoin):
        return False
    if isinstance(spec, Join):
        return spec.split_task is None  # parallel and inclusive gateways look at every branch
    return isinstance(spec, _READS_OTHER_BRANCHES)


def _splits_kept(unfinished: list[Any], kept: set[Any]) -> bool:
    """A structured join still to run finds its split among its ancestors: it must stay."""
    for task in unfinished:
        spec = task.task_spec
        if isinstance(spec, Join) and spec.split_task is not None:
            split = task.find_ancestor(spec.split_task)
            if split is None or split.id not in kept:
                return False
    return True


def _completed_common_ancestor(tasks: list[Any]) -> Any:
    """The deepest completed task that is an ancestor of every task in `tasks`.

    The ancestors of the first task are read once; every other task walks up only to where it
    meets them (a sibling branch meets them within a few levels), and the highest meeting point
    is where every path joins. Compaction runs on every step, so this is kept cheap."""
    path = _ancestors(tasks[0])  # nearest first
    rank = {task.id: index for index, task in enumerate(path)}
    common = 0
    for task in tasks[1:]:
        parent = task.parent
        while parent is not None and parent.id not in rank:
            parent = parent.parent
        if parent is None:
            return None
        common = max(common, rank[parent.id])
    for task in path[common:]:  # nearest first, from where every path has joined
        if task.has_state(TaskState.COMPLETED):
            return task
    return None


def _ancestors(task: Any) -> list[Any]:
    found = []
    parent = task.parent
    while parent is not None:
        found.append(parent)
        parent = parent.parent
    return found


def _subtree_ids(root: Any) -> set[Any]:
    kept, stack = set(), [root]
    while stack:
        task = stack.pop()
        kept.add(task.id)
        stack.extend(task.children)
    return kept


def _bpmn_id(task: Any) -> str:
    return str(getattr(task.task_spec, "bpmn_id", None) or "")

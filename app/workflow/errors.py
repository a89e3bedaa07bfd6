"""Named errors of the engine adapter; the web and API layers map them to messages and statuses."""

from __future__ import annotations

from dataclasses import dataclass, field


class WorkflowError(Exception):
    """Base of every error the adapter raises; `message` is written for a clerk, in Vietnamese."""

    code = "workflow_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ModelProblem:
    """One reason a model file is refused, pinned to the element an analyst must fix."""

    file: str
    message: str
    element_id: str | None = None


class InvalidModel(WorkflowError):
    code = "invalid_model"

    def __init__(self, problems: list[ModelProblem]) -> None:
        self.problems = problems
        first = problems[0].message if problems else "Mô hình không hợp lệ."
        super().__init__(f"Mô hình không hợp lệ: {first}")


class UnsafeXml(WorkflowError):
    code = "unsafe_xml"


class WorkItemNotReady(WorkflowError):
    """The step was completed already, or the process moved on: a stale or duplicate submit."""

    code = "already_completed"


class InstanceNotRunning(WorkItemNotReady):
    """The process is suspended or terminated: nothing may move it until it is resumed."""

    code = "instance_not_running"


class MigrationRefused(WorkflowError):
    """A running instance cannot move to the chosen version (its active steps are not there)."""

    code = "migration_refused"

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__("Không chuyển được phiên bản: " + "; ".join(reasons))


class StaleInstance(WorkflowError):
    """Another user changed the same process between our load and our save."""

    code = "stale_version"


class ScriptFailed(WorkflowError):
    """A script, condition, timer expression or decision table failed while the engine ran."""

    code = "script_failed"


@dataclass
class Effect:
    """A domain change requested by a model script, applied by the services after the step."""

    name: str
    args: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class FunctionCall:
    """A registered helper called by a script or expression during a step, with what it returned."""

    name: str
    args: tuple[object, ...]
    kwargs: dict[str, object]
    result: object


@dataclass(frozen=True)
class DueTrace:
    """How the due date of a newly ready user task was obtained, for the services to record.

    `expression` is the task's `dueOn` text and `rule` its optional `dueRule` text (the regulation
    the date comes from). `calls` are the helpers called while evaluating `expression` itself;
    `step_calls` the helpers called earlier in the step that returned the very value `expression`
    gave, so that `dueOn="accept_due_on"` is traced back to the `add_working_days(received_on, 2)`
    a script ran just before, and never to an unrelated call that happened to return an equal date.
    """

    expression: str | None
    rule: str | None
    calls: tuple[FunctionCall, ...]
    step_calls: tuple[FunctionCall, ...]

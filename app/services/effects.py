"""Domain changes that model scripts request (`set_status(...)`, `start_process(...)`...).

The engine collects them during a step; these handlers apply them to the domain rows in the same
transaction, checking each against the domain's rules. A script cannot write anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from app.extensions import db
from app.models import Directive, Task, User
from app.services import audit
from app.services.reports import effects as report_effects
from app.services.task_status import check_transition
from app.workflow import Effect, StepContext, WorkflowError, start_instance

TASK_FIELDS = {"result_summary", "completed_on"}
DIRECTIVE_FIELDS = {"origin_level", "status"}


def apply_effect(effect: Effect, context: StepContext) -> None:
    handler = HANDLERS.get(effect.name)
    if handler is None:
        raise WorkflowError(f"Hiệu ứng '{effect.name}' không được hỗ trợ.")
    handler(effect.args, context)


def _task_of(context: StepContext) -> Task:
    task = db.session.get(Task, context.instance.task_id) if context.instance.task_id else None
    if task is None:
        raise WorkflowError("Quy trình này không gắn với nhiệm vụ nào.")
    return task


def _positional(args: dict[str, Any], name: str) -> Any:
    positional = args.pop("_args", [])
    if positional:
        return positional[0]
    if name in args:
        return args.pop(name)
    raise WorkflowError(f"Thiếu tham số '{name}'.")


def set_status(args: dict[str, Any], context: StepContext) -> None:
    task = _task_of(context)
    target = _positional(dict(args), "status")
    before = task.status
    task.status = check_transition(task.status, str(target))
    task.status_changed_at = context.now
    audit.record(
        "task_status_changed",
        actor_id=context.actor_id,
        directive_id=task.directive_id,
        task_id=task.id,
        instance_id=context.instance.id,
        details={"from": before, "to": task.status},
        at=context.now,
    )


def update_task(args: dict[str, Any], context: StepContext) -> None:
    task = _task_of(context)
    unknown = set(args) - TASK_FIELDS
    if unknown:
        raise WorkflowError(f"Không được cập nhật trường {sorted(unknown)} của nhiệm vụ.")
    if "result_summary" in args:
        task.result_summary = str(args["result_summary"]) if args["result_summary"] else None
    if "completed_on" in args:
        value = args["completed_on"]
        task.completed_on = date.fromisoformat(str(value)[:10]) if value else None


def update_directive(args: dict[str, Any], context: StepContext) -> None:
    directive = db.session.get(Directive, context.instance.directive_id)
    if directive is None:
        raise WorkflowError("Quy trình này không gắn với văn bản nào.")
    unknown = set(args) - DIRECTIVE_FIELDS
    if unknown:
        raise WorkflowError(f"Không được cập nhật trường {sorted(unknown)} của văn bản.")
    for key, value in args.items():
        setattr(directive, key, value)


def start_process(args: dict[str, Any], context: StepContext) -> None:
    """Start a child process; a task process gets its data from the task row, not from the script."""
    args = dict(args)
    process_id = str(_positional(args, "process_id"))
    task_id = args.get("task_id")
    if task_id is None:
        raise WorkflowError("start_process cần task_id.")
    task = db.session.get(Task, int(task_id))
    if task is None:
        raise WorkflowError(f"Không có nhiệm vụ {task_id}.")
    start_instance(
        process_id,
        task_process_data(task),
        now=context.now,
        actor_id=context.actor_id,
        directive_id=task.directive_id,
        task_id=task.id,
    )


def task_process_data(task: Task) -> dict[str, Any]:
    directive = task.directive
    office = directive.office_unit
    return {
        "task_id": task.id,
        "directive_id": directive.id,
        "lead_unit_id": task.lead_unit_id,
        "office_unit_id": office.id,
        "province_unit_id": office.parent_id or office.id,
        "due_on": task.due_on.isoformat() if task.due_on else None,
        "issued_on": directive.issued_on.isoformat(),
        "is_urgent": directive.is_urgent,
    }


def record(args: dict[str, Any], context: StepContext) -> None:
    args = dict(args)
    action = str(_positional(args, "action"))
    audit.record_step(f"model:{action}", context, args)


def notify(args: dict[str, Any], context: StepContext) -> None:
    """Notify the people a model names: `to_role` (a lane code or user role) and/or `to_user` (an id).

    The request is kept in the audit trail (`model:notify`) and becomes one in-app notice per
    recipient (plus its e-mail copy), in the same transaction as the step that asked for it.
    """
    from app.services import notice_texts, notifications

    args = dict(args)
    kind = str(_positional(args, "kind"))
    record({"_args": ["notify"], "kind": kind, **args}, context)
    recipients = _recipients(args, context)
    instance = context.instance
    directive = db.session.get(Directive, instance.directive_id) if instance.directive_id else None
    link = (
        notice_texts.task_link(instance.task_id, instance.directive_id)
        if instance.task_id and instance.directive_id
        else f"/directives/{instance.directive_id}"
        if instance.directive_id
        else None
    )
    notifications.notify_users(
        recipients,
        notifications.Notice(
            kind=kind,
            title=notice_texts.model_title(kind, args, directive),
            body=notice_texts.model_body(args),
            link=link,
            directive_id=instance.directive_id,
            task_id=instance.task_id,
        ),
        now=context.now,
    )


def _recipients(args: dict[str, Any], context: StepContext) -> list[User]:
    from app.services.notifications import lane_users

    users: list[User] = []
    for code in _as_list(args.get("to_role")):
        users += lane_users(str(code), context.data)
    for user_id in _as_list(args.get("to_user")):
        user = db.session.get(User, int(user_id)) if str(user_id).isdigit() else None
        if user is not None:
            users.append(user)
    return users


def _as_list(value: Any) -> list[Any]:
    if value in (None, ""):
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def urge(args: dict[str, Any], context: StepContext) -> None:
    """Record an urging document or notice a model step issued about its task (e.g. after feedback)."""
    from app.services.urging import record_urging

    task = _task_of(context)
    doc_date = args.get("doc_date")
    record_urging(
        task.directive.office_unit_id,
        [task],
        message=str(args.get("message") or "Văn phòng đôn đốc thực hiện nhiệm vụ."),
        doc_reference=str(args["doc_reference"]) if args.get("doc_reference") else None,
        doc_date=date.fromisoformat(str(doc_date)[:10]) if doc_date else None,
        doc_signer=str(args["doc_signer"]) if args.get("doc_signer") else None,
        stored=None,
        actor_id=context.actor_id,
        source=str(args.get("source") or "process"),
        now=context.now,
    )


def update_inspection(args: dict[str, Any], context: StepContext) -> None:
    """The inspection process's projection lives with the inspection services."""
    from app.services.inspections.projection import update_inspection as apply

    apply(args, context)


HANDLERS: dict[str, Callable[[dict[str, Any], StepContext], None]] = {
    "set_status": set_status,
    "update_task": update_task,
    "update_directive": update_directive,
    "start_process": start_process,
    "record": record,
    "notify": notify,
    "update_report": report_effects.update_report,
    "update_inspection": update_inspection,
    "urge": urge,
}

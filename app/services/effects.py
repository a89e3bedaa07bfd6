"""Domain changes that model scripts request (`set_status(...)`, `start_process(...)`...).

The engine collects them during a step; these handlers apply them to the domain rows in the same
transaction, checking each against the domain's rules and auditing it. A script cannot write
anything else. Handlers of one domain area live in their own module (extension requests,
coordination, obstacles, internal assignment) and are gathered in `HANDLERS` below.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import (
    CoordinationRequest,
    Directive,
    InternalAssignment,
    ProcessInstance,
    Task,
    User,
)
from app.services import audit, coordination, delegation, extension_requests, obstacles
from app.services.effect_support import (
    RuleRefused,
    as_date,
    positional,
    task_of,
    task_process_data,
    unit_by_code,
)
from app.services.reports import effects as report_effects
from app.services.task_changes import move_task_to, set_content
from app.services.task_status import check_transition
from app.workflow import Effect, StepContext, WorkflowError, start_instance, terminate_instance

__all__ = ["HANDLERS", "RuleRefused", "apply_effect", "task_process_data"]

TASK_TEXT_FIELDS = {"result_summary", "result_document", "progress_note"}
TASK_DATE_FIELDS = {"completed_on", "expected_on", "result_due_on"}
DIRECTIVE_FIELDS = {"origin_level", "status", "classify_due_on", "classify_rule", "register"}
REGISTERS = {"main", "separate"}

Handler = Callable[[dict[str, Any], StepContext], None]


def apply_effect(effect: Effect, context: StepContext) -> None:
    handler = HANDLERS.get(effect.name)
    if handler is None:
        raise WorkflowError(f"Hiệu ứng '{effect.name}' không được hỗ trợ.")
    handler(dict(effect.args), context)


def set_status(args: dict[str, Any], context: StepContext) -> None:
    task = task_of(context)
    target = positional(args, "status")
    before = task.status
    task.status = check_transition(task.status, str(target))
    task.status_changed_at = context.now
    if before != task.status:
        audit.record_step("task_status_changed", context, {"from": before, "to": task.status})


def update_task(args: dict[str, Any], context: StepContext) -> None:
    """Results, progress and, when the Office corrects a returned task, its content (R6)."""
    task = task_of(context)
    unknown = set(args) - TASK_TEXT_FIELDS - TASK_DATE_FIELDS - {"content"}
    if unknown:
        raise WorkflowError(f"Không được cập nhật trường {sorted(unknown)} của nhiệm vụ.")
    for name in TASK_TEXT_FIELDS & set(args):
        setattr(task, name, str(args[name]).strip() if args[name] else None)
    for name in TASK_DATE_FIELDS & set(args):
        setattr(task, name, as_date(args[name], name))
    if args.get("content"):
        set_content(task, str(args["content"]), context)


def update_directive(args: dict[str, Any], context: StepContext) -> None:
    directive = _directive_of(context)
    unknown = set(args) - DIRECTIVE_FIELDS
    if unknown:
        raise WorkflowError(f"Không được cập nhật trường {sorted(unknown)} của văn bản.")
    if "register" in args and args["register"] not in REGISTERS:
        raise WorkflowError(f"Sổ theo dõi '{args['register']}' không hợp lệ.")
    for key, value in args.items():
        setattr(directive, key, as_date(value, key) if key == "classify_due_on" else value)
    if "register" in args:
        audit.record_step("directive_register_set", context, {"register": args["register"]})


def _directive_of(context: StepContext) -> Directive:
    directive = db.session.get(Directive, context.instance.directive_id)
    if directive is None:
        raise WorkflowError("Quy trình này không gắn với văn bản nào.")
    return directive


def redact_directive(args: dict[str, Any], context: StepContext) -> None:
    """R14 "redacted": keep number, dates, counts, deadlines and outcomes; drop summary and contents."""
    directive = _directive_of(context)
    directive.summary = ""
    directive.is_redacted = True
    for task in directive.tasks:
        task.content = ""
    audit.record_step(
        "directive_redacted", context, {"tasks": len(directive.tasks), "rule": args.get("rule")}
    )


def refuse(args: dict[str, Any], context: StepContext) -> None:
    """A model branch that forbids the submission: nothing of the step is kept."""
    message = str(positional(args, "message"))
    raise RuleRefused(message, rule=str(args["rule"]) if args.get("rule") else None)


def start_process(args: dict[str, Any], context: StepContext) -> None:
    """Start a child process; a task process gets its data from the task row, not from the script."""
    process_id = str(positional(args, "process_id"))
    task_id = args.get("task_id")
    if task_id is None:
        raise WorkflowError("start_process cần task_id.")
    task = db.session.get(Task, int(task_id))
    if task is None or task.directive_id != context.instance.directive_id:
        raise WorkflowError(f"Không có nhiệm vụ {task_id} trong văn bản này.")
    start_instance(
        process_id,
        task_process_data(task),
        now=context.now,
        actor_id=context.actor_id,
        directive_id=task.directive_id,
        task_id=task.id,
    )


def change_lead_unit(args: dict[str, Any], context: StepContext) -> None:
    """R6/R10: the Office forwards a returned task, or the leadership names another lead agency."""
    task = task_of(context)
    move_task_to(task, unit_by_code(positional(args, "unit"), "Cơ quan chủ trì mới"), context)


def evaluate_task(args: dict[str, Any], context: StepContext) -> None:
    """R9: the confirmer's evaluation of quality and effectiveness, kept with the task."""
    task = task_of(context)
    task.quality = str(args.get("quality") or "") or None
    task.effectiveness = str(args.get("effectiveness") or "") or None
    task.evaluation_note = str(args.get("note") or "") or None
    task.evaluated_by_id = context.actor_id
    task.evaluated_at = context.now
    audit.record_step(
        "task_evaluated",
        context,
        {"quality": task.quality, "effectiveness": task.effectiveness, "note": task.evaluation_note},
    )


def close_task_requests(args: dict[str, Any], context: StepContext) -> None:
    """When a task is completed or stopped, the coordination requests and internal assignments
    still running for it are closed: their steps leave the inboxes, their rows say so."""
    task = task_of(context)
    running = db.session.scalars(
        select(ProcessInstance).where(
            ProcessInstance.task_id == task.id,
            ProcessInstance.id != context.instance.id,
            ProcessInstance.status.in_(("running", "suspended")),
        )
    ).all()
    for instance in running:
        terminate_instance(instance, now=context.now, actor_id=context.actor_id)
    for row in db.session.scalars(
        select(CoordinationRequest).where(
            CoordinationRequest.task_id == task.id, CoordinationRequest.status.in_(("open", "escalated"))
        )
    ):
        row.status = "closed"
    for item in db.session.scalars(
        select(InternalAssignment).where(
            InternalAssignment.task_id == task.id, InternalAssignment.status != "approved"
        )
    ):
        item.status = "closed"
    if running:
        audit.record_step("task_requests_closed", context, {"processes": [i.id for i in running]})


def record(args: dict[str, Any], context: StepContext) -> None:
    action = str(positional(args, "action"))
    audit.record_step(f"model:{action}", context, args)


def notify(args: dict[str, Any], context: StepContext) -> None:
    """Notify the people a model names: `to_role` (a lane code or user role) and/or `to_user` (an id).

    The request is kept in the audit trail (`model:notify`) and becomes one in-app notice per
    recipient (plus its e-mail copy), in the same transaction as the step that asked for it.
    """
    from app.services import notice_texts, notifications

    args = dict(args)
    kind = str(positional(args, "kind"))
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

    task = task_of(context)
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


HANDLERS: dict[str, Handler] = {
    "set_status": set_status,
    "update_task": update_task,
    "update_directive": update_directive,
    "redact_directive": redact_directive,
    "refuse": refuse,
    "start_process": start_process,
    "change_lead_unit": change_lead_unit,
    "evaluate_task": evaluate_task,
    "close_task_requests": close_task_requests,
    "record": record,
    "notify": notify,
    "update_report": report_effects.update_report,
    "update_inspection": update_inspection,
    **extension_requests.HANDLERS,
    **coordination.HANDLERS,
    **obstacles.HANDLERS,
    **delegation.HANDLERS,
    "urge": urge,
}

"""R10 coordination: the lead agency asks each coordinating agency for input by its own date.

Each request is a row and a small process of its own (`coordination_request`): the coordinating
agency answers, or its delay is escalated by the lead agency to the leadership. The lead agency's
task process is not blocked meanwhile.
"""

from __future__ import annotations

from typing import Any

from app.extensions import db
from app.models import CoordinationRequest, Task
from app.services import audit
from app.services.effect_support import (
    RuleRefused,
    dmy,
    local_today,
    positional,
    required_date,
    task_of,
    task_process_data,
    unit_by_code,
)
from app.workflow import StepContext, WorkflowError, start_instance

PROCESS_ID = "coordination_request"


def request_coordination(args: dict[str, Any], context: StepContext) -> None:
    task = task_of(context)
    unit = unit_by_code(args.get("unit"), "Đơn vị phối hợp")
    if unit.id not in {c.unit_id for c in task.coordinators}:
        raise RuleRefused(f"{unit.name} không phải đơn vị phối hợp của nhiệm vụ này.")
    due_on = required_date(args.get("due_on"), "Hạn trả lời")
    if due_on < local_today(context):
        raise RuleRefused("Hạn trả lời không được trước ngày hôm nay.")
    if task.due_on is not None and due_on > task.due_on:
        raise RuleRefused(f"Hạn trả lời phải trong hạn của nhiệm vụ ({dmy(task.due_on)}).")
    text = str(args.get("request") or "").strip()
    if not text:
        raise RuleRefused("Vui lòng nhập nội dung đề nghị phối hợp.")
    row = CoordinationRequest(
        task_id=task.id,
        unit_id=unit.id,
        request_text=text,
        due_on=due_on,
        requested_by_id=context.actor_id,
        requested_at=context.now,
    )
    db.session.add(row)
    db.session.flush()
    audit.record_step(
        "coordination_requested", context, {"unit": unit.code, "due_on": due_on.isoformat(), "request": text}
    )
    _start(task, row, context)


def _start(task: Task, row: CoordinationRequest, context: StepContext) -> None:
    data = task_process_data(task) | {
        "coordination_request_id": row.id,
        "coordinating_unit_id": row.unit_id,
        "coordinating_unit": row.unit.code,
        "reply_due_on": row.due_on.isoformat(),
        "request_text": row.request_text,
    }
    start_instance(
        PROCESS_ID,
        data,
        now=context.now,
        actor_id=context.actor_id,
        directive_id=task.directive_id,
        task_id=task.id,
    )


def _row(args: dict[str, Any], context: StepContext) -> CoordinationRequest:
    row = db.session.get(CoordinationRequest, int(positional(args, "request_id")))
    if row is None or row.task_id != context.instance.task_id:
        raise WorkflowError("Yêu cầu phối hợp không thuộc nhiệm vụ của quy trình này.")
    return row


def answer_coordination(args: dict[str, Any], context: StepContext) -> None:
    row = _row(args, context)
    row.answer_text = str(args.get("answer") or "").strip()
    row.answered_by_id = context.actor_id
    row.answered_at = context.now
    row.status = "answered"
    late = local_today(context) > row.due_on
    audit.record_step("coordination_answered", context, {"unit": row.unit.code, "late": late})


def escalate_coordination(args: dict[str, Any], context: StepContext) -> None:
    row = _row(args, context)
    row.status = "escalated"
    row.escalated_at = context.now
    audit.record_step("coordination_escalated", context, {"unit": row.unit.code, "note": args.get("note")})


def instruct_coordination(args: dict[str, Any], context: StepContext) -> None:
    row = _row(args, context)
    row.leadership_instruction = str(args.get("instruction") or "").strip() or None
    audit.record_step(
        "coordination_instructed", context, {"unit": row.unit.code, "instruction": row.leadership_instruction}
    )


HANDLERS = {
    "request_coordination": request_coordination,
    "answer_coordination": answer_coordination,
    "escalate_coordination": escalate_coordination,
    "instruct_coordination": instruct_coordination,
}

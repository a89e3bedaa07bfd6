"""R15 internal assignment inside the lead agency: head -> section -> officer, and back.

The focal officer asks for it from the task process; the `internal_delegation` process then runs
inside the agency. The section's date must fall within the agency's own deadline, because that
deadline already includes its sub-units' time (003:1.5(8.1.a), 004:15.1.a).
"""

from __future__ import annotations

from typing import Any

from app.extensions import db
from app.models import InternalAssignment, Task
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

PROCESS_ID = "internal_delegation"


def request_internal_assignment(args: dict[str, Any], context: StepContext) -> None:
    task = task_of(context)
    row = InternalAssignment(
        task_id=task.id,
        request_note=str(args.get("note") or "").strip() or None,
        requested_by_id=context.actor_id,
        requested_at=context.now,
    )
    db.session.add(row)
    db.session.flush()
    audit.record_step("internal_assignment_requested", context, {"note": row.request_note})
    data = task_process_data(task) | {
        "assignment_id": row.id,
        "agency_due_on": task.due_on.isoformat() if task.due_on else None,
    }
    start_instance(
        PROCESS_ID,
        data,
        now=context.now,
        actor_id=context.actor_id,
        directive_id=task.directive_id,
        task_id=task.id,
    )


def _row(args: dict[str, Any], context: StepContext) -> tuple[Task, InternalAssignment]:
    task = task_of(context)
    row = db.session.get(InternalAssignment, int(positional(args, "assignment_id")))
    if row is None or row.task_id != task.id:
        raise WorkflowError("Việc giao nội bộ không thuộc nhiệm vụ của quy trình này.")
    return task, row


def assign_internally(args: dict[str, Any], context: StepContext) -> None:
    """The head names the section, its instructions and its date (within the agency's deadline)."""
    task, row = _row(args, context)
    section = unit_by_code(args.get("section"), "Phòng chuyên môn")
    lead = task.lead_unit
    if section.id == lead.id or not section.path.startswith(lead.path):
        raise RuleRefused(f"{section.name} không phải đơn vị trực thuộc {lead.name}.")
    due_on = required_date(args.get("due_on"), "Hạn của phòng")
    if due_on < local_today(context):
        raise RuleRefused("Hạn của phòng không được trước ngày hôm nay.")
    if task.due_on is not None and due_on > task.due_on:
        raise RuleRefused(
            f"Hạn của phòng phải trong hạn của cơ quan ({dmy(task.due_on)}): thời hạn của cơ quan "
            "đã bao gồm thời gian của các đơn vị trực thuộc."
        )
    row.section_unit_id = section.id
    row.instructions = str(args.get("instructions") or "").strip() or None
    row.due_on = due_on
    row.assigned_by_id = context.actor_id
    row.assigned_at = context.now
    row.status = "assigned"
    audit.record_step(
        "internal_assigned",
        context,
        {"section": section.code, "due_on": due_on.isoformat(), "instructions": row.instructions},
    )


def receive_internal(args: dict[str, Any], context: StepContext) -> None:
    _, row = _row(args, context)
    row.received_at = context.now
    row.section_instructions = str(args.get("instructions") or "").strip() or None
    row.status = "received"
    audit.record_step("internal_received", context, {"instructions": row.section_instructions})


def report_internal(args: dict[str, Any], context: StepContext) -> None:
    _, row = _row(args, context)
    row.result_text = str(args.get("result") or "").strip()
    row.reported_at = context.now
    row.status = "reported"
    audit.record_step("internal_reported", context, {"result": row.result_text})


def approve_internal(args: dict[str, Any], context: StepContext) -> None:
    _, row = _row(args, context)
    approved = bool(args.get("approved"))
    row.status = "approved" if approved else "received"
    row.approved_at = context.now if approved else None
    audit.record_step("internal_reviewed", context, {"approved": approved, "note": args.get("note")})


HANDLERS = {
    "request_internal_assignment": request_internal_assignment,
    "assign_internally": assign_internally,
    "receive_internal": receive_internal,
    "report_internal": report_internal,
    "approve_internal": approve_internal,
}

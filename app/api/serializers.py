"""JSON shapes of API v1 (dates ISO YYYY-MM-DD, instants ISO 8601 with offset)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from app import clock
from app.calendar import DayOff
from app.extensions import db
from app.models import (
    AuditEvent,
    CoordinationRequest,
    Directive,
    ExtensionRequest,
    InternalAssignment,
    ObstacleReport,
    Task,
    Urging,
    UrgingTask,
    WorkItem,
)
from app.services.reporting import task_category


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def task_json(task: Task, *, history: list[AuditEvent] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": task.id,
        "directive_id": task.directive_id,
        "seq": task.seq,
        "content": task.content,
        "lead_unit": task.lead_unit.code,
        "coordinating_units": [u.code for u in task.coordinating_units],
        "due_on": iso(task.due_on),
        "due_rule": task.due_rule,
        "original_due_on": iso(task.original_due_on),
        "result_due_on": iso(task.result_due_on),
        "deliverable": task.deliverable,
        "deadline_fixed_by_higher": task.deadline_fixed_by_higher,
        "status": task.status,
        "report_category": task_category(task.id, clock.today()),
        "progress_note": task.progress_note,
        "expected_on": iso(task.expected_on),
        "completed_on": iso(task.completed_on),
        "result_summary": task.result_summary,
        "result_document": task.result_document,
        "evaluation": _evaluation(task),
        "field": task.field,
        "leader": task.leader.username if task.leader else None,
        "is_public": task.is_public,
    }
    if history is not None:
        body["history"] = [event_json(e) for e in history]
        body.update(tracking_json(task))
    return body


def _evaluation(task: Task) -> dict[str, Any] | None:
    if task.evaluated_at is None:
        return None
    return {
        "quality": task.quality,
        "effectiveness": task.effectiveness,
        "note": task.evaluation_note,
        "evaluated_at": iso(task.evaluated_at),
    }


def _rows(model: Any, task: Task) -> list[Any]:
    return list(db.session.scalars(select(model).where(model.task_id == task.id).order_by(model.id)))


def tracking_json(task: Task) -> dict[str, Any]:
    """What happened around the task: extension, coordination and obstacle handling (R8, R10),
    internal assignment (R15), urging (R11)."""
    return {
        "extension_requests": [
            {
                "id": r.id,
                "status": r.status,
                "filed_at": iso(r.filed_at),
                "due_on_before": iso(r.due_on_before),
                "proposed_due_on": iso(r.proposed_due_on),
                "reason": r.reason,
                "forward_due_on": iso(r.forward_due_on),
                "rule": r.rule,
                "office_opinion": r.office_opinion,
                "decided_at": iso(r.decided_at),
                "new_due_on": iso(r.new_due_on),
                "decision_note": r.decision_note,
                "answer_document": r.answer_document,
                "answered_at": iso(r.answered_at),
            }
            for r in _rows(ExtensionRequest, task)
        ],
        "coordination_requests": [
            {
                "id": r.id,
                "unit": r.unit.code,
                "status": r.status,
                "request": r.request_text,
                "due_on": iso(r.due_on),
                "answer": r.answer_text,
                "answered_at": iso(r.answered_at),
                "escalated_at": iso(r.escalated_at),
                "leadership_instruction": r.leadership_instruction,
            }
            for r in _rows(CoordinationRequest, task)
        ],
        "obstacles": [
            {
                "id": r.id,
                "status": r.status,
                "description": r.description,
                "cause": r.cause,
                "office_proposal": r.office_proposal,
                "decision": r.decision,
                "decision_note": r.decision_note,
                "decided_at": iso(r.decided_at),
            }
            for r in _rows(ObstacleReport, task)
        ],
        "internal_assignments": [
            {
                "id": r.id,
                "status": r.status,
                "section": r.section_unit.code if r.section_unit else None,
                "due_on": iso(r.due_on),
                "instructions": r.instructions,
                "result": r.result_text,
            }
            for r in _rows(InternalAssignment, task)
        ],
        "urgings": [
            {
                "at": iso(u.created_at),
                "kind": u.kind,
                "source": u.source,
                "message": u.message,
                "document": u.doc_reference,
                "doc_date": iso(u.doc_date),
            }
            for u in db.session.scalars(
                select(Urging).join(UrgingTask).where(UrgingTask.task_id == task.id).order_by(Urging.id)
            )
        ],
    }


def event_json(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": iso(event.at),
        "action": event.action,
        "actor": event.actor.username if event.actor else None,
        "details": event.details,
    }


def directive_json(directive: Directive) -> dict[str, Any]:
    return {
        "id": directive.id,
        "number": directive.number,
        "symbol": directive.symbol,
        "doc_type": directive.doc_type,
        "summary": directive.summary,
        "issued_on": iso(directive.issued_on),
        "signer": directive.signer,
        "submitting_agency": directive.submitting_agency,
        "is_urgent": directive.is_urgent,
        "is_complex": directive.is_complex,
        "confidentiality": directive.confidentiality,
        "register": directive.register,
        "is_redacted": directive.is_redacted,
        "profile": directive.profile,
        "origin_level": directive.origin_level,
        "status": directive.status,
        "classify_due_on": iso(directive.classify_due_on),
        "classify_rule": directive.classify_rule,
        "tasks": [task_json(t) for t in directive.tasks],
    }


def work_item_json(item: WorkItem, *, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": item.id,
        "title": item.title,
        "task_id": item.task_id,
        "directive_id": item.directive_id,
        "lane": item.lane,
        "unit": item.candidate_unit.code,
        "role": item.candidate_role,
        "assignee": item.assignee.username if item.assignee else None,
        "due_on": iso(item.due_on),
        "form": item.form,
        "state": item.state,
        "created_at": iso(item.created_at),
    }
    if schema is not None:
        body["schema"] = schema
        body["instructions"] = item.instructions
    return body


def day_off_json(day: DayOff) -> dict[str, Any]:
    """`source` is "override" (announced swap or administrator's day), "holidays" (Labour Code
    art. 112 via the holidays package) or "weekend" (a holiday's weekend is reported as the holiday)."""
    return {"date": day.date.isoformat(), "name": day.name, "source": day.source, "reference": day.reference}

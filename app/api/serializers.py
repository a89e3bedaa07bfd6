"""JSON shapes of API v1 (dates ISO YYYY-MM-DD, instants ISO 8601 with offset)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from app import clock
from app.calendar import DayOff
from app.models import AuditEvent, Directive, Task, WorkItem
from app.services.task_status import report_category


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
        "status": task.status,
        "report_category": report_category(task.status, task.due_on, task.completed_on, clock.today()),
        "completed_on": iso(task.completed_on),
        "result_summary": task.result_summary,
        "field": task.field,
        "leader": task.leader.username if task.leader else None,
        "is_public": task.is_public,
    }
    if history is not None:
        body["history"] = [event_json(e) for e in history]
    return body


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
        "is_urgent": directive.is_urgent,
        "confidentiality": directive.confidentiality,
        "status": directive.status,
        "classify_due_on": iso(directive.classify_due_on),
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

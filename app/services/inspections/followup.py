"""Recommendations become tasks: one click registers a follow-up directive whose tasks are tracked
like any other (directive intake, acceptance, reports, confirmation).

The follow-up directive is the result report itself (số/ký hiệu of the report, issued the day the
leader agreed with it), registered by the Office through `app/services/directives.py`.
"""

from __future__ import annotations

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.forms import FormInvalid
from app.models import Directive, Inspection, Task, User
from app.services import audit
from app.services.directives import parse_directive, register_directive


def can_follow_up(inspection: Inspection) -> bool:
    pending = [r for r in inspection.recommendations if r.task_id is None]
    return inspection.status in {"concluded", "closed"} and bool(pending)


def create_followup_directive(user: User, inspection: Inspection) -> Directive:
    """Register the recommendations not yet followed up as the tasks of one directive."""
    if not can_follow_up(inspection):
        raise FormInvalid(
            {"_form": "Không còn kiến nghị nào chờ giao thực hiện, hoặc kết luận chưa được đồng ý."}
        )
    pending = [r for r in inspection.recommendations if r.task_id is None]
    issued_on = inspection.concluded_on or clock.today()
    payload = {
        "number": inspection.report_number,
        "symbol": inspection.report_symbol,
        "doc_type": "thong_bao_ket_luan",
        "summary": f"Thực hiện kiến nghị sau kiểm tra: {inspection.title}",
        "issued_on": issued_on.isoformat(),
        "signer": inspection.decision_signer or user.full_name,
        "tasks": [
            {
                "content": r.content,
                "lead_unit": r.lead_unit.code,
                "due_on": r.due_on.isoformat() if r.due_on else None,
            }
            for r in pending
        ],
    }
    directive = register_directive(parse_directive(payload), user)
    tasks = list(db.session.scalars(select(Task).where(Task.directive_id == directive.id).order_by(Task.seq)))
    for recommendation, task in zip(pending, tasks, strict=True):
        recommendation.directive_id, recommendation.task_id = directive.id, task.id
    audit.record(
        "inspection_followup_registered",
        actor_id=user.id,
        directive_id=directive.id,
        instance_id=inspection.instance_id,
        details={"inspection_id": inspection.id, "tasks": len(tasks), "reference": directive.reference},
    )
    return directive

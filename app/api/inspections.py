"""API v1, inspections: open one, read one, list published conclusions. Added to the v1 blueprint
(same bearer tokens, same error shapes); steps are completed through `/work-items/<id>/complete`."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from app.api.errors import ApiError
from app.api.serializers import iso
from app.api.v1 import _json_body, _user, bp
from app.extensions import db
from app.models import Inspection
from app.services.inspections.access import can_view_inspection
from app.services.inspections.dossier import checklist
from app.services.inspections.opening import OpenRequest, open_inspection
from app.services.inspections.publication import published_conclusions


def inspection_json(inspection: Inspection) -> dict[str, Any]:
    return {
        "id": inspection.id,
        "kind": inspection.kind,
        "status": inspection.status,
        "title": inspection.title,
        "owner_unit": inspection.owner_unit.code,
        "plan_id": inspection.plan_id,
        "trigger": inspection.trigger,
        "decision": {
            "reference": inspection.decision_reference,
            "signed_on": iso(inspection.decision_signed_on),
            "signer": inspection.decision_signer,
            "legal_basis": inspection.legal_basis,
            "scope": inspection.scope,
            "content": inspection.content,
            "starts_on": iso(inspection.starts_on),
            "ends_on": iso(inspection.ends_on),
            "team": [
                {"full_name": m.full_name, "position": m.position, "role": m.role} for m in inspection.members
            ],
        },
        "subjects": [
            {"unit": s.unit.code, "unit_id": s.unit_id, "reported_at": iso(s.reported_at)}
            for s in inspection.subjects
        ],
        "ended_on": iso(inspection.ended_on),
        "report_due_on": iso(inspection.report_due_on),
        "report_overdue": inspection.is_report_overdue,
        "report": {"reference": inspection.report_reference, "reported_on": iso(inspection.reported_on)},
        "conclusions": [
            {
                "unit": c.unit.code,
                "finding": c.finding,
                "nature": c.nature,
                "severity": c.severity,
                "cause": c.cause,
                "responsibility": c.responsibility,
                "published_at": iso(c.published_at),
            }
            for c in inspection.conclusions
        ],
        "recommendations": [
            {
                "seq": r.seq,
                "content": r.content,
                "lead_unit": r.lead_unit.code,
                "due_on": iso(r.due_on),
                "task_id": r.task_id,
            }
            for r in inspection.recommendations
        ],
        "dossier": [
            {
                "item": s.item.no,
                "title": s.item.title,
                "mandatory": s.item.is_mandatory,
                "satisfied": s.is_satisfied,
                "documents": len(s.documents),
            }
            for s in checklist(inspection)
        ],
    }


@bp.post("/inspections")
def create_inspection() -> Any:
    body = _json_body()
    units = body.get("suggested_unit_ids") or []
    if not isinstance(units, list) or not all(isinstance(u, int) for u in units):
        raise ApiError(400, "bad_request", "'suggested_unit_ids' phải là danh sách số.")
    request = OpenRequest(
        kind=str(body.get("kind", "")),
        title=str(body.get("title", "")),
        decider=str(body.get("decider", "")),
        plan_id=body.get("plan_id") if isinstance(body.get("plan_id"), int) else None,
        trigger=body.get("trigger"),
        reason=body.get("reason"),
        suggested_unit_ids=units,
    )
    inspection = open_inspection(_user(), request)
    db.session.commit()
    return jsonify(inspection_json(inspection)), 201


@bp.get("/inspections/<int:inspection_id>")
def get_inspection(inspection_id: int) -> Any:
    inspection = db.session.get(Inspection, inspection_id)
    if inspection is None or not can_view_inspection(_user(), inspection):
        raise ApiError(404, "not_found", "Không tìm thấy đợt kiểm tra.")
    return jsonify(inspection_json(inspection))


@bp.get("/inspections/published-conclusions")
def list_published_conclusions() -> Any:
    return jsonify(
        [
            {
                "inspection_id": p.inspection_id,
                "inspection": p.inspection_title,
                "decision": p.decision_reference,
                "unit": p.unit_name,
                "finding": p.finding,
                "nature": p.nature,
                "severity": p.severity,
                "cause": p.cause,
                "responsibility": p.responsibility,
                "published_at": iso(p.published_at),
            }
            for p in published_conclusions()
        ]
    )

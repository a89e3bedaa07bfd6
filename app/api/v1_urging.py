"""API v1 additions for notifications, urging, feedback and the weekly overdue tables (extensions only)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import jsonify, request

from app.api.errors import ApiError, error_response
from app.api.serializers import iso
from app.api.v1 import _json_body, _user, bp
from app.extensions import db
from app.models import Notification, OverdueReport, Task, Urging
from app.services import feedback, notifications, overdue_reports
from app.services import urging as urging_service
from app.services.authz import can_view_task


def _invalid(exc: Any) -> Any:
    db.session.rollback()
    return error_response(422, "validation_failed", "Dữ liệu không hợp lệ.", fields=exc.errors)


for _error in (urging_service.UrgingInvalid, feedback.FeedbackInvalid, overdue_reports.RowInvalid):
    bp.register_error_handler(_error, _invalid)


def notification_json(n: Notification) -> dict[str, Any]:
    return {
        "id": n.id,
        "kind": n.kind,
        "title": n.title,
        "body": n.body,
        "link": n.link,
        "directive_id": n.directive_id,
        "task_id": n.task_id,
        "work_item_id": n.work_item_id,
        "created_at": iso(n.created_at),
        "read_at": iso(n.read_at),
    }


def urging_json(u: Urging) -> dict[str, Any]:
    return {
        "id": u.id,
        "kind": u.kind,
        "source": u.source,
        "message": u.message,
        "doc_reference": u.doc_reference,
        "doc_date": iso(u.doc_date),
        "doc_signer": u.doc_signer,
        "file_name": u.file_name,
        "task_ids": [link.task_id for link in u.links],
        "created_at": iso(u.created_at),
    }


@bp.get("/notifications")
def list_notifications() -> Any:
    unread = request.args.get("unread") in {"1", "true"}
    items = notifications.recent(_user(), unread_only=unread)
    return jsonify(
        {"unread": notifications.unread_count(_user()), "items": [notification_json(n) for n in items]}
    )


@bp.post("/notifications/<int:notification_id>/read")
def read_notification(notification_id: int) -> Any:
    notification = notifications.get_own(_user(), notification_id)
    if notification is None:
        raise ApiError(404, "not_found", "Không tìm thấy thông báo.")
    notifications.mark_read(notification)
    db.session.commit()
    return jsonify(notification_json(notification))


@bp.post("/urgings")
def create_urging() -> Any:
    urging = urging_service.send_urging(_user(), urging_service.parse(_json_body()))
    db.session.commit()
    return jsonify(urging_json(urging)), 201


@bp.get("/urgings")
def urged_tasks() -> Any:
    rows = urging_service.urged_tasks(_user(), unit_id=request.args.get("unit_id", type=int))
    return jsonify(
        [
            {"task_id": r.task.id, "count": r.count, "documents": r.documents, "last_at": iso(r.last_at)}
            for r in rows
        ]
    )


def _task(task_id: int) -> Task:
    task = db.session.get(Task, task_id)
    if task is None or not can_view_task(_user(), task):
        raise ApiError(404, "not_found", "Không tìm thấy nhiệm vụ.")
    return task


@bp.get("/tasks/<int:task_id>/urgings")
def task_urgings(task_id: int) -> Any:
    return jsonify([urging_json(u) for u in urging_service.urgings_of_task(_task(task_id).id)])


@bp.post("/tasks/<int:task_id>/feedback")
def create_feedback(task_id: int) -> Any:
    task = _task(task_id)
    if not feedback.can_report(_user(), task):
        raise ApiError(403, "forbidden", feedback.NOT_CONCERNED)
    instance = feedback.report(_user(), task, feedback.parse(_json_body()))
    db.session.commit()
    return jsonify({"instance_id": instance.id, "task_id": task.id}), 201


@bp.get("/overdue-reports")
def list_overdue_reports() -> Any:
    try:
        monday = date.fromisoformat(request.args["week"]) if request.args.get("week") else None
    except ValueError as exc:
        raise ApiError(400, "bad_request", "week phải có dạng YYYY-MM-DD (thứ hai đầu tuần).") from exc
    weeks = overdue_reports.weeks()
    monday = monday or (weeks[0] if weeks else None)
    reports = overdue_reports.week_reports(_user(), monday) if monday else []
    return jsonify([overdue_report_json(r) for r in reports])


def overdue_report_json(report: OverdueReport) -> dict[str, Any]:
    return {
        "id": report.id,
        "unit": report.unit.code,
        "week_start": iso(report.week_start),
        "week_end": iso(report.week_end),
        "report_on": iso(report.report_on),
        "rows": [
            {
                "seq": row.seq,
                "task_id": row.task_id,
                "reference": row.reference,
                "due_on": iso(row.due_on),
                "days_overdue": row.days_overdue,
                "situation": row.situation,
                "cause": row.cause,
                "expected_on": iso(row.expected_on),
                "confirmation": row.confirmation,
                "related_documents": row.related_documents,
            }
            for row in report.rows
        ],
    }

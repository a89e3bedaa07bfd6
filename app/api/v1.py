"""API v1 routes: thin wrappers over the same services and checks as the web pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, g, jsonify, request
from sqlalchemy import select

from app.api.errors import ApiError, register
from app.api.serializers import day_off_json, directive_json, task_json, work_item_json
from app.calendar import CalendarRangeError
from app.extensions import db
from app.models import Directive, Task, User, WorkItem
from app.services import audit, deadlines, rules, work_items
from app.services import directives as directive_service
from app.services.authz import can_view_directive, can_view_task, can_view_work_item
from app.services.calendar_service import current_calendar
from app.services.tokens import user_for_token

bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")
register(bp)


@bp.before_request
def authenticate() -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = user_for_token(token.strip()) if scheme.lower() == "bearer" and token else None
    if user is None:
        raise ApiError(401, "unauthorized", "Cần đăng nhập (Authorization: Bearer <token>).")
    g.api_user = user


def _user() -> User:
    user: User = g.api_user
    return user


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "Nội dung yêu cầu phải là một đối tượng JSON.")
    return body


@bp.post("/directives")
def create_directive() -> Any:
    directive = directive_service.register_directive(directive_service.parse_directive(_json_body()), _user())
    db.session.commit()
    return jsonify(directive_json(directive)), 201


@bp.get("/directives/<int:directive_id>")
def get_directive(directive_id: int) -> Any:
    directive = db.session.get(Directive, directive_id)
    if directive is None or not can_view_directive(_user(), directive):
        raise ApiError(404, "not_found", "Không tìm thấy văn bản.")
    return jsonify(directive_json(directive))


@bp.get("/tasks/<int:task_id>")
def get_task(task_id: int) -> Any:
    task = db.session.get(Task, task_id)
    if task is None or not can_view_task(_user(), task):
        raise ApiError(404, "not_found", "Không tìm thấy nhiệm vụ.")
    return jsonify(task_json(task, history=audit.task_history(task.id)))


@bp.get("/rules/profile")
def get_rules_profile() -> Any:
    """The regulation profile new directives are registered under (running ones keep theirs)."""
    return jsonify({"profile": rules.active_profile()})


@bp.get("/work-items")
def list_work_items() -> Any:
    scope = request.args.get("scope", "all")
    state = request.args.get("state", "open")
    if scope not in {"mine", "unit", "all"} or state not in {"open", "completed", "cancelled", "all"}:
        raise ApiError(
            400, "bad_request", "scope phải là mine|unit|all; state là open|completed|cancelled|all."
        )
    items = db.session.scalars(work_items.inbox_query(_user(), scope, state).limit(500)).all()
    return jsonify([work_item_json(i) for i in items])


def _item(item_id: int) -> WorkItem:
    item = work_items.get_item(item_id)
    if item is None or not can_view_work_item(_user(), item):
        raise ApiError(404, "not_found", "Không tìm thấy công việc.")
    return item


@bp.get("/work-items/<int:item_id>")
def get_work_item(item_id: int) -> Any:
    item = _item(item_id)
    body = work_item_json(item, schema=work_items.form_schema(item))
    record = deadlines.find("work_item", item.id, "due_on")
    body["due_basis"] = record.basis if record is not None else None
    return jsonify(body)


@bp.post("/work-items/<int:item_id>/claim")
def claim(item_id: int) -> Any:
    item = work_items.claim(_user(), _item(item_id))
    db.session.commit()
    return jsonify(work_item_json(item))


@bp.post("/work-items/<int:item_id>/unclaim")
def unclaim(item_id: int) -> Any:
    item = work_items.unclaim(_user(), _item(item_id))
    db.session.commit()
    return jsonify(work_item_json(item))


@bp.post("/work-items/<int:item_id>/complete")
def complete(item_id: int) -> Any:
    body = _json_body()
    data = body.get("data", {})
    if not isinstance(data, dict):
        raise ApiError(400, "bad_request", "'data' phải là một đối tượng JSON.")
    item = _item(item_id)
    work_items.complete(_user(), item, data)
    # The answer is read inside the transaction (the step's own writes, nothing else can differ
    # under its row version), then committed: after the commit every object would be re-read.
    next_items = db.session.scalars(
        select(WorkItem).where(WorkItem.instance_id == item.instance_id, WorkItem.state == "open")
    ).all()
    answer = {"work_item": work_item_json(item), "next": [work_item_json(i) for i in next_items]}
    db.session.commit()
    return jsonify(answer)


MAX_WORKING_DAYS = 3650


def _invalid(fields: dict[str, str]) -> ApiError:
    return ApiError(422, "validation_failed", "Tham số không hợp lệ.", fields=fields)


def _date_arg(name: str) -> date:
    text = request.args.get(name, "")
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise _invalid({name: f"'{name}' phải là ngày dạng YYYY-MM-DD."}) from None


def _int_arg(name: str, low: int, high: int) -> int:
    text = request.args.get(name, "")
    if not text.strip().lstrip("-").isdigit() or not low <= int(text) <= high:
        raise _invalid({name: f"'{name}' phải là số nguyên từ {low} đến {high}."})
    return int(text)


@bp.get("/calendar/add-working-days")
def calendar_add_working_days() -> Any:
    """The `days`-th working day after `from` (Civil Code art. 147: `from` itself is not counted)."""
    start, days = _date_arg("from"), _int_arg("days", 1, MAX_WORKING_DAYS)
    try:
        result = current_calendar().add_working_days(start, days)
    except CalendarRangeError:
        raise _invalid({"from": "Kết quả nằm ngoài phạm vi lịch hỗ trợ (1990-2100)."}) from None
    return jsonify({"date": result.isoformat()})


@bp.get("/calendar/days-off")
def calendar_days_off() -> Any:
    """Days off of a year other than ordinary weekends, each with its name, source and reference."""
    year = _int_arg("year", 1990, 2100)
    return jsonify([day_off_json(d) for d in current_calendar().days_off(year)])

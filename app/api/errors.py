"""Every API error is `{"error": {"code", "message", ...}}` with the status a client expects."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.forms import FormInvalid
from app.services.directives import DirectiveInvalid
from app.services.effect_support import RuleRefused
from app.services.rules import UnknownProfile
from app.services.task_status import InvalidTransition
from app.services.work_items import Conflict, NotAllowed
from app.workflow import StaleInstance, WorkflowError, WorkItemNotReady


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def error_response(status: int, code: str, message: str, **extra: Any) -> Any:
    body: dict[str, Any] = {"code": code, "message": message, **extra}
    return jsonify({"error": body}), status


def register(bp: Blueprint) -> None:
    def rollback_then(status: int, code: str, message: str, **extra: Any) -> Any:
        db.session.rollback()
        return error_response(status, code, message, **extra)

    handlers: list[tuple[type[Exception], Any]] = [
        (ApiError, lambda e: rollback_then(e.status, e.code, e.message, **e.extra)),
        (
            FormInvalid,
            lambda e: rollback_then(
                422, "validation_failed", "Dữ liệu biểu mẫu không hợp lệ.", fields=e.errors
            ),
        ),
        (
            DirectiveInvalid,
            lambda e: rollback_then(
                422, "validation_failed", "Dữ liệu văn bản không hợp lệ.", fields=e.errors
            ),
        ),
        (RuleRefused, lambda e: rollback_then(422, e.code, e.message, rule=e.rule)),
        (UnknownProfile, lambda e: rollback_then(422, "unknown_profile", str(e))),
        (NotAllowed, lambda e: rollback_then(403, "forbidden", str(e))),
        (PermissionError, lambda e: rollback_then(403, "forbidden", str(e))),
        (WorkItemNotReady, lambda e: rollback_then(409, e.code, e.message)),
        (StaleInstance, lambda e: rollback_then(409, e.code, e.message)),
        (Conflict, lambda e: rollback_then(409, "conflict", str(e))),
        (InvalidTransition, lambda e: rollback_then(409, "invalid_transition", str(e))),
        (WorkflowError, lambda e: rollback_then(500, e.code, e.message)),
    ]
    for exc_type, handler in handlers:
        bp.register_error_handler(exc_type, handler)

    @bp.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        codes = {
            401: "unauthorized",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
            413: "too_large",
            400: "bad_request",
        }
        messages = {
            404: "Không tìm thấy.",
            401: "Cần đăng nhập (Authorization: Bearer <token>).",
            403: "Không có quyền.",
            400: "Yêu cầu không hợp lệ.",
        }
        status = exc.code or 500
        return rollback_then(status, codes.get(status, "error"), messages.get(status, exc.description or ""))

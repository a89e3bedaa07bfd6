"""Server-rendered pages for staff. Routes are thin: load, check, call one service, render."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, render_template
from flask_login import current_user

from app.extensions import login_manager


def register_blueprints(app: Flask) -> None:
    from app.web import (
        admin,
        admin_calendar,
        admin_org,
        auth,
        directives,
        feedback,
        health,
        inbox,
        inspections,
        instances,
        modeler,
        notifications,
        overdue_reports,
        public,
        reports,
        rules,
        urging,
        work_items,
    )

    app.register_blueprint(modeler.bp)
    app.register_blueprint(instances.bp)
    app.register_blueprint(rules.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(inbox.bp)
    app.register_blueprint(directives.bp)
    app.register_blueprint(work_items.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(inspections.bp)
    app.register_blueprint(admin_calendar.bp)
    admin_org.register_section("admin_calendar.index", "Lịch ngày làm việc")
    app.register_blueprint(work_items.files_bp)
    app.register_blueprint(admin_org.bp)
    for blueprint in (notifications.bp, urging.bp, feedback.bp, overdue_reports.bp, admin.bp):
        app.register_blueprint(blueprint)
    register_error_pages(app)
    register_template_globals(app)
    register_security_headers(app)
    login_manager.user_loader(auth.load_user)


def register_error_pages(app: Flask) -> None:
    messages = {
        403: "Bạn không có quyền truy cập nội dung này.",
        404: "Không tìm thấy nội dung yêu cầu.",
        409: "Thao tác không thực hiện được do dữ liệu đã thay đổi.",
        413: "Tệp tải lên quá lớn.",
    }
    for status, message in messages.items():

        def handler(_error: Any, status: int = status, message: str = message) -> tuple[str, int]:
            return render_template("errors/error.html", status=status, message=message), status

        app.register_error_handler(status, handler)


def register_template_globals(app: Flask) -> None:
    from app import clock
    from app.i18n import select_locale
    from app.services.authz import admin_paths, can_change_rules, can_model, can_operate_instances
    from app.services.task_status import CATEGORY_LABELS, LABELS

    app.jinja_env.globals.update(
        can_model=can_model, can_change_rules=can_change_rules, can_operate_instances=can_operate_instances
    )

    @app.context_processor
    def inject() -> dict[str, Any]:
        counts: dict[str, int] = {}
        admin = False
        if current_user.is_authenticated:
            from app.services.inbox import nav_counts

            counts = g.get("nav_counts") or nav_counts(current_user)
            admin = bool(admin_paths(current_user))
        return {
            "status_labels": LABELS,
            "category_labels": CATEGORY_LABELS,
            "nav_counts": counts,
            "is_admin": admin,
            "current_locale": select_locale(),
            "today_date": clock.today(),
        }


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def headers(response: Any) -> Any:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'",
        )
        return response

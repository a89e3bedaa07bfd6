"""Thông báo: the bell's list, mark read (one or all), and the user's e-mail choice."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.services import notifications
from app.services.mail import mail_enabled
from app.services.notice_texts import KIND_LABELS

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def bell() -> dict[str, Any]:
    """The unread count shown on every page's bell."""
    if not current_user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": notifications.unread_count(current_user)}


@bp.route("/")
@login_required
def index() -> Any:
    unread_only = request.args.get("tab") == "unread"
    return render_template(
        "notifications/index.html",
        items=notifications.recent(current_user, unread_only=unread_only),
        unread_only=unread_only,
        kind_labels=KIND_LABELS,
        email_mode=notifications.email_mode(current_user),
        email_modes=notifications.EMAIL_MODES,
        mail_on=mail_enabled(),
    )


@bp.route("/<int:notification_id>/read", methods=["POST"])
@login_required
def read(notification_id: int) -> Any:
    notification = notifications.get_own(current_user, notification_id)
    if notification is None:
        abort(404)
    notifications.mark_read(notification)
    db.session.commit()
    if request.form.get("open") and notification.link and notification.link.startswith("/"):
        return redirect(notification.link)
    return redirect(url_for("notifications.index", tab=request.form.get("tab") or None))


@bp.route("/read-all", methods=["POST"])
@login_required
def read_all() -> Any:
    count = notifications.mark_all_read(current_user)
    db.session.commit()
    flash(_("Đã đánh dấu %(n)d thông báo là đã đọc.", n=count), "info")
    return redirect(url_for("notifications.index"))


@bp.route("/settings", methods=["POST"])
@login_required
def settings() -> Any:
    try:
        notifications.set_email_mode(current_user, request.form.get("email_mode", ""))
    except ValueError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("notifications.index"))
    db.session.commit()
    flash("Đã lưu cách nhận thư thông báo.", "success")
    return redirect(url_for("notifications.index"))

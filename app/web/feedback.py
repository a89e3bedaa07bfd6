"""Phản hồi: a body concerned by a task reports that its lead agency is late or wrong (R11)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.models import Task
from app.services import feedback

bp = Blueprint("feedback", __name__, url_prefix="/feedback")


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    task = db.session.get(Task, request.values.get("task", type=int) or 0)
    if task is None or not feedback.can_report(current_user, task):
        abort(404)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            feedback.report(current_user, task, feedback.parse(request.form.to_dict()))
            db.session.commit()
            flash(_("Đã gửi phản hồi đến Văn phòng; kết quả xử lý sẽ được thông báo cho đơn vị."), "success")
            return redirect(url_for("directives.show", directive_id=task.directive_id) + f"#task-{task.id}")
        except feedback.FeedbackInvalid as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template(
        "feedback/new.html", task=task, kinds=feedback.KINDS, values=request.form, errors=errors
    ), (422 if errors else 200)

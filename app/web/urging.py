"""Đôn đốc: the Office urges one or many tasks (notice or document with its file); everyone sees
which of their tasks were urged how often; the leadership sees it for the whole province."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.forms.coerce import parse_user_date
from app.models import Task, Unit, Urging
from app.services import uploads
from app.services import urging as urging_service
from app.services.authz import can_view_task, office_unit_of
from app.services.feedback import can_report

bp = Blueprint("urging", __name__, url_prefix="/urging")


@bp.app_template_global()
def urging_count(task: Task) -> int:
    return len(urging_service.urgings_of_task(task.id))


@bp.app_template_global()
def can_urge(task: Task) -> bool:
    office = office_unit_of(current_user)
    return (
        office is not None
        and task.directive.office_unit_id == office.id
        and task.status not in urging_service.CLOSED
    )


@bp.app_template_global()
def can_give_feedback(task: Task) -> bool:
    return can_report(current_user, task)


@bp.route("/")
@login_required
def index() -> Any:
    unit_id = request.args.get("unit", type=int)
    rows = urging_service.urged_tasks(current_user, unit_id=unit_id)
    units = db.session.scalars(
        select(Unit).where(Unit.kind.not_in(["office", "province"])).order_by(Unit.name)
    ).all()
    return render_template(
        "urging/index.html",
        rows=rows,
        units=units,
        unit_id=unit_id,
        can_send=office_unit_of(current_user) is not None,
        today=clock.today(),
    )


def _form_payload() -> dict[str, Any]:
    doc_date = request.form.get("doc_date", "").strip()
    return {
        "task_ids": request.form.getlist("task_ids"),
        "message": request.form.get("message", ""),
        "doc_reference": request.form.get("doc_reference", ""),
        "doc_date": (parse_user_date(doc_date) or "invalid") if doc_date else None,
        "doc_signer": request.form.get("doc_signer", ""),
    }


def _uploaded() -> urging_service.UploadedFile | None:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None
    return urging_service.UploadedFile(upload.filename, upload.read())


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    if office_unit_of(current_user) is None:
        abort(403)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            data = urging_service.parse(_form_payload(), _uploaded())
            urging = urging_service.send_urging(current_user, data)
            db.session.commit()
            flash(_("Đã gửi đôn đốc %(n)d nhiệm vụ.", n=len(urging.links)), "success")
            return redirect(url_for("urging.show", urging_id=urging.id))
        except urging_service.UrgingInvalid as exc:
            db.session.rollback()
            errors = exc.errors
    selected = {
        int(t) for t in request.values.getlist("task_ids") + request.args.getlist("task") if t.isdigit()
    }
    tasks = db.session.scalars(urging_service.urgeable_tasks(current_user).limit(300)).all()
    return render_template(
        "urging/new.html",
        tasks=tasks,
        selected=selected,
        values=request.form,
        errors=errors,
        today=clock.today(),
        max_kb=int(current_app.config["DONDOC_MAX_URGING_FILE_BYTES"]) // 1024,
    ), (422 if errors else 200)


def _visible(urging_id: int) -> Urging:
    urging = db.session.get(Urging, urging_id)
    if urging is None or not any(can_view_task(current_user, task) for task in urging.tasks):
        abort(404)
    return urging


@bp.route("/<int:urging_id>")
@login_required
def show(urging_id: int) -> Any:
    urging = _visible(urging_id)
    tasks = [task for task in urging.tasks if can_view_task(current_user, task)]
    return render_template("urging/show.html", urging=urging, tasks=tasks)


@bp.route("/<int:urging_id>/file")
@login_required
def download(urging_id: int) -> Any:
    urging = _visible(urging_id)
    if not urging.file_key:
        abort(404)
    try:
        path = uploads.path_of("urging", urging.file_key)
    except FileNotFoundError:
        abort(404)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype=urging.file_type, as_attachment=True, download_name=urging.file_name)

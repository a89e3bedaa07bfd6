"""Running processes for analysts and administrators: per version, one diagram, operations, migration."""

from __future__ import annotations

from functools import wraps
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.extensions import db
from app.i18n_marker import N_
from app.models import AuditEvent, ProcessInstance, ProcessModelVersion
from app.services import instance_ops
from app.services.authz import can_operate_instances
from app.services.model_workspace import WorkspaceError
from app.workflow import WorkflowError, instance_steps

bp = Blueprint("instances", __name__, url_prefix="/instances")
OPERATIONS = {
    "suspend": instance_ops.suspend,
    "resume": instance_ops.resume,
    "terminate": instance_ops.terminate,
}
DONE = {
    "suspend": N_("Đã tạm dừng quy trình."),
    "resume": N_("Quy trình chạy tiếp."),
    "terminate": N_("Đã chấm dứt quy trình."),
}


def operators_only(view: Any) -> Any:
    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not can_operate_instances(current_user):
            abort(404)
        return view(*args, **kwargs)

    return wrapped


def _get(model: Any, object_id: int) -> Any:
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    return found


@bp.route("/versions/<int:version_id>")
@operators_only
def by_version(version_id: int) -> Any:
    version = _get(ProcessModelVersion, version_id)
    others = db.session.scalars(
        select(ProcessModelVersion)
        .where(ProcessModelVersion.process_id == version.process_id, ProcessModelVersion.id != version.id)
        .order_by(ProcessModelVersion.version.desc())
    ).all()
    return render_template(
        "instances/version.html",
        version=version,
        instances=instance_ops.instances_of(version),
        others=others,
        labels=instance_ops.STATUS_LABELS,
    )


@bp.route("/<int:instance_id>")
@operators_only
def show(instance_id: int) -> Any:
    instance = _get(ProcessInstance, instance_id)
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.instance_id == instance.id)
        .order_by(AuditEvent.id.desc())
        .limit(50)
    ).all()
    return render_template(
        "instances/show.html", instance=instance, events=events, labels=instance_ops.STATUS_LABELS
    )


@bp.route("/<int:instance_id>/diagram.json")
@operators_only
def diagram(instance_id: int) -> Any:
    instance = _get(ProcessInstance, instance_id)
    steps = instance_steps(instance)
    return jsonify(
        {"xml": instance.model_version.content, "completed": steps.completed, "active": steps.active}
    )


@bp.post("/<int:instance_id>/<operation>")
@operators_only
def operate(instance_id: int, operation: str) -> Any:
    instance = _get(ProcessInstance, instance_id)
    if operation not in OPERATIONS:
        abort(404)
    try:
        OPERATIONS[operation](instance, actor=current_user, reason=request.form.get("reason", ""))
    except (WorkspaceError, WorkflowError) as exc:
        db.session.rollback()
        flash(getattr(exc, "message", str(exc)), "error")
        return redirect(url_for("instances.show", instance_id=instance_id))
    db.session.commit()
    flash(_(DONE[operation]), "success")
    return redirect(url_for("instances.show", instance_id=instance_id))


@bp.route("/versions/<int:version_id>/migrate", methods=["GET", "POST"])
@operators_only
def migrate(version_id: int) -> Any:
    source = _get(ProcessModelVersion, version_id)
    target = _get(ProcessModelVersion, request.values.get("to", type=int) or 0)
    if target.process_id != source.process_id or target.id == source.id:
        abort(404)
    if request.method == "POST":
        chosen = set(request.form.getlist("instance", type=int))
        instances = [
            r.instance for r in instance_ops.migration_report(source, target) if r.instance.id in chosen
        ]
        try:
            rows = instance_ops.migrate(
                instances, target, actor=current_user, reason=request.form.get("reason", "")
            )
        except WorkspaceError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return redirect(url_for("instances.migrate", version_id=source.id, to=target.id))
        db.session.commit()
        moved = sum(1 for r in rows if r.plan.possible)
        flash(
            _("Đã chuyển %(n)s quy trình sang phiên bản %(version)s.", n=moved, version=target.version),
            "success",
        )
        return redirect(url_for("instances.by_version", version_id=target.id))
    rows = instance_ops.migration_report(source, target)
    return render_template("instances/migrate.html", source=source, target=target, rows=rows)

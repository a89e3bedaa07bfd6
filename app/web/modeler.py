"""The modeler for analysts: files, editors (BPMN, DMN, forms), validate, deploy, versions, diff.

Every route, pages and JSON alike, is for analysts only (`can_model`); others get 404 so the
pages do not reveal themselves. JSON calls from the editors carry the CSRF token in a header.
"""

from __future__ import annotations

import json
from functools import wraps
from typing import Any

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.extensions import db
from app.forms.layout import build_fields
from app.models import ProcessModelVersion
from app.services import model_workspace
from app.services.authz import can_model
from app.services.instance_ops import versions_with_counts
from app.services.model_workspace import WorkspaceError
from app.services.rules_admin import rule_files
from app.workflow import InvalidModel
from app.workflow.diff import diff_versions

bp = Blueprint("modeler", __name__, url_prefix="/modeler")
EDITORS = {"bpmn": "modeler/bpmn.html", "dmn": "modeler/dmn.html", "form": "modeler/form.html"}
MIME = {
    "bpmn": "application/xml",
    "dmn": "application/xml",
    "form": "application/json",
    "lanes": "application/json",
}


def analyst_only(view: Any) -> Any:
    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not can_model(current_user):
            abort(404)
        return view(*args, **kwargs)

    return wrapped


def problems_json(exc: InvalidModel) -> list[dict[str, Any]]:
    return [{"file": p.file, "element_id": p.element_id, "message": p.message} for p in exc.problems]


def _fail(status: int, message: str, **extra: Any) -> Any:
    db.session.rollback()
    return jsonify({"error": {"message": message}, **extra}), status


@bp.route("/")
@analyst_only
def index() -> Any:
    versions = db.session.scalars(
        select(ProcessModelVersion)
        .where(ProcessModelVersion.is_active.is_(True))
        .order_by(ProcessModelVersion.process_id)
    ).all()
    return render_template("modeler/index.html", files=model_workspace.files(), versions=versions)


def _editor_config() -> dict[str, Any]:
    """What the properties panel offers in its lists: forms, lane roles, decision tables."""
    rows = model_workspace.files()
    lanes = next((r for r in rows if r.kind == "lanes"), None)
    roles = {k: v.get("label", k) for k, v in json.loads(lanes.content).items()} if lanes else {}
    decisions = [{"id": t.decision_id, "name": t.decision_name} for f in rule_files() for t in f.tables]
    forms = [r.path.split("/", 1)[1] for r in rows if r.kind == "form" and r.content]
    return {"roles": roles, "decisions": decisions, "forms": forms}


@bp.route("/edit/<path:path>")
@analyst_only
def edit(path: str) -> Any:
    row = model_workspace.get(path)
    if row is None or row.kind not in EDITORS:
        abort(404)
    return render_template(
        EDITORS[row.kind],
        file=row,
        config=json.dumps(_editor_config(), ensure_ascii=False),
        use_draft=bool(row.draft) and request.args.get("draft", "1") == "1",
    )


@bp.route("/files/<path:path>")
@analyst_only
def source(path: str) -> Any:
    row = model_workspace.get(path)
    if row is None:
        abort(404)
    text = row.draft if row.draft and request.args.get("draft") == "1" else row.content
    return Response(text, mimetype=MIME[row.kind])


@bp.route("/download/<path:path>")
@analyst_only
def download(path: str) -> Any:
    row = model_workspace.get(path)
    if row is None or not row.content:
        abort(404)
    name = path.rsplit("/", 1)[-1]
    return Response(
        row.content,
        mimetype=MIME[row.kind],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _body() -> tuple[str, bytes]:
    body = request.get_json(silent=True) or {}
    path, content = str(body.get("path", "")), body.get("content")
    if not isinstance(content, str):
        raise WorkspaceError("Thiếu nội dung tệp.")
    return path, content.encode()


@bp.post("/draft")
@analyst_only
def save_draft() -> Any:
    try:
        path, content = _body()
        row = model_workspace.save_draft(path, content.decode(), actor=current_user)
    except WorkspaceError as exc:
        return _fail(422, str(exc))
    db.session.commit()
    return jsonify({"message": f"Đã lưu nháp {row.path} (chưa triển khai)."})


@bp.post("/validate")
@analyst_only
def validate() -> Any:
    try:
        path, content = _body()
        notes = model_workspace.validate({path: content})
    except WorkspaceError as exc:
        return _fail(422, str(exc))
    except InvalidModel as exc:
        return _fail(
            422, f"Có {len(exc.problems)} lỗi cần sửa trước khi triển khai.", problems=problems_json(exc)
        )
    return jsonify({"message": "Hợp lệ: có thể triển khai.", "problems": [], "notes": notes})


@bp.post("/deploy")
@analyst_only
def deploy() -> Any:
    body = request.get_json(silent=True) or {}
    try:
        path, content = _body()
        result = model_workspace.deploy({path: content}, actor=current_user, note=str(body.get("note", "")))
    except WorkspaceError as exc:
        return _fail(422, str(exc))
    except InvalidModel as exc:
        return _fail(422, f"Không triển khai: có {len(exc.problems)} lỗi.", problems=problems_json(exc))
    db.session.commit()
    versions = ", ".join(f"{p} phiên bản {v}" for p, v in result.new_versions.items())
    message = f"Đã triển khai: {versions}." if versions else "Không có thay đổi nào để triển khai."
    return jsonify({"message": message, "versions": result.new_versions, "files": result.changed_files})


@bp.post("/forms/preview")
@analyst_only
def form_preview() -> Any:
    body = request.get_json(silent=True) or {}
    try:
        schema = json.loads(str(body.get("content", "")))
        if not isinstance(schema, dict):
            raise ValueError("biểu mẫu phải là một đối tượng JSON")
    except ValueError as exc:
        return _fail(422, f"JSON chưa hợp lệ: {exc}")
    defaults = {
        k: v["default"]
        for k, v in (schema.get("properties") or {}).items()
        if isinstance(v, dict) and "default" in v
    }
    try:  # the same renderer as the work-item page, so the preview is what staff will see
        fields = build_fields(schema, None, defaults, {})
    except (KeyError, TypeError, ValueError) as exc:
        return _fail(422, f"Biểu mẫu chưa hợp lệ: {exc}")
    html = render_template("modeler/_form_preview.html", schema=schema, fields=fields)
    return jsonify({"html": html})


@bp.post("/upload")
@analyst_only
def upload() -> Any:
    try:
        overrides = {
            model_workspace.path_for_upload(f.filename or ""): f.read()
            for f in request.files.getlist("files")
        }
        if not overrides:
            raise WorkspaceError("Chọn ít nhất một tệp .bpmn, .dmn hoặc .json.")
        result = model_workspace.deploy(overrides, actor=current_user, note=request.form.get("note", ""))
    except WorkspaceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("modeler.index"))
    except InvalidModel as exc:
        db.session.rollback()
        return render_template("modeler/problems.html", problems=exc.problems), 422
    db.session.commit()
    if result.changed_files:
        flash(_("Đã triển khai %(files)s.", files=", ".join(result.changed_files)), "success")
    else:
        flash(_("Đã triển khai không có tệp nào thay đổi."), "success")
    for note in result.notes:
        flash(note, "info")
    return redirect(url_for("modeler.index"))


def _version(version_id: int) -> ProcessModelVersion:
    version = db.session.get(ProcessModelVersion, version_id)
    if version is None:
        abort(404)
    return version


@bp.route("/processes/<process_id>")
@analyst_only
def versions(process_id: str) -> Any:
    rows = versions_with_counts(process_id)
    if not rows:
        abort(404)
    return render_template("modeler/versions.html", process_id=process_id, rows=rows)


@bp.route("/processes/<process_id>/diff")
@analyst_only
def diff(process_id: str) -> Any:
    def pick(arg: str) -> ProcessModelVersion:
        found: ProcessModelVersion | None = db.session.scalar(
            select(ProcessModelVersion).where(
                ProcessModelVersion.process_id == process_id,
                ProcessModelVersion.version == request.args.get(arg, type=int),
            )
        )
        if found is None:
            abort(404)
        return found

    old, new = pick("from"), pick("to")
    changes = diff_versions((old.content, old.bundle), (new.content, new.bundle))
    return render_template("modeler/diff.html", old=old, new=new, changes=changes)


@bp.route("/versions/<int:version_id>/download")
@analyst_only
def download_version(version_id: int) -> Any:
    version = _version(version_id)
    name = request.args.get("dmn")
    if name:
        text = version.bundle.get("dmn", {}).get(name)
        if text is None:
            abort(404)
        filename = name
    else:
        text, filename = version.content, f"{version.process_id}.v{version.version}.bpmn"
    return Response(
        text,
        mimetype="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.post("/versions/<int:version_id>/rollback")
@analyst_only
def rollback(version_id: int) -> Any:
    version = _version(version_id)
    try:
        result = model_workspace.rollback(version, actor=current_user, note=request.form.get("note", ""))
    except WorkspaceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("modeler.versions", process_id=version.process_id))
    except InvalidModel as exc:
        db.session.rollback()
        return render_template("modeler/problems.html", problems=exc.problems), 422
    db.session.commit()
    new = result.new_versions.get(version.process_id)
    flash(
        _(
            "Đã triển khai lại nội dung phiên bản %(old)s thành phiên bản %(new)s.",
            old=version.version,
            new=new,
        )
        if new
        else _("Phiên bản này đang được áp dụng, không có gì thay đổi."),
        "success",
    )
    return redirect(url_for("modeler.versions", process_id=version.process_id))

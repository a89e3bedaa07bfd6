"""The rules page for administrators: active regulation profile, decision tables, their history."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.services import rules_admin
from app.services.authz import can_change_rules
from app.services.model_workspace import WorkspaceError
from app.workflow import InvalidModel
from app.workflow.dmn import CellEdit

bp = Blueprint("rules", __name__, url_prefix="/admin/rules")


def _require_admin() -> None:
    if not can_change_rules(current_user):
        abort(404)


@bp.route("/")
@login_required
def index() -> Any:
    _require_admin()
    return render_template(
        "rules/index.html",
        profile=rules_admin.active_profile(),
        profiles=rules_admin.known_profiles(),
        files=rules_admin.rule_files(),
        history=rules_admin.history(),
    )


@bp.post("/profile")
@login_required
def profile() -> Any:
    _require_admin()
    try:
        rules_admin.set_profile(
            request.form.get("profile", ""), actor=current_user, reason=request.form.get("reason", "")
        )
    except WorkspaceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("rules.index"))
    db.session.commit()
    flash(_("Đã đổi bộ quy định áp dụng."), "success")
    return redirect(url_for("rules.index"))


def _edits() -> list[CellEdit]:
    """Form fields named `cell:<rule id>:<input|output|annotation>:<column>` carry the cells."""
    edits = []
    for key, value in request.form.items():
        if not key.startswith("cell:"):
            continue
        _cell, rule_id, kind, index = key.split(":", 3)
        if kind in {"input", "output", "annotation"} and index.isdigit():
            edits.append(CellEdit(rule_id, kind, int(index), value.strip()))
    return edits


@bp.post("/tables")
@login_required
def tables() -> Any:
    _require_admin()
    path = request.form.get("path", "")
    try:
        result = rules_admin.change_rules(
            path, _edits(), actor=current_user, reason=request.form.get("reason", "")
        )
    except WorkspaceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("rules.index"))
    except InvalidModel as exc:
        db.session.rollback()
        return render_template(
            "modeler/problems.html", problems=exc.problems, back=url_for("rules.index")
        ), 422
    db.session.commit()
    versions = ", ".join(
        _("%(process)s phiên bản %(version)s", process=p, version=v) for p, v in result.new_versions.items()
    )
    if versions:
        flash(_("Đã áp dụng thay đổi quy định: %(versions)s.", versions=versions), "success")
    else:
        flash(_("Đã áp dụng thay đổi quy định: không quy trình nào dùng bảng này."), "success")
    return redirect(url_for("rules.index"))

"""The directive register: list, register with tasks, directive page with tasks and timeline."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.forms.coerce import parse_user_date
from app.models import AuditEvent, Directive, Unit
from app.services import directives as directive_service
from app.services.authz import can_view_directive, directive_filter, office_unit_of
from app.services.effect_support import RuleRefused
from app.services.task_status import report_category

bp = Blueprint("directives", __name__, url_prefix="/directives")

TASK_ROWS = 5


@bp.route("/")
@login_required
def index() -> Any:
    rows = db.session.scalars(
        select(Directive)
        .where(directive_filter(current_user))
        .order_by(Directive.issued_on.desc())
        .limit(200)
    ).all()
    return render_template(
        "directives/index.html", directives=rows, can_register=office_unit_of(current_user) is not None
    )


@bp.route("/<int:directive_id>")
@login_required
def show(directive_id: int) -> Any:
    directive = db.session.get(Directive, directive_id)
    if directive is None or not can_view_directive(current_user, directive):
        abort(404)
    timeline = db.session.scalars(
        select(AuditEvent).where(AuditEvent.directive_id == directive.id).order_by(AuditEvent.id)
    ).all()
    today = clock.today()
    categories = {t.id: report_category(t.status, t.due_on, t.completed_on, today) for t in directive.tasks}
    return render_template(
        "directives/show.html", directive=directive, timeline=timeline, categories=categories
    )


def _payload_from_form() -> dict[str, Any]:
    form = request.form
    tasks = []
    for i in range(TASK_ROWS):
        content = form.get(f"task-{i}-content", "").strip()
        if not content:
            continue
        due = form.get(f"task-{i}-due_on", "").strip()
        tasks.append(
            {
                "content": content,
                "lead_unit": form.get(f"task-{i}-lead_unit", ""),
                "coordinating_units": form.getlist(f"task-{i}-coordinating_units"),
                "due_on": (parse_user_date(due) or "invalid") if due else None,
                "deliverable": form.get(f"task-{i}-deliverable", "none"),
                "deadline_fixed_by_higher": form.get(f"task-{i}-deadline_fixed_by_higher") == "on",
            }
        )
    issued = form.get("issued_on", "").strip()
    return {
        "number": form.get("number", ""),
        "symbol": form.get("symbol", ""),
        "doc_type": form.get("doc_type", ""),
        "summary": form.get("summary", ""),
        "issued_on": (parse_user_date(issued) or "invalid") if issued else "",
        "signer": form.get("signer", ""),
        "submitting_agency": form.get("submitting_agency", ""),
        "is_urgent": form.get("is_urgent") == "on",
        "is_complex": form.get("is_complex") == "on",
        "confidentiality": form.get("confidentiality", "normal"),
        "tasks": tasks,
    }


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    if office_unit_of(current_user) is None:
        abort(403)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            directive = directive_service.register_directive(
                directive_service.parse_directive(_payload_from_form()), current_user
            )
            db.session.commit()
            flash(f"Đã vào sổ văn bản {directive.reference}.", "success")
            return redirect(url_for("directives.show", directive_id=directive.id))
        except directive_service.DirectiveInvalid as exc:
            db.session.rollback()
            errors = exc.errors
        except RuleRefused as exc:
            db.session.rollback()
            flash(exc.message, "error")
            errors = {"confidentiality": exc.message}
    units = db.session.scalars(
        select(Unit)
        .where(Unit.kind != "office", Unit.kind != "province", Unit.is_active.is_(True))
        .order_by(Unit.name)
    ).all()
    return render_template(
        "directives/new.html",
        errors=errors,
        values=request.form,
        units=units,
        rows=range(TASK_ROWS),
        doc_types=directive_service.DOC_TYPES,
        confidentiality=directive_service.CONFIDENTIALITY,
        deliverables=directive_service.DELIVERABLES,
    ), (422 if errors else 200)

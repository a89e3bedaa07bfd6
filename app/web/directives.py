"""The directive register: list with filters and search, register with tasks, directive page."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.forms.coerce import parse_user_date
from app.i18n_marker import N_
from app.models import AuditEvent, Directive, Unit
from app.services import directives as directive_service
from app.services.authz import can_view_directive, office_unit_of
from app.services.effect_support import RuleRefused
from app.services.task_status import report_category

bp = Blueprint("directives", __name__, url_prefix="/directives")

STATUSES = {"registered": N_("Chờ phân loại"), "tracking": N_("Đang theo dõi"), "closed": N_("Đã kết thúc")}
TASK_KEY = re.compile(r"^task-(\d+)-content$")
MAX_TASKS = 200


def _date_arg(name: str) -> date | None:
    iso = parse_user_date(request.args.get(name, "")) if request.args.get(name) else None
    return date.fromisoformat(iso) if iso else None


@bp.route("/")
@login_required
def index() -> Any:
    args = request.args
    page_arg = args.get("page", "1")
    f = directive_service.RegisterFilter(
        q=args.get("q", "")[:200],
        doc_type=args.get("doc_type", "") if args.get("doc_type") in directive_service.DOC_TYPES else "",
        status=args.get("status", "") if args.get("status") in STATUSES else "",
        issued_from=_date_arg("issued_from"),
        issued_to=_date_arg("issued_to"),
        page=int(page_arg) if page_arg.isdigit() else 1,
    )
    rows, total, page = directive_service.search_register(current_user, f)
    pages = max(1, -(-total // directive_service.REGISTER_PAGE))
    return render_template(
        "directives/index.html",
        directives=rows,
        f=f,
        total=total,
        page=page,
        pages=pages,
        statuses=STATUSES,
        doc_types=directive_service.DOC_TYPES,
        args={k: v for k, v in args.items() if k != "page"},
        can_register=office_unit_of(current_user) is not None,
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
        "directives/show.html",
        directive=directive,
        timeline=timeline,
        categories=categories,
        statuses=STATUSES,
    )


def _task_indexes() -> list[int]:
    """Row numbers present in the post: rows added in the browser are numbered by the script."""
    found = sorted({int(m.group(1)) for key in request.form if (m := TASK_KEY.match(key))})
    return found[:MAX_TASKS]


def _payload_from_form() -> dict[str, Any]:
    form = request.form
    tasks = []
    for i in _task_indexes():
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
                "field": form.get(f"task-{i}-field", ""),
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
            flash(_("Đã vào sổ văn bản %(ref)s.", ref=directive.reference), "success")
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
    posted = _task_indexes() if request.method == "POST" else []
    # Error keys count only the non-empty rows: map them back to the row numbers shown.
    filled = [i for i in posted if request.form.get(f"task-{i}-content", "").strip()]
    row_errors = {
        i: {k.split(".", 1)[1]: v for k, v in errors.items() if k.startswith(f"tasks[{n}].")}
        for n, i in enumerate(filled)
    }
    row_values = {
        i: {
            **{
                k: request.form.get(f"task-{i}-{k}", "")
                for k in (
                    "content",
                    "lead_unit",
                    "due_on",
                    "field",
                    "deliverable",
                    "deadline_fixed_by_higher",
                )
            },
            "coordinating_units": request.form.getlist(f"task-{i}-coordinating_units"),
        }
        for i in posted
    }
    return render_template(
        "directives/new.html",
        errors=errors,
        row_errors=row_errors,
        row_values=row_values,
        values=request.form,
        units=units,
        rows=posted or [0, 1, 2],
        doc_types=directive_service.DOC_TYPES,
        confidentiality=directive_service.CONFIDENTIALITY,
        deliverables=directive_service.DELIVERABLES,
        fields=_known_fields(),
    ), (422 if errors else 200)


def _known_fields() -> list[str]:
    from app.services.inbox import fields_in_use

    return fields_in_use()

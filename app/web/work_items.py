"""The work-item page: summary, instructions, the generated form, history; claim and complete."""

from __future__ import annotations

from typing import Any

import bleach
import markdown
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.extensions import db
from app.forms import FormInvalid, coerce_form
from app.models import Directive, Task, WorkItem
from app.services import audit, deadlines, work_items
from app.services.authz import can_act_on, can_view_work_item
from app.services.effect_support import RuleRefused
from app.workflow import StaleInstance, WorkItemNotReady

bp = Blueprint("work_items", __name__, url_prefix="/work-items")

ALLOWED_TAGS = ["p", "strong", "em", "ul", "ol", "li", "br", "code", "a", "h3", "h4", "blockquote"]


def _load(item_id: int) -> WorkItem:
    item = db.session.get(WorkItem, item_id)
    if item is None or not can_view_work_item(current_user, item):
        abort(404)
    return item


def render_markdown(text: str | None) -> str:
    if not text:
        return ""
    return str(bleach.clean(markdown.markdown(text), tags=ALLOWED_TAGS, attributes={"a": ["href"]}))


def _page(item: WorkItem, values: dict[str, Any], errors: dict[str, str], status: int = 200) -> Any:
    task = db.session.get(Task, item.task_id) if item.task_id else None
    directive = db.session.get(Directive, item.directive_id) if item.directive_id else None
    history = audit.task_history(task.id) if task else []
    return render_template(
        "work_items/show.html",
        item=item,
        task=task,
        directive=directive,
        schema=work_items.form_schema(item),
        values=values,
        errors=errors,
        instructions=render_markdown(item.instructions),
        history=history,
        due=deadlines.explain("work_item", item.id),
        can_act=item.state == "open" and can_act_on(current_user, item),
    ), status


@bp.route("/<int:item_id>")
@login_required
def show(item_id: int) -> Any:
    item = _load(item_id)
    from app.services.inspections.queries import inspection_of_item

    inspection = inspection_of_item(item)
    if inspection is not None:  # inspection steps are shown with the inspection they belong to
        return redirect(url_for("inspections.step", inspection_id=inspection.id, item_id=item.id))
    defaults = {k: v.get("default") for k, v in work_items.form_schema(item).get("properties", {}).items()}
    return _page(item, {k: v for k, v in defaults.items() if v is not None}, {})


@bp.route("/<int:item_id>/claim", methods=["POST"])
@login_required
def claim(item_id: int) -> Any:
    item = _load(item_id)
    try:
        work_items.claim(current_user, item)
        db.session.commit()
        flash("Đã nhận xử lý công việc.", "info")
    except (work_items.Conflict, WorkItemNotReady, work_items.NotAllowed) as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("work_items.show", item_id=item_id))


@bp.route("/<int:item_id>/unclaim", methods=["POST"])
@login_required
def unclaim(item_id: int) -> Any:
    item = _load(item_id)
    try:
        work_items.unclaim(current_user, item)
        db.session.commit()
        flash("Đã trả công việc về đơn vị.", "info")
    except (WorkItemNotReady, work_items.NotAllowed) as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("work_items.show", item_id=item_id))


@bp.route("/<int:item_id>", methods=["POST"])
@login_required
def complete(item_id: int) -> Any:
    item = _load(item_id)
    schema = work_items.form_schema(item)
    data = coerce_form(schema, request.form)
    try:
        work_items.complete(current_user, item, data)
        db.session.commit()
    except FormInvalid as exc:
        db.session.rollback()
        flash("Biểu mẫu còn lỗi, vui lòng kiểm tra các trường được đánh dấu.", "error")
        return _page(_load(item_id), dict(request.form), exc.errors, status=422)
    except RuleRefused as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _page(_load(item_id), dict(request.form), {}, status=422)
    except work_items.NotAllowed:
        db.session.rollback()
        abort(403)
    except (WorkItemNotReady, StaleInstance, work_items.Conflict) as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("work_items.show", item_id=item_id))
    flash(f"Đã hoàn thành: {item.title}.", "success")
    return redirect(url_for("inbox.index"))

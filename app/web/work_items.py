"""The work-item page: summary, instructions, generated form, files, comments, history, diagram."""

from __future__ import annotations

from typing import Any

import bleach
import markdown
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.extensions import db
from app.forms import FormInvalid, coerce_form
from app.forms.layout import build_fields
from app.models import Attachment, User, WorkItem
from app.services import attachments, audit, comments, deadlines, drafts, work_items
from app.services.authz import (
    can_act_on,
    can_reassign,
    can_view_attachment,
    can_view_work_item,
    colleague_ids,
)
from app.services.effect_support import RuleRefused
from app.services.reports.prefill import panel_for as report_panel_for
from app.workflow import StaleInstance, WorkItemNotReady

bp = Blueprint("work_items", __name__, url_prefix="/work-items")

ALLOWED_TAGS = ["p", "strong", "em", "ul", "ol", "li", "br", "code", "a", "h3", "h4", "blockquote"]


def _load(item_id: int) -> WorkItem:
    item = work_items.get_item(item_id)
    if item is None or not can_view_work_item(current_user, item):
        abort(404)
    return item


def render_markdown(text: str | None) -> str:
    if not text:
        return ""
    return str(bleach.clean(markdown.markdown(text), tags=ALLOWED_TAGS, attributes={"a": ["href"]}))


def _colleagues(item: WorkItem) -> list[User]:
    ids = [i for i in colleague_ids(item) if i != current_user.id]
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.full_name)))


def _page(
    item: WorkItem, values: dict[str, Any], errors: dict[str, str], status: int = 200, panel: Any = None
) -> Any:
    schema = work_items.effective_schema(item)
    can_act = item.state == "open" and can_act_on(current_user, item)
    may_reassign = item.state == "open" and can_reassign(current_user, item)
    return render_template(
        "work_items/show.html",
        item=item,
        task=item.task,
        directive=item.directive,
        schema=schema,
        fields=build_fields(schema, work_items.form_ui(item), values, errors),
        errors=errors,
        instructions=render_markdown(item.instructions),
        history=audit.task_history(item.task_id) if item.task_id else [],
        files=attachments.for_task(item.task_id, item.id),
        thread=comments.thread(item),
        can_act=can_act,
        can_reassign=may_reassign,
        colleagues=_colleagues(item) if can_act or may_reassign else [],
        draft=drafts.load(current_user, item) if can_act else None,
        max_mb=attachments.max_bytes() // (1024 * 1024),
        due=deadlines.explain("work_item", item.id),
        report_panel=panel if panel is not None else report_panel_for(item, current_user),
    ), status


@bp.route("/<int:item_id>")
@login_required
def show(item_id: int) -> Any:
    item = _load(item_id)
    from app.services.inspections.queries import inspection_of_item

    inspection = inspection_of_item(item)
    if inspection is not None:  # inspection steps are shown with the inspection they belong to
        return redirect(url_for("inspections.step", inspection_id=inspection.id, item_id=item.id))
    draft = drafts.load(current_user, item)
    if draft is not None and item.state == "open":
        return _page(item, dict(draft.values), {})
    defaults = {k: v.get("default") for k, v in work_items.form_schema(item).get("properties", {}).items()}
    values = {k: v for k, v in defaults.items() if v is not None}
    panel = report_panel_for(item, current_user)
    if panel is not None and item.state == "open":
        values.update(panel.prefill)  # figures and texts computed from the register (periodic reports)
    return _page(item, values, {}, panel=panel)


def _act(item_id: int, action: Any, done: str) -> Any:
    """Run one action on an item; a refusal is shown as a message, never as a crash."""
    item = _load(item_id)
    try:
        action(item)
        db.session.commit()
        flash(done, "success")
    except (work_items.Conflict, WorkItemNotReady, work_items.NotAllowed) as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("work_items.show", item_id=item_id))


def _target_user() -> User | None:
    value = request.form.get("user_id", "")
    return db.session.get(User, int(value)) if value.isdigit() else None


@bp.route("/<int:item_id>/claim", methods=["POST"])
@login_required
def claim(item_id: int) -> Any:
    return _act(item_id, lambda i: work_items.claim(current_user, i), _("Đã nhận xử lý công việc."))


@bp.route("/<int:item_id>/unclaim", methods=["POST"])
@login_required
def unclaim(item_id: int) -> Any:
    return _act(item_id, lambda i: work_items.unclaim(current_user, i), _("Đã trả công việc về đơn vị."))


@bp.route("/<int:item_id>/delegate", methods=["POST"])
@login_required
def delegate(item_id: int) -> Any:
    target = _target_user()
    if target is None:
        flash(_("Vui lòng chọn người nhận."), "error")
        return redirect(url_for("work_items.show", item_id=item_id))
    done = _("Đã chuyển công việc cho %(name)s.", name=target.full_name)
    return _act(item_id, lambda i: work_items.delegate(current_user, i, target), done)


@bp.route("/<int:item_id>/reassign", methods=["POST"])
@login_required
def reassign(item_id: int) -> Any:
    target = _target_user()
    done = _("Đã phân công lại công việc.") if target else _("Đã trả công việc về đơn vị.")
    return _act(item_id, lambda i: work_items.reassign(current_user, i, target), done)


def _file_fields(schema: dict[str, Any]) -> list[str]:
    return [n for n, p in schema.get("properties", {}).items() if p.get("format") == "file"]


def _keep_uploads(item: WorkItem, schema: dict[str, Any], data: dict[str, Any]) -> dict[str, str]:
    """Store the files chosen in the form's file fields; their ids become the fields' values."""
    errors: dict[str, str] = {}
    for name in _file_fields(schema):
        upload = request.files.get(f"{name}__upload")
        if upload is None or not upload.filename:
            continue
        try:
            data[name] = str(
                attachments.store(current_user, item, upload.filename, upload.stream, field=name).id
            )
        except attachments.AttachmentRefused as exc:
            errors[name] = str(exc)
    return errors


@bp.route("/<int:item_id>", methods=["POST"])
@login_required
def complete(item_id: int) -> Any:
    """Submit (or save as draft). Files are kept even when the form is refused, so the clerk
    corrects the other fields without choosing the files again: that is the one extra commit."""
    item = _load(item_id)
    if not (item.state == "open" and can_act_on(current_user, item)):
        abort(403)
    schema = work_items.effective_schema(item)
    data = coerce_form(schema, request.form, work_items.form_ui(item))
    upload_errors = _keep_uploads(item, schema, data)
    if request.form.get("action") == "draft":
        drafts.save(current_user, item, data)
        db.session.commit()
        flash(_("Đã lưu nháp."), "info")
        return redirect(url_for("work_items.show", item_id=item_id))
    db.session.commit()
    try:
        if upload_errors:
            raise FormInvalid(upload_errors)
        work_items.complete(current_user, item, data)
        db.session.commit()
    except FormInvalid as exc:
        db.session.rollback()
        flash(_("Biểu mẫu còn lỗi, vui lòng kiểm tra các trường được đánh dấu."), "error")
        return _page(_load(item_id), data, exc.errors, status=422)
    except RuleRefused as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _page(_load(item_id), data, {}, status=422)
    except work_items.NotAllowed:
        db.session.rollback()
        abort(403)
    except (WorkItemNotReady, StaleInstance, work_items.Conflict) as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("work_items.show", item_id=item_id))
    flash(_("Đã hoàn thành: %(title)s.", title=item.title), "success")
    return redirect(url_for("inbox.index"))


@bp.route("/<int:item_id>/attachments", methods=["POST"])
@login_required
def upload(item_id: int) -> Any:
    item = _load(item_id)
    chosen = request.files.get("file")
    if chosen is None or not chosen.filename:
        flash(_("Vui lòng chọn tệp."), "error")
    else:
        try:
            attachments.store(current_user, item, chosen.filename, chosen.stream)
            db.session.commit()
            flash(_("Đã đính kèm tệp."), "success")
        except attachments.AttachmentRefused as exc:
            db.session.rollback()
            flash(str(exc), "error")
    return redirect(url_for("work_items.show", item_id=item_id) + "#files")


@bp.route("/<int:item_id>/comments", methods=["POST"])
@login_required
def comment(item_id: int) -> Any:
    item = _load(item_id)
    try:
        comments.add(current_user, item, request.form.get("body", ""))
        db.session.commit()
    except comments.CommentInvalid as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("work_items.show", item_id=item_id) + "#comments")


@bp.route("/<int:item_id>/diagram.bpmn")
@login_required
def diagram(item_id: int) -> Any:
    """The BPMN of the model version this item's instance runs on (not the newest version)."""
    item = _load(item_id)
    return Response(item.instance.model_version.content, mimetype="application/xml")


files_bp = Blueprint("attachments", __name__, url_prefix="/attachments")


@files_bp.route("/<int:attachment_id>")
@login_required
def download(attachment_id: int) -> Any:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or not can_view_attachment(current_user, attachment):
        abort(404)
    response = send_file(
        attachments.path_of(attachment),
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.original_name,
    )
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response

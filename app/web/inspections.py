"""Inspection pages: list, open, the inspection with its steps and dossier, plans, signals.

Routes are thin: load, check access, call one service, commit once. The steps of the process are
completed through `services.work_items.complete` like every other work item.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import clock
from app.extensions import db
from app.forms import FormInvalid
from app.models import Inspection, InspectionDocument, InspectionPlan, Unit, WorkItem
from app.services import work_items
from app.services.authz import can_act_on
from app.services.inspections import access, dossier, followup, labels, publication, queries, signals, team
from app.services.inspections.documents import decision_docx, report_docx
from app.services.inspections.opening import (
    OpenRequest,
    approve_plan,
    can_approve_plan,
    create_plan,
    open_inspection,
)
from app.web import inspection_forms
from app.web.work_items import render_markdown
from app.workflow import StaleInstance, WorkItemNotReady, load_workflow_data

bp = Blueprint("inspections", __name__, url_prefix="/inspections")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.context_processor
def inject_labels() -> dict[str, Any]:
    return {"labels": labels, "access": access}


def _load(inspection_id: int) -> Inspection:
    inspection = db.session.get(Inspection, inspection_id)
    if inspection is None or not access.can_view_inspection(current_user, inspection):
        abort(404)
    return inspection


def _managed(inspection_id: int) -> Inspection:
    inspection = _load(inspection_id)
    if not access.can_manage_inspection(current_user, inspection):
        abort(403)
    return inspection


@bp.route("/")
@login_required
def index() -> Any:
    return render_template(
        "inspections/index.html",
        inspections=queries.visible_inspections(current_user),
        can_open=access.owner_unit_for(current_user) is not None,
        can_see_signals=access.can_see_signals(current_user),
        today=clock.today(),
    )


def _open_request(form: Any) -> OpenRequest:
    plan = form.get("plan_id", "")
    return OpenRequest(
        kind=form.get("kind", ""),
        title=form.get("title", ""),
        decider=form.get("decider", ""),
        plan_id=int(plan) if plan.isdigit() else None,
        trigger=form.get("trigger") or None,
        reason=form.get("reason") or None,
        suggested_unit_ids=[int(v) for v in form.getlist("unit_id") if v.isdigit()],
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    owner = access.owner_unit_for(current_user)
    if owner is None:
        abort(403)
    errors: dict[str, str] = {}
    values = request.form if request.method == "POST" else request.args
    if request.method == "POST":
        try:
            inspection = open_inspection(current_user, _open_request(request.form))
            db.session.commit()
            flash(_("Đã mở đợt kiểm tra; bước tiếp theo: lập kế hoạch, đề xuất kiểm tra."), "success")
            return redirect(url_for("inspections.show", inspection_id=inspection.id))
        except FormInvalid as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template(
        "inspections/new.html",
        owner=owner,
        plans=queries.approved_plans(owner),
        values=values,
        suggested=[db.session.get(Unit, int(v)) for v in values.getlist("unit_id") if v.isdigit()],
        errors=errors,
    ), (422 if errors else 200)


@bp.route("/<int:inspection_id>")
@login_required
def show(inspection_id: int) -> Any:
    inspection = _load(inspection_id)
    steps = queries.open_steps(inspection)
    return render_template(
        "inspections/show.html",
        inspection=inspection,
        steps=steps,
        actionable={s.id for s in steps if can_act_on(current_user, s)},
        checklist=dossier.checklist(inspection),
        timeline=queries.timeline(inspection),
        can_manage=access.can_manage_inspection(current_user, inspection),
        can_file=access.can_work_on_dossier(current_user, inspection),
        is_head=access.is_team_head(current_user, inspection),
        can_follow_up=followup.can_follow_up(inspection)
        and access.can_manage_inspection(current_user, inspection),
        today=clock.today(),
    )


def _step(inspection_id: int, item_id: int) -> tuple[Inspection, WorkItem]:
    inspection = _load(inspection_id)
    item = db.session.get(WorkItem, item_id)
    if item is None or item.instance_id != inspection.instance_id:
        abort(404)
    return inspection, item


def _step_page(
    inspection: Inspection, item: WorkItem, values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> Any:
    return render_template(
        "inspections/step.html",
        inspection=inspection,
        item=item,
        schema=work_items.form_schema(item),
        values=values,
        errors=errors,
        instructions=render_markdown(item.instructions),
        can_act=item.state == "open" and can_act_on(current_user, item),
        units=queries.inspectable_units(),
        team_rows=range(inspection_forms.TEAM_ROWS),
        recommendation_rows=range(inspection_forms.RECOMMENDATION_ROWS),
    ), status


def _prefill(inspection: Inspection, item: WorkItem) -> dict[str, Any]:
    if item.form == inspection_forms.PROPOSAL_FORM:
        data = load_workflow_data(item.instance) if not inspection.subjects else {}
        return inspection_forms.proposal_values(inspection, list(data.get("suggested_unit_ids") or []))
    if item.form == inspection_forms.REPORT_FORM:
        return inspection_forms.report_values(inspection)
    schema = work_items.form_schema(item)
    return {k: v["default"] for k, v in schema.get("properties", {}).items() if "default" in v}


@bp.route("/<int:inspection_id>/steps/<int:item_id>")
@login_required
def step(inspection_id: int, item_id: int) -> Any:
    inspection, item = _step(inspection_id, item_id)
    return _step_page(inspection, item, _prefill(inspection, item), {})


@bp.route("/<int:inspection_id>/steps/<int:item_id>", methods=["POST"])
@login_required
def complete_step(inspection_id: int, item_id: int) -> Any:
    inspection, item = _step(inspection_id, item_id)
    data = inspection_forms.step_data(item.form, work_items.form_schema(item), request.form, inspection)
    try:
        work_items.complete(current_user, item, data)
        db.session.commit()
    except FormInvalid as exc:
        db.session.rollback()
        inspection, item = _step(inspection_id, item_id)
        flash(
            exc.errors.get("_form", _("Biểu mẫu còn lỗi, vui lòng kiểm tra các trường được đánh dấu.")),
            "error",
        )
        return _step_page(inspection, item, _posted(item, request.form), exc.errors, status=422)
    except work_items.NotAllowed:
        db.session.rollback()
        abort(403)
    except (WorkItemNotReady, StaleInstance, work_items.Conflict) as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("inspections.step", inspection_id=inspection_id, item_id=item_id))
    flash(_("Đã hoàn thành: %(step)s.", step=item.title), "success")
    return redirect(url_for("inspections.show", inspection_id=inspection_id))


def _posted(item: WorkItem, form: Any) -> dict[str, Any]:
    """What the user typed, to show again beside the errors."""
    if item.form == inspection_forms.PROPOSAL_FORM:
        values = inspection_forms.proposal_data(form)
        values.update({k: form.get(k, "") for k in ("starts_on", "ends_on", "documents_due_on")})
        return values
    return dict(form)


@bp.route("/<int:inspection_id>/documents", methods=["POST"])
@login_required
def add_document(inspection_id: int) -> Any:
    inspection = _load(inspection_id)
    if not access.can_work_on_dossier(current_user, inspection):
        abort(403)
    item_no = request.form.get("item_no", "")
    try:
        dossier.add_document(
            current_user,
            inspection,
            item_no=int(item_no) if item_no.isdigit() else 0,
            title=request.form.get("title", ""),
            upload=request.files.get("file"),
        )
        db.session.commit()
        flash(_("Đã đưa tài liệu vào hồ sơ kiểm tra."), "success")
    except FormInvalid as exc:
        db.session.rollback()
        flash(" ".join(exc.errors.values()), "error")
    return redirect(url_for("inspections.show", inspection_id=inspection_id) + "#ho-so")


@bp.route("/<int:inspection_id>/documents/<int:document_id>")
@login_required
def download_document(inspection_id: int, document_id: int) -> Any:
    inspection = _load(inspection_id)
    document = db.session.get(InspectionDocument, document_id)
    if document is None or document.inspection_id != inspection.id or not document.stored_name:
        abort(404)
    return send_file(
        _bytes(dossier.read_document(document)),
        mimetype=document.content_type,
        as_attachment=True,
        download_name=document.file_name,
    )


def _bytes(content: bytes) -> Any:
    import io

    return io.BytesIO(content)


@bp.route("/<int:inspection_id>/ho-so.zip")
@login_required
def archive(inspection_id: int) -> Any:
    inspection = _load(inspection_id)
    return send_file(
        _bytes(dossier.build_archive(inspection)),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"Hồ sơ kiểm tra {inspection.id}.zip",
    )


@bp.route("/<int:inspection_id>/quyet-dinh.docx")
@login_required
def decision_document(inspection_id: int) -> Any:
    inspection = _load(inspection_id)
    return _docx(inspection.decision_number, decision_docx, inspection, "Quyết định kiểm tra")


@bp.route("/<int:inspection_id>/bao-cao.docx")
@login_required
def report_document(inspection_id: int) -> Any:
    inspection = _load(inspection_id)
    return _docx(inspection.report_number, report_docx, inspection, "Báo cáo kết quả kiểm tra")


def _docx(
    number: str | None, build: Callable[[Inspection], bytes], inspection: Inspection, title: str
) -> Any:
    """A generated Word document, named after its number; 404 until the number has been issued."""
    if not number:
        abort(404)
    return send_file(
        _bytes(build(inspection)), mimetype=DOCX, as_attachment=True, download_name=f"{title} {number}.docx"
    )


@bp.route("/<int:inspection_id>/publish", methods=["POST"])
@login_required
def publish(inspection_id: int) -> Any:
    inspection = _managed(inspection_id)
    try:
        publication.publish_conclusions(current_user, inspection)
        db.session.commit()
        flash(_("Đã công khai kết luận kiểm tra."), "success")
    except FormInvalid as exc:
        db.session.rollback()
        flash(exc.errors["_form"], "error")
    return redirect(url_for("inspections.show", inspection_id=inspection_id))


@bp.route("/<int:inspection_id>/follow-up", methods=["POST"])
@login_required
def follow_up(inspection_id: int) -> Any:
    inspection = _managed(inspection_id)
    try:
        directive = followup.create_followup_directive(current_user, inspection)
        db.session.commit()
    except (FormInvalid, PermissionError) as exc:
        db.session.rollback()
        flash(getattr(exc, "errors", {}).get("_form") or str(exc), "error")
        return redirect(url_for("inspections.show", inspection_id=inspection_id))
    flash(
        _("Đã vào sổ văn bản %(ref)s: các kiến nghị được giao như nhiệm vụ.", ref=directive.reference),
        "success",
    )
    return redirect(url_for("directives.show", directive_id=directive.id))


@bp.route("/<int:inspection_id>/members", methods=["POST"])
@login_required
def invite(inspection_id: int) -> Any:
    inspection = _load(inspection_id)
    try:
        team.invite_member(
            current_user,
            inspection,
            full_name=request.form.get("full_name", ""),
            position=request.form.get("position", ""),
            username=request.form.get("username", ""),
        )
        db.session.commit()
        flash(_("Đã mời thêm thành viên Đoàn kiểm tra."), "success")
    except PermissionError:
        db.session.rollback()
        abort(403)
    except FormInvalid as exc:
        db.session.rollback()
        flash(" ".join(exc.errors.values()), "error")
    return redirect(url_for("inspections.show", inspection_id=inspection_id))


@bp.route("/signals")
@login_required
def signals_view() -> Any:
    if not access.can_see_signals(current_user):
        abort(403)
    limits = signals.Thresholds()
    return render_template(
        "inspections/signals.html",
        rows=signals.unit_signals(current_user),
        limits=limits,
        can_open=access.owner_unit_for(current_user) is not None,
    )


@bp.route("/plans", methods=["GET", "POST"])
@login_required
def plans() -> Any:
    errors: dict[str, str] = {}
    if request.method == "POST":
        year = request.form.get("year", "")
        try:
            create_plan(
                current_user,
                year=int(year) if year.isdigit() else 0,
                title=request.form.get("title", ""),
                content=request.form.get("content", ""),
            )
            db.session.commit()
            flash(_("Đã lập dự thảo kế hoạch kiểm tra; trình người có thẩm quyền phê duyệt."), "success")
            return redirect(url_for("inspections.plans"))
        except PermissionError:
            db.session.rollback()
            abort(403)
        except FormInvalid as exc:
            db.session.rollback()
            errors = exc.errors
    rows = queries.plans_for(current_user)
    return render_template(
        "inspections/plans.html",
        plans=rows,
        errors=errors,
        values=request.form,
        can_draft=access.owner_unit_for(current_user) is not None,
        approvable={p.id for p in rows if can_approve_plan(current_user, p)},
        year=clock.today().year,
    ), (422 if errors else 200)


@bp.route("/plans/<int:plan_id>/approve", methods=["POST"])
@login_required
def approve(plan_id: int) -> Any:
    plan = db.session.get(InspectionPlan, plan_id)
    if plan is None:
        abort(404)
    try:
        approve_plan(current_user, plan)
        db.session.commit()
        flash(_("Đã phê duyệt %(plan)s.", plan=plan.title), "success")
    except PermissionError:
        db.session.rollback()
        abort(403)
    except FormInvalid as exc:
        db.session.rollback()
        flash(exc.errors["_form"], "error")
    return redirect(url_for("inspections.plans"))

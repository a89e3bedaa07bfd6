"""The administrator's working-day calendar: year view, overrides, CSV import/export, and the
preview and explicit recomputation of open deadlines after a change. Administrators only."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import clock
from app.extensions import db
from app.services import calendar_admin, calendar_year, deadline_moves
from app.services.authz import is_admin
from app.services.calendar_service import current_calendar, stored_overrides
from app.workflow import StaleInstance

bp = Blueprint("admin_calendar", __name__, url_prefix="/admin/calendar")


@bp.before_request
@login_required
def require_admin() -> None:
    if not is_admin(current_user):
        abort(403)


def _year(value: Any) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return clock.today().year
    return year if 1990 <= year <= 2100 else clock.today().year


def _page(year: int, *, errors: dict[str, str] | None = None, csv_errors: list[str] | None = None) -> Any:
    calendar = current_calendar()
    rows = stored_overrides()
    status = 422 if errors or csv_errors else 200
    return render_template(
        "admin/calendar.html",
        year=year,
        grids=calendar_year.month_grids(calendar, year),
        special=calendar_year.special_days(calendar, year, rows),
        removed=calendar_year.removed_rows(rows, year),
        weekdays=calendar_year.WEEKDAYS,
        marks=calendar_year.MARKS,
        kinds=calendar_admin.KIND_LABELS,
        revision=calendar.revision,
        pending=deadline_moves.preview(calendar),
        errors=errors or {},
        csv_errors=csv_errors or [],
        values=request.form,
    ), status


@bp.get("/")
def index() -> Any:
    return _page(_year(request.args.get("year")))


@bp.post("/overrides")
def add_override() -> Any:
    form = request.form
    try:
        override = calendar_admin.parse_override(
            form.get("date", ""), form.get("kind", ""), form.get("name", ""), form.get("reference", "")
        )
        outcome = calendar_admin.set_override(current_user, override)
    except calendar_admin.OverrideInvalid as exc:
        db.session.rollback()
        return _page(_year(request.args.get("year")), errors=exc.errors)
    db.session.commit()
    messages = {
        "added": _("Đã thêm ngày %(day)s: %(name)s."),
        "changed": _("Đã sửa ngày %(day)s: %(name)s."),
        "unchanged": _("Không thay đổi ngày %(day)s: %(name)s."),
    }
    flash(messages[outcome] % {"day": f"{override.date:%d/%m/%Y}", "name": override.name}, "success")
    return redirect(url_for("admin_calendar.index", year=override.date.year))


@bp.post("/overrides/remove")
def remove_override() -> Any:
    try:
        day = date.fromisoformat(request.form.get("date", ""))
    except ValueError:
        abort(400)
    try:
        removed = calendar_admin.remove_override(current_user, day, request.form.get("reference", ""))
    except calendar_admin.OverrideInvalid as exc:
        db.session.rollback()
        flash(" ".join(exc.errors.values()), "error")
        return redirect(url_for("admin_calendar.index", year=day.year))
    db.session.commit()
    flash(
        _("Đã xoá điều chỉnh ngày %(day)s (%(name)s).", day=f"{day:%d/%m/%Y}", name=removed.name), "success"
    )
    return redirect(url_for("admin_calendar.index", year=day.year))


@bp.post("/import")
def import_csv() -> Any:
    year = _year(request.args.get("year"))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(year, csv_errors=["Vui lòng chọn tệp CSV (date,kind,name,reference)."])
    data = upload.stream.read(calendar_admin.MAX_CSV_BYTES + 1)
    try:
        result = calendar_admin.import_csv(current_user, data, upload.filename)
    except calendar_admin.OverrideCSVError as exc:
        db.session.rollback()
        return _page(year, csv_errors=exc.messages_vi)
    db.session.commit()
    flash(
        _(
            "Đã nhập tệp %(file)s: thêm %(added)d, sửa %(changed)d, không đổi %(unchanged)d ngày.",
            file=upload.filename,
            added=result.added,
            changed=result.changed,
            unchanged=result.unchanged,
        ),
        "success",
    )
    return redirect(url_for("admin_calendar.index", year=year))


@bp.get("/export")
def export_csv() -> Any:
    year = _year(request.args.get("year"))
    return Response(
        calendar_admin.export_csv(year),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=lich-ngay-lam-viec-{year}.csv"},
    )


@bp.get("/deadlines")
def deadlines_preview() -> Any:
    return render_template("admin/calendar_deadlines.html", preview=deadline_moves.preview())


@bp.post("/deadlines/apply")
def deadlines_apply() -> Any:
    try:
        result = deadline_moves.apply(current_user, request.form.get("revision", ""))
    except (deadline_moves.CalendarChanged, StaleInstance) as exc:
        # A process moved on while recomputing: nothing was changed, the preview is shown again.
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("admin_calendar.deadlines_preview"))
    db.session.commit()
    flash(_("Đã tính lại %(n)d hạn xử lý theo lịch mới.", n=len(result.moves)), "success")
    return redirect(url_for("admin_calendar.deadlines_preview"))

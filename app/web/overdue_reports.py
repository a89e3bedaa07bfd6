"""Bảng tổng hợp nhiệm vụ quá hạn hằng tuần (Appendix 01): the week's tables and the unit's columns."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.forms.coerce import parse_user_date
from app.models import OverdueReport, OverdueReportRow
from app.services import overdue_reports

bp = Blueprint("overdue_reports", __name__, url_prefix="/overdue-reports")


@bp.route("/")
@login_required
def index() -> Any:
    weeks = overdue_reports.weeks()
    try:
        monday = date.fromisoformat(request.args["week"]) if request.args.get("week") else None
    except ValueError:
        monday = None
    monday = monday or (weeks[0] if weeks else None)
    reports = overdue_reports.week_reports(current_user, monday) if monday else []
    return render_template("overdue_reports/index.html", weeks=weeks, monday=monday, reports=reports)


def _report(report_id: int) -> OverdueReport:
    report = db.session.get(OverdueReport, report_id)
    if report is None or not overdue_reports.can_view(current_user, report):
        abort(404)
    return report


@bp.route("/<int:report_id>")
@login_required
def show(report_id: int) -> Any:
    report = _report(report_id)
    return _page(report, {}, None)


def _page(report: OverdueReport, errors: dict[str, str], error_row: int | None, status: int = 200) -> Any:
    return render_template(
        "overdue_reports/show.html",
        report=report,
        situations=overdue_reports.SITUATIONS,
        can_fill=overdue_reports.can_fill(current_user, report),
        errors=errors,
        error_row=error_row,
        values=request.form if error_row else {},
    ), status


@bp.route("/<int:report_id>/rows/<int:row_id>", methods=["POST"])
@login_required
def fill(report_id: int, row_id: int) -> Any:
    report = _report(report_id)
    row = db.session.get(OverdueReportRow, row_id)
    if row is None or row.report_id != report.id:
        abort(404)
    if not overdue_reports.can_fill(current_user, report):
        abort(403)
    form = request.form.to_dict()
    if form.get("expected_on"):
        form["expected_on"] = parse_user_date(form["expected_on"]) or "invalid"
    try:
        overdue_reports.fill_row(current_user, row, overdue_reports.parse_row(form))
        db.session.commit()
    except overdue_reports.RowInvalid as exc:
        db.session.rollback()
        return _page(_report(report_id), exc.errors, row_id, status=422)
    flash(_("Đã cập nhật dòng %(seq)s.", seq=row.seq), "success")
    return redirect(url_for("overdue_reports.show", report_id=report.id) + f"#row-{row.id}")

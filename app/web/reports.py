"""Báo cáo: dashboard with drill-down, report periods, ad hoc requests, exports, scorecards.

Routes only read filters, check the user's scope, call one service and render or send a file.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.forms.coerce import parse_user_date
from app.i18n_marker import N_
from app.models import ReportPeriod, User
from app.services.reports import dashboard, documents, periods, scorecards
from app.services.reports.access import can_view_period, report_scope
from app.services.reports.categories import RATE_FORMULA
from app.services.reports.prefill import percent
from app.services.reports.scope import Scope, agencies_under, build_scope, is_oversight
from app.services.reports.summary import Filters, compute

bp = Blueprint("reports", __name__, url_prefix="/reports")

PERIOD_STATUS = {
    "opening": N_("Đang mở"),
    "collecting": N_("Các cơ quan đang báo cáo"),
    "consolidating": N_("Văn phòng đang tổng hợp"),
    "awaiting_approval": N_("Chờ lãnh đạo duyệt"),
    "approved": N_("Đã duyệt"),
}


@bp.app_template_filter("percent")
def percent_filter(rate: float | None) -> str:
    return percent(rate)


@bp.app_template_filter("decimal1")
def decimal_filter(value: float | None) -> str:
    """12.5 -> "12,5" (Vietnamese decimal comma); None -> "—"."""
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


def _date_arg(name: str, default: date) -> date:
    raw = request.args.get(name, "").strip()
    parsed = parse_user_date(raw) if raw else None
    return date.fromisoformat(parsed) if parsed else default


def _int_arg(name: str) -> int | None:
    raw = request.args.get(name, "").strip()
    return int(raw) if raw.isdigit() else None


def _range() -> tuple[date, date]:
    today = clock.today()
    start = _date_arg("from", date(today.year, 1, 1))
    end = _date_arg("to", today)
    if end < start:
        start, end = end, start
    return start, end


def _filters() -> Filters:
    """The page's filters; lists of tasks keep what the signed-in user may open."""
    return Filters(field=request.args.get("field") or None, leader_id=_int_arg("leader"), viewer=_viewer())


def _viewer() -> User:
    user: User = current_user._get_current_object()
    return user


def _scope() -> Scope:
    scope = report_scope(current_user, _int_arg("unit"))
    if scope is None:
        abort(403)
    return scope


def _send(file: documents.File) -> Any:
    return send_file(
        BytesIO(file.content), mimetype=file.mimetype, as_attachment=True, download_name=file.name
    )


def _query_args(**extra: Any) -> dict[str, Any]:
    """The page's filters, to carry over into drill-down and download links."""
    keep = {k: v for k, v in request.args.items() if k in {"from", "to", "unit", "field", "leader"} and v}
    keep.update({k: v for k, v in extra.items() if v not in (None, "")})
    return keep


@bp.route("/")
@login_required
def index() -> Any:
    scope = _scope()
    rows: list[ReportPeriod] = []
    if is_oversight(current_user):
        rows = list(
            db.session.scalars(
                select(ReportPeriod)
                .where(ReportPeriod.scope_unit_id.in_(scope.unit_ids))
                .order_by(ReportPeriod.created_at.desc())
                .limit(100)
            )
        )
    return render_template(
        "reports/index.html",
        periods=rows,
        status_labels=PERIOD_STATUS,
        can_request=periods.can_request(current_user),
        today=clock.today(),
    )


@bp.route("/dashboard")
@login_required
def dashboard_page() -> Any:
    scope = _scope()
    start, end = _range()
    report, data = dashboard.dashboard_data(scope, start, end, _filters())
    # Category names are translated here, for the screen only (exports keep the Vietnamese).
    data["categories"]["labels"] = [_(label) for label in data["categories"]["labels"]]
    return render_template(
        "reports/dashboard.html",
        report=report,
        data=data,
        start=start,
        end=end,
        choices=dashboard.filter_choices(report_scope(current_user) or scope, start, end),
        args=request.args,
        query=_query_args(),
        formula=_(RATE_FORMULA),
    )


def _drill() -> dashboard.Drill:
    return dashboard.Drill(
        category=request.args.get("category") or None,
        unit_id=_int_arg("row"),
        issued_month=request.args.get("issued_month") or None,
        due_month=request.args.get("due_month") or None,
        missed=request.args.get("missed") == "1",
    )


@bp.route("/tasks")
@login_required
def tasks() -> Any:
    scope = _scope()
    start, end = _range()
    drill = _drill()
    if request.args.get("format") == "csv":
        rows, _total = dashboard.task_list(scope, start, end, _filters(), drill, limit=None)
        return _send(documents.tasks_csv(rows, f"nhiem-vu-{start:%Y%m%d}-{end:%Y%m%d}"))
    page = _int_arg("page") or 1
    rows, total = dashboard.task_list(scope, start, end, _filters(), drill, page=page)
    return render_template(
        "reports/tasks.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // dashboard.PAGE_SIZE)),
        start=start,
        end=end,
        drill=drill,
        query=_query_args(
            category=drill.category,
            row=drill.unit_id,
            issued_month=drill.issued_month,
            due_month=drill.due_month,
            missed="1" if drill.missed else None,
        ),
    )


@bp.route("/summary.<fmt>")
@login_required
def summary_file(fmt: str) -> Any:
    scope = _scope()
    start, end = _range()
    if fmt == "csv":
        return _send(documents.summary_csv(compute(scope, start, end, _filters(), with_lists=False)))
    if fmt == "xlsx":
        return _send(documents.range_xlsx(scope, start, end, _filters()))
    abort(404)


@bp.route("/appendix01.xlsx")
@login_required
def appendix01() -> Any:
    scope = _scope()
    if not is_oversight(current_user):
        abort(403)
    return _send(documents.appendix_xlsx(scope, _date_arg("as_of", clock.today()), _filters()))


def _period(period_id: int) -> ReportPeriod:
    period = db.session.get(ReportPeriod, period_id)
    if period is None or not can_view_period(current_user, period):
        abort(404)
    return period


@bp.route("/periods/<int:period_id>")
@login_required
def period_page(period_id: int) -> Any:
    period = _period(period_id)
    as_of = min(clock.today(), period.cutoff_on)
    report = compute(build_scope(period.scope_unit), period.period_start, as_of, Filters(viewer=_viewer()))
    return render_template(
        "reports/period.html",
        period=period,
        report=report,
        as_of=as_of,
        status_labels=PERIOD_STATUS,
        agency_status=documents.AGENCY_STATUS,
        formula=_(RATE_FORMULA),
    )


@bp.route("/periods/<int:period_id>.<fmt>")
@login_required
def period_file(period_id: int, fmt: str) -> Any:
    period = _period(period_id)
    if fmt == "xlsx":
        return _send(documents.period_xlsx(period, _viewer()))
    if fmt == "docx":
        return _send(documents.period_docx(period, _viewer()))
    abort(404)


@bp.route("/periods/new", methods=["GET", "POST"])
@login_required
def new_period() -> Any:
    office = periods.requester_office(current_user)
    if office is None:
        abort(403)
    agencies = agencies_under(periods.scope_of_office(office))
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = {
            "title": request.form.get("title", ""),
            "agency_due_on": parse_user_date(request.form.get("agency_due_on", "")) or "",
            "office_due_on": parse_user_date(request.form.get("office_due_on", "")) or "",
            "unit_ids": request.form.getlist("unit_ids"),
            "note": request.form.get("note", ""),
        }
        try:
            period = periods.request_ad_hoc(current_user, periods.parse_ad_hoc(form, clock.today(), office))
            db.session.commit()
            flash(
                _(
                    "Đã yêu cầu %(n)d cơ quan báo cáo: %(title)s.",
                    n=len(period.agency_reports),
                    title=period.title,
                ),
                "success",
            )
            return redirect(url_for("reports.period_page", period_id=period.id))
        except periods.ReportRequestInvalid as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template(
        "reports/new_period.html", agencies=agencies, errors=errors, values=request.form
    ), (422 if errors else 200)


@bp.route("/scorecards")
@login_required
def scorecards_page() -> Any:
    scope = _scope()
    if not is_oversight(current_user):
        abort(403)
    today = clock.today()
    year = _int_arg("year") or today.year
    cards = scorecards.yearly(scope, year, today, _filters())
    weights = scorecards.weights()
    if request.args.get("format") == "csv":
        from app.services.reports.exports_csv import to_csv

        content = to_csv(scorecards.CSV_HEADERS, scorecards.as_rows(cards))
        return _send(documents.File(f"thi-dua-{year}.csv", documents.CSV, content))
    return render_template(
        "reports/scorecards.html",
        cards=cards,
        year=year,
        years=list(range(today.year, today.year - 5, -1)),
        formula=scorecards.formula(weights),
        weights=weights,
        labels=scorecards.COMPONENT_LABELS,
    )

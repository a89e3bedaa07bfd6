"""API v1 reports: the summary per unit at a date, report periods, and every export as a download.

Same scope rules as the web pages (`app.services.reports.access`). Added to the v1 blueprint.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from flask import g, jsonify, request, send_file
from sqlalchemy import select

from app import clock
from app.api.errors import ApiError
from app.api.serializers import iso
from app.api.v1 import bp
from app.extensions import db
from app.models import ReportPeriod, User
from app.services.reports import dashboard, documents, scorecards
from app.services.reports.access import can_view_period, report_scope
from app.services.reports.categories import CATEGORIES, RATE_FORMULA
from app.services.reports.scope import Scope, is_oversight
from app.services.reports.summary import Figures, Filters, compute


def _user() -> User:
    user: User = g.api_user
    return user


def _date(name: str, *, default: date | None = None) -> date:
    raw = request.args.get(name)
    if not raw:
        if default is not None:
            return default
        raise ApiError(400, "bad_request", f"Thiếu tham số '{name}' (YYYY-MM-DD).")
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ApiError(400, "bad_request", f"'{name}' phải là ngày dạng YYYY-MM-DD.") from exc


def _scope() -> Scope:
    unit = request.args.get("unit_id")
    scope = report_scope(_user(), int(unit) if unit and unit.isdigit() else None)
    if scope is None:
        raise ApiError(403, "forbidden", "Tài khoản không có phạm vi báo cáo.")
    return scope


def _filters() -> Filters:
    leader = request.args.get("leader_id")
    return Filters(
        field=request.args.get("field") or None,
        leader_id=int(leader) if leader and leader.isdigit() else None,
        viewer=_user(),  # lists of tasks keep what the token's user may open
    )


def _range() -> tuple[date, date]:
    start, end = _date("from"), _date("to")
    if end < start:
        raise ApiError(400, "bad_request", "'to' phải từ 'from' trở về sau.")
    return start, end


def _counts(f: Figures) -> dict[str, Any]:
    body: dict[str, Any] = {c.value: getattr(f, c.value) for c in CATEGORIES}
    body.update(
        total=f.received,
        on_time_rate=f.on_time_rate,
        late_updates=f.late_updates,
        extensions_granted=f.extensions_granted,
        urging_sent=f.urging_sent,
        quality={"good": f.quality_good, "fair": f.quality_fair, "poor": f.quality_poor},
    )
    return body


def _send(file: documents.File) -> Any:
    return send_file(
        BytesIO(file.content), mimetype=file.mimetype, as_attachment=True, download_name=file.name
    )


@bp.get("/reports/summary")
def reports_summary() -> Any:
    """Per unit code: the four R4 categories and the on-time rate at the `to` date."""
    start, end = _range()
    report = compute(_scope(), start, end, _filters(), with_lists=False)
    return jsonify(
        {
            "from": iso(start),
            "to": iso(end),
            "units": {row.code: {"name": row.name, **_counts(row.figures)} for row in report.rows},
            "total": _counts(report.total),
            "on_time_rate_formula": RATE_FORMULA,
        }
    )


@bp.get("/reports/summary.<fmt>")
def reports_summary_file(fmt: str) -> Any:
    start, end = _range()
    if fmt == "csv":
        return _send(documents.summary_csv(compute(_scope(), start, end, _filters(), with_lists=False)))
    if fmt == "xlsx":
        return _send(documents.range_xlsx(_scope(), start, end, _filters()))
    raise ApiError(404, "not_found", "Định dạng phải là csv hoặc xlsx.")


@bp.get("/reports/tasks.csv")
def reports_tasks_csv() -> Any:
    start, end = _range()
    drill = dashboard.Drill(category=request.args.get("category") or None)
    rows, _ = dashboard.task_list(_scope(), start, end, _filters(), drill, limit=None)
    return _send(documents.tasks_csv(rows, f"nhiem-vu-{start:%Y%m%d}-{end:%Y%m%d}"))


@bp.get("/reports/appendix01.xlsx")
def reports_appendix01() -> Any:
    scope = _scope()
    if not is_oversight(_user()):
        raise ApiError(403, "forbidden", "Chỉ Văn phòng và lãnh đạo được tải Phụ lục 01.")
    return _send(documents.appendix_xlsx(scope, _date("as_of", default=clock.today()), _filters()))


def _period_json(period: ReportPeriod) -> dict[str, Any]:
    return {
        "id": period.id,
        "title": period.title,
        "kind": period.kind,
        "year": period.year,
        "period_start": iso(period.period_start),
        "cutoff_on": iso(period.cutoff_on),
        "agency_due_on": iso(period.agency_due_on),
        "office_due_on": iso(period.office_due_on),
        "approval_due_on": iso(period.approval_due_on),
        "status": period.status,
        "is_published": period.is_published,
        "citation": period.citation,
        "agencies": [
            {"unit": r.unit.code, "status": r.status, "late": r.is_late, "submitted_at": iso(r.submitted_at)}
            for r in period.agency_reports
        ],
        "figures": period.figures,
    }


@bp.get("/reports/periods")
def reports_periods() -> Any:
    scope = _scope()
    if not is_oversight(_user()):
        return jsonify([])
    rows = db.session.scalars(
        select(ReportPeriod)
        .where(ReportPeriod.scope_unit_id.in_(scope.unit_ids))
        .order_by(ReportPeriod.created_at.desc())
        .limit(200)
    )
    return jsonify([_period_json(p) for p in rows])


def _period(period_id: int) -> ReportPeriod:
    period = db.session.get(ReportPeriod, period_id)
    if period is None or not can_view_period(_user(), period):
        raise ApiError(404, "not_found", "Không tìm thấy kỳ báo cáo.")
    return period


@bp.get("/reports/periods/<int:period_id>")
def reports_period(period_id: int) -> Any:
    return jsonify(_period_json(_period(period_id)))


@bp.get("/reports/periods/<int:period_id>.<fmt>")
def reports_period_file(period_id: int, fmt: str) -> Any:
    period = _period(period_id)
    if fmt == "xlsx":
        return _send(documents.period_xlsx(period, _user()))
    if fmt == "docx":
        return _send(documents.period_docx(period, _user()))
    raise ApiError(404, "not_found", "Định dạng phải là xlsx hoặc docx.")


@bp.get("/reports/scorecards")
def reports_scorecards() -> Any:
    scope = _scope()
    if not is_oversight(_user()):
        raise ApiError(403, "forbidden", "Chỉ Văn phòng, lãnh đạo và Hội đồng thi đua xem bảng điểm.")
    today = clock.today()
    year = int(request.args.get("year") or today.year)
    cards = scorecards.yearly(scope, year, today, _filters())
    return jsonify(
        {
            "year": year,
            "formula": scorecards.formula(scorecards.weights()),
            "units": [
                {
                    "name": c.name,
                    "on_time": c.on_time,
                    "updates": c.updates,
                    "inspection": c.inspection,
                    "score": c.score,
                    "tasks": c.figures.received,
                }  # fmt: skip
                for c in cards
            ],
        }
    )

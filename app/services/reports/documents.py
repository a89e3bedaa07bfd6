"""The files a report becomes: a period's Excel and Word, any range's, Appendix 01, CSV lists.

One function per downloadable file; routes (web and API) only check permissions and send bytes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from app import clock
from app.extensions import db
from app.models import AppSetting, ReportPeriod, User
from app.services.reports import appendix01, exports_csv, exports_docx, exports_xlsx
from app.services.reports.scope import Scope, build_scope
from app.services.reports.summary import Filters, OverdueTask, Report, compute
from app.services.task_status import CATEGORY_LABELS, LABELS, ReportCategory, TaskStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CSV = "text/csv; charset=utf-8"
AGENCY_STATUS = {"pending": "Chưa gửi", "submitted": "Đã gửi", "not_submitted": "Không gửi"}


@dataclass(frozen=True)
class File:
    name: str
    mimetype: str
    content: bytes


def slug(text: str) -> str:
    """ASCII file name from a Vietnamese title ("Báo cáo quý I" -> "bao-cao-quy-i")."""
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = plain.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "bao-cao"


def _period_name(period: ReportPeriod) -> str:
    name = slug(period.title)
    return name if str(period.year) in name else f"{name}-{period.year}"


def period_report(period: ReportPeriod, viewer: User | None = None) -> Report:
    """The period's figures at its cut-off; its lists keep the tasks `viewer` may open."""
    return compute(
        build_scope(period.scope_unit), period.period_start, period.cutoff_on, Filters(viewer=viewer)
    )


def period_texts(period: ReportPeriod) -> list[tuple[str, str, str, str]]:
    texts = []
    for report in period.agency_reports:
        status = AGENCY_STATUS.get(report.status, report.status)
        if report.is_late and report.status == "submitted":
            status += " (muộn)"
        texts.append(
            (
                report.unit.name,
                status,
                report.content.get("obstacles", ""),
                report.content.get("proposals", ""),
            )
        )
    return texts


def unit_label(scope: Scope) -> str:
    """ "các phòng chuyên môn, trung tâm thuộc Sở ..." in a department, "các cơ quan, đơn vị" above."""
    if scope.unit.kind == "department":
        return f"các phòng chuyên môn, trung tâm thuộc {scope.unit.name}"
    return f"các cơ quan, đơn vị thuộc {scope.unit.name}"


def period_xlsx(period: ReportPeriod, viewer: User | None = None) -> File:
    content = exports_xlsx.report_workbook(
        period_report(period, viewer),
        title=period.title,
        scope_name=period.scope_unit.name,
        texts=period_texts(period),
    )
    return File(f"{_period_name(period)}.xlsx", XLSX, content)


def _document_info(period: ReportPeriod) -> exports_docx.ReportDocument:
    consolidated = period.consolidated or {}
    return exports_docx.ReportDocument(
        parent_body=period.scope_unit.name,
        issuing_body=period.office_unit.name,
        symbol="BC-VP",
        place=place(),
        signed_on=clock.today(),
        title=period.title,
        basis=_basis(period),
        summary=consolidated.get("summary", ""),
        obstacles=consolidated.get("obstacles", "") or _joined(period, "obstacles"),
        proposals=consolidated.get("proposals", "") or _joined(period, "proposals"),
        recipients=[f"Chủ tịch, các Phó Chủ tịch {period.scope_unit.name}", "Hội đồng Thi đua - Khen thưởng"],
    )


PLACE_KEY = "reports.place"


def place() -> str:
    """Địa danh on the document's date line (e.g. "Lào Cai"): `app_setting['reports.place']`, or
    dots for the clerk to fill in, as on a printed form."""
    setting = db.session.get(AppSetting, PLACE_KEY)
    return str(setting.value) if setting is not None and setting.value else "……………"


def _basis(period: ReportPeriod) -> str:
    if period.kind == "ad_hoc":
        return "yêu cầu báo cáo đột xuất của Chủ tịch " + period.scope_unit.name
    return "chế độ thông tin, báo cáo định kỳ tại Quy chế theo dõi, đôn đốc, kiểm tra việc thực hiện nhiệm vụ"


def _joined(period: ReportPeriod, key: str) -> str:
    lines = [
        f"- {r.unit.name}: {r.content.get(key, '').strip()}"
        for r in period.agency_reports
        if r.status == "submitted" and r.content.get(key, "").strip()
    ]
    return "\n".join(lines)


def period_docx(period: ReportPeriod, viewer: User | None = None) -> File:
    content = exports_docx.report_document(period_report(period, viewer), _document_info(period))
    return File(f"{_period_name(period)}.docx", DOCX, content)


def range_xlsx(scope: Scope, start: date, end: date, filters: Filters) -> File:
    title = f"Báo cáo tình hình thực hiện nhiệm vụ từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"
    report = compute(scope, start, end, filters)
    content = exports_xlsx.report_workbook(report, title=title, scope_name=scope.unit.name)
    return File(f"bao-cao-{start:%Y%m%d}-{end:%Y%m%d}.xlsx", XLSX, content)


def appendix_xlsx(scope: Scope, as_of: date, filters: Filters | None = None) -> File:
    appendix = appendix01.build(scope, as_of, filters)
    content = exports_xlsx.appendix01_workbook(appendix, unit_label=unit_label(scope))
    return File(f"phu-luc-01-tuan-{appendix.week_number}-{as_of.year}.xlsx", XLSX, content)


SUMMARY_CSV_HEADERS = [
    "Mã đơn vị", "Đơn vị", "Tổng số", "Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Đang thực hiện trong hạn",
    "Quá hạn", "Tỷ lệ đúng hạn", "Được gia hạn", "Cập nhật muộn", "Lượt đôn đốc", "Tốt", "Đạt", "Chưa đạt",
]  # fmt: skip


def summary_csv(report: Report) -> File:
    rows = []
    for row in [*report.rows]:
        f = row.figures
        rows.append(
            [
                row.code,
                row.name,
                f.received,
                f.completed_on_time,
                f.completed_late,
                f.in_progress_on_time,
                f.overdue,
                f.on_time_rate,
                f.extensions_granted,
                f.late_updates,
                f.urging_sent,
                f.quality_good,
                f.quality_fair,
                f.quality_poor,
            ]  # fmt: skip
        )
    t = report.total
    rows.append(
        [
            "",
            "Tổng cộng",
            t.received,
            t.completed_on_time,
            t.completed_late,
            t.in_progress_on_time,
            t.overdue,
            t.on_time_rate,
            t.extensions_granted,
            t.late_updates,
            t.urging_sent,
            t.quality_good,
            t.quality_fair,
            t.quality_poor,
        ]  # fmt: skip
    )
    content = exports_csv.to_csv(SUMMARY_CSV_HEADERS, rows)
    return File(f"tong-hop-{report.start:%Y%m%d}-{report.end:%Y%m%d}.csv", CSV, content)


TASK_CSV_HEADERS = [
    "Mã nhiệm vụ", "Số/Ký hiệu", "Ngày văn bản", "Trích yếu", "Nội dung nhiệm vụ", "Đơn vị chủ trì",
    "Lĩnh vực", "Hạn xử lý", "Trạng thái", "Phân loại", "Số ngày quá hạn",
]  # fmt: skip


def tasks_csv(rows: list[tuple[OverdueTask, str | None]], name: str) -> File:
    """A drill-down list as CSV; confidential directives keep their reference only (R14)."""
    lines = []
    for item, category in rows:
        summary = "(Văn bản mật)" if item.confidential else item.directive_summary
        content = "(Văn bản mật)" if item.confidential else item.content
        label = CATEGORY_LABELS.get(ReportCategory(category), category) if category else "Dừng thực hiện"
        lines.append(
            [
                item.task_id,
                item.reference,
                item.issued_on,
                summary,
                content,
                item.unit_name,
                item.field or "",
                item.due_on,
                LABELS.get(TaskStatus(item.status), item.status),
                label,
                item.days_overdue,
            ]  # fmt: skip
        )
    return File(f"{name}.csv", CSV, exports_csv.to_csv(TASK_CSV_HEADERS, lines))

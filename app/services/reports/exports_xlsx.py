"""Excel workbooks (openpyxl): Appendix 01 in the Lào Cai layout, and a periodic report.

Layouts follow the official texts: headers merged as printed in the regulation, columns numbered,
Times New Roman, A4 landscape, header rows repeated on every printed page. Numbers are written as
numbers (not text) so that the Office can add them up in Excel.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.services.reports.appendix01 import SECTION_TITLES, Appendix
from app.services.reports.categories import RATE_FORMULA
from app.services.reports.summary import OverdueTask, Report
from app.services.reports.trail import QUALITY_LABELS
from app.services.task_status import LABELS, TaskStatus

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E8EEF7")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
DATE_FORMAT = "DD/MM/YYYY"


def _font(bold: bool = False, size: int = 12, italic: bool = False) -> Font:
    return Font(name=FONT, bold=bold, size=size, italic=italic)


def _styles(workbook: Workbook) -> None:
    """Named cell styles, registered once: styling each cell one by one costs a style lookup per
    cell, which is most of the time of a large table."""
    for name, bold, align, number_format in (
        ("dd-left", False, LEFT, "General"),
        ("dd-center", False, CENTER, "General"),
        ("dd-date", False, CENTER, DATE_FORMAT),
        ("dd-left-bold", True, LEFT, "General"),
        ("dd-center-bold", True, CENTER, "General"),
    ):
        style = NamedStyle(
            name=name, font=_font(bold), alignment=align, border=BOX, number_format=number_format
        )
        workbook.add_named_style(style)


def _cell(
    ws: Worksheet, row: int, col: int, value: Any, *, bold: bool = False, align: Alignment = LEFT
) -> None:
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, date):
        cell.style = "dd-date"
    else:
        cell.style = f"dd-{'center' if align is CENTER else 'left'}{'-bold' if bold else ''}"


LINE_HEIGHT = 15.75  # points, for 12 pt Times New Roman


def _fit_height(ws: Worksheet, row: int, widths: Sequence[float], values: Sequence[Any]) -> None:
    """Set the row tall enough for its wrapped texts. Excel and LibreOffice do not grow a row for
    wrapped text they did not type themselves, so a long content would print over the next row."""
    lines = 1
    for width, value in zip(widths, values, strict=False):
        if isinstance(value, str) and value:
            per_line = max(width * 1.05, 1)
            lines = max(lines, sum(max(1, math.ceil(len(part) / per_line)) for part in value.splitlines()))
    ws.row_dimensions[row].height = lines * LINE_HEIGHT


def _workbook() -> Workbook:
    workbook = Workbook()
    _styles(workbook)
    return workbook


def _title(ws: Worksheet, row: int, text: str, last_col: int, *, size: int = 13, bold: bool = True) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    cell = ws.cell(row=row, column=1, value=text)
    cell.font = _font(bold, size)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _head(ws: Worksheet, row: int, col: int, text: str, *, rows: int = 1, cols: int = 1) -> None:
    if rows > 1 or cols > 1:
        ws.merge_cells(start_row=row, start_column=col, end_row=row + rows - 1, end_column=col + cols - 1)
    for r in range(row, row + rows):
        for c in range(col, col + cols):
            ws.cell(row=r, column=c).border = BOX
            ws.cell(row=r, column=c).fill = HEAD_FILL
    cell = ws.cell(row=row, column=col, value=text)
    cell.font = _font(True, 11)
    cell.alignment = CENTER


def _page(ws: Worksheet, header_rows: str, widths: Sequence[float], *, landscape: bool = True) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


def _save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- Appendix 01 --------------------------------------------------------------------------------

APPENDIX_WIDTHS = (5, 13, 26, 30, 11, 11, 9, 18, 16, 12, 16, 12, 16, 18)


def appendix01_workbook(appendix: Appendix, *, unit_label: str) -> bytes:
    """Bảng tổng hợp nhiệm vụ, công việc quá hạn xử lý (004, Phụ lục 01): columns 1-14."""
    workbook = _workbook()
    ws = workbook.active
    ws.title = "Phụ lục 01"
    _title(ws, 1, "BẢNG TỔNG HỢP NHIỆM VỤ, CÔNG VIỆC QUÁ HẠN XỬ LÝ", 14)
    _title(ws, 2, f"CỦA {unit_label.upper()}", 14)
    week = (
        f"Tuần thứ {appendix.week_number} từ ngày {appendix.week_start:%d/%m} "
        f"đến ngày {appendix.week_end:%d/%m/%Y}"
    )
    _title(ws, 3, week, 14, size=12, bold=False)
    _header_appendix(ws, 5)
    row = 9
    for key in ("I", "II"):
        _section_row(ws, row, key, SECTION_TITLES[key])
        row += 1
        for number, item in enumerate(appendix.sections.get(key, []), start=1):
            values = [
                number, item.reference, item.summary, item.content, item.issued_on, item.due_on,
                item.days_overdue, item.unit_name, item.not_started_cause, item.not_started_expected,
                item.in_progress_cause, item.in_progress_expected, item.done_confirmation,
                item.done_documents,
            ]  # fmt: skip
            for col, value in enumerate(values, start=1):
                _cell(ws, row, col, value, align=CENTER if col in (1, 5, 6, 7) else LEFT)
            _fit_height(ws, row, APPENDIX_WIDTHS, values)
            row += 1
    row += 1
    _unit_totals(ws, row, appendix)
    _page(ws, "5:8", APPENDIX_WIDTHS)
    return _save(workbook)


def _header_appendix(ws: Worksheet, top: int) -> None:
    labels = [
        "STT", "Số/Ký hiệu", "Trích yếu", "Nội dung chỉ đạo", "Ngày văn bản", "Hạn xử lý",
        "Số ngày quá hạn", "Đơn vị thực hiện",
    ]  # fmt: skip
    for col, label in enumerate(labels, start=1):
        _head(ws, top, col, label, rows=3)
    _head(ws, top, 9, "Tình hình thực hiện", cols=6)
    for col, label in ((9, "Chưa triển khai"), (11, "Đang triển khai"), (13, "Hoàn thành")):
        _head(ws, top + 1, col, label, cols=2)
    leaves = [
        "Nguyên nhân", "Thời gian dự kiến hoàn thành", "Nguyên nhân", "Thời gian dự kiến hoàn thành",
        "Xác nhận", "Văn bản, tài liệu liên quan",
    ]  # fmt: skip
    for offset, label in enumerate(leaves):
        _head(ws, top + 2, 9 + offset, label)
    for col in range(1, 15):
        _head(ws, top + 3, col, str(col))
    ws.row_dimensions[top].height = 2 * LINE_HEIGHT
    ws.row_dimensions[top + 2].height = 3 * LINE_HEIGHT


def _section_row(ws: Worksheet, row: int, key: str, title: str) -> None:
    _cell(ws, row, 1, key, bold=True, align=CENTER)
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=14)
    for col in range(2, 15):
        ws.cell(row=row, column=col).border = BOX
    _cell(ws, row, 2, title, bold=True)


def _unit_totals(ws: Worksheet, row: int, appendix: Appendix) -> None:
    _title(ws, row, "TỔNG NHIỆM VỤ, CÔNG VIỆC QUÁ HẠN XỬ LÝ", 8, size=12)
    row += 1
    _head(ws, row, 1, "Stt")
    _head(ws, row, 2, "Đơn vị", cols=5)
    _head(ws, row, 7, "Số lượng", cols=2)
    for number, (name, count) in enumerate(appendix.unit_totals, start=1):
        row += 1
        _cell(ws, row, 1, number, align=CENTER)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=6)
        _cell(ws, row, 2, name)
        ws.merge_cells(start_row=row, start_column=7, end_row=row, end_column=8)
        _cell(ws, row, 7, count, align=CENTER)
    row += 1
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
    _cell(ws, row, 1, "Tổng cộng", bold=True, align=CENTER)
    ws.merge_cells(start_row=row, start_column=7, end_row=row, end_column=8)
    _cell(ws, row, 7, appendix.total, bold=True, align=CENTER)
    for col in range(1, 9):
        ws.cell(row=row, column=col).border = BOX
    notes = [
        "Ghi chú:",
        "Văn phòng cập nhật nội dung tại cột số 1,2,3,4,5,6,7,8",
        "Các đơn vị cập nhật nội dung tại cột số 9,10,11,12,13,14 (004:13.3)",
    ]
    for offset, text in enumerate(notes, start=2):
        cell = ws.cell(row=row + offset, column=1, value=text)
        cell.font = _font(offset == 2, 11, italic=offset > 2)


# -- Periodic report ----------------------------------------------------------------------------

SUMMARY_HEADERS = [
    "STT", "Đơn vị", "Tổng số nhiệm vụ", "Hoàn thành đúng hạn", "Hoàn thành quá hạn",
    "Đang thực hiện trong hạn", "Quá hạn (chưa hoàn thành)", "Tỷ lệ đúng hạn", "Được gia hạn",
    "Cập nhật muộn (R7)", "Lượt đôn đốc", "Chất lượng: Tốt", "Chất lượng: Đạt", "Chất lượng: Chưa đạt",
]  # fmt: skip
FIGURE_FIELDS = [
    "received", "completed_on_time", "completed_late", "in_progress_on_time", "overdue", "on_time_rate",
    "extensions_granted", "late_updates", "urging_sent", "quality_good", "quality_fair", "quality_poor",
]  # fmt: skip


def report_workbook(
    report: Report, *, title: str, scope_name: str, texts: Sequence[tuple[str, str, str, str]] = ()
) -> bytes:
    """Sheets: per-unit figures with totals, the overdue list, obstacles and proposals per unit."""
    workbook = _workbook()
    ws = workbook.active
    ws.title = "Tổng hợp"
    _summary_sheet(ws, report, title, scope_name)
    _overdue_sheet(workbook.create_sheet("Nhiệm vụ quá hạn"), report.overdue, report.end)
    _texts_sheet(workbook.create_sheet("Khó khăn, đề xuất"), texts)
    return _save(workbook)


def _summary_sheet(ws: Worksheet, report: Report, title: str, scope_name: str) -> None:
    last = len(SUMMARY_HEADERS)
    _title(ws, 1, title.upper(), last)
    _title(
        ws,
        2,
        f"{scope_name}: nhiệm vụ giao từ {report.start:%d/%m/%Y} đến {report.end:%d/%m/%Y}",
        last,
        size=12,
    )
    _title(ws, 3, f"Số liệu tính đến hết ngày {report.end:%d/%m/%Y}", last, size=12, bold=False)
    for col, label in enumerate(SUMMARY_HEADERS, start=1):
        _head(ws, 5, col, label)
    ws.row_dimensions[5].height = 48
    row = 6
    for number, item in enumerate(report.rows, start=1):
        _figure_row(ws, row, number, item.name, item.figures.to_json(), bold=False)
        row += 1
    _figure_row(ws, row, None, "Tổng cộng", report.total.to_json(), bold=True)
    note = ws.cell(row=row + 2, column=1, value=RATE_FORMULA)
    note.font = _font(False, 11, italic=True)
    _page(ws, "5:5", (5, 30, 10, 11, 11, 12, 11, 10, 9, 10, 9, 9, 9, 9))


def _figure_row(
    ws: Worksheet, row: int, number: int | None, name: str, data: dict[str, Any], *, bold: bool
) -> None:
    _cell(ws, row, 1, number, bold=bold, align=CENTER)
    _cell(ws, row, 2, name, bold=bold)
    for col, key in enumerate(FIGURE_FIELDS, start=3):
        _cell(ws, row, col, data[key], bold=bold, align=CENTER)
        if key == "on_time_rate":
            ws.cell(row=row, column=col).number_format = "0.0%"


OVERDUE_WIDTHS = (5, 14, 30, 40, 20, 11, 9, 18)
TEXT_WIDTHS = (26, 18, 60, 60)


def _overdue_sheet(ws: Worksheet, rows: list[OverdueTask], end: date) -> None:
    headers = ["STT", "Số/Ký hiệu", "Trích yếu", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Hạn xử lý",
               "Số ngày quá hạn", "Tình trạng"]  # fmt: skip
    _title(ws, 1, f"NHIỆM VỤ QUÁ HẠN TÍNH ĐẾN HẾT NGÀY {end:%d/%m/%Y}", len(headers))
    for col, label in enumerate(headers, start=1):
        _head(ws, 3, col, label)
    for number, item in enumerate(rows, start=1):
        values = [
            number, item.reference,
            "(Văn bản mật: không hiển thị trích yếu)" if item.confidential else item.directive_summary,
            "(Văn bản mật: không hiển thị nội dung)" if item.confidential else item.content,
            item.unit_name, item.due_on, item.days_overdue, LABELS.get(TaskStatus(item.status), item.status),
        ]  # fmt: skip
        for col, value in enumerate(values, start=1):
            _cell(ws, 3 + number, col, value, align=CENTER if col in (1, 6, 7) else LEFT)
        _fit_height(ws, 3 + number, OVERDUE_WIDTHS, values)
    ws.row_dimensions[3].height = 2 * LINE_HEIGHT
    _page(ws, "3:3", OVERDUE_WIDTHS)


def _texts_sheet(ws: Worksheet, texts: Sequence[tuple[str, str, str, str]]) -> None:
    headers = ["Đơn vị", "Tình trạng báo cáo", "Khó khăn, vướng mắc", "Đề xuất, kiến nghị"]
    _title(ws, 1, "KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ CỦA CÁC CƠ QUAN", len(headers))
    for col, label in enumerate(headers, start=1):
        _head(ws, 3, col, label)
    for offset, values in enumerate(texts, start=4):
        for col, value in enumerate(values, start=1):
            _cell(ws, offset, col, value)
        _fit_height(ws, offset, TEXT_WIDTHS, values)
    _page(ws, "3:3", TEXT_WIDTHS)


def quality_label(level: str) -> str:
    return QUALITY_LABELS.get(level, level)

"""The Office's consolidated report as Word (.docx) in the administrative layout of Decree
30/2020/NĐ-CP (Appendix I): A4, Times New Roman 13-14, margins 20/20/30/15 mm, the issuing
body and the national motto side by side, number and symbol, place and date, document type and
summary, body, then "Nơi nhận" and the signature block side by side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell

from app.services.reports.categories import RATE_FORMULA
from app.services.reports.summary import Report

FONT = "Times New Roman"


@dataclass
class ReportDocument:
    """What the document says besides the figures: who issues it, about what, and its texts."""

    parent_body: str  # cơ quan chủ quản, e.g. "UBND tỉnh"
    issuing_body: str  # cơ quan ban hành, e.g. "Văn phòng UBND tỉnh"
    symbol: str  # ký hiệu, e.g. "BC-VP"
    place: str
    signed_on: date
    title: str  # e.g. "Báo cáo quý I năm 2026"
    basis: str  # the rule that requires the report
    summary: str = ""
    obstacles: str = ""
    proposals: str = ""
    signer_title: str = "CHÁNH VĂN PHÒNG"
    signer_name: str = ""
    recipients: list[str] = field(default_factory=list)


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}".replace(".", ",") + "%"


def _run(paragraph: object, text: str, *, size: float = 14, bold: bool = False, italic: bool = False) -> None:
    run = paragraph.add_run(text)  # type: ignore[attr-defined]
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    run.font.name = FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def _para(
    target: DocumentType | _Cell,
    text: str = "",
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = False,
    after: float = 6,
) -> object:
    paragraph = target.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(0)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.27)
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _widths(table: Table, widths: Sequence[float]) -> None:
    """Fixed column widths (the grid and every cell: Word reads one, LibreOffice the other)."""
    table.autofit = False
    for index, width in enumerate(widths):
        table.columns[index].width = Cm(width)
        for cell in table.columns[index].cells:
            cell.width = Cm(width)


def _repeat_header(table: Table) -> None:
    """The header row is printed again at the top of every page the table runs over."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def date_line(place: str, day: date) -> str:
    """ "Hà Nội, ngày 05 tháng 3 năm 2026": a zero before days under 10 and months 1 and 2
    (Decree 30/2020/NĐ-CP, Appendix I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _no_borders(table: Table) -> None:
    borders = table._tbl.tblPr.first_child_found_in("w:tblBorders")
    if borders is not None:
        table._tbl.tblPr.remove(borders)


def _first(cell: _Cell, text: str, **kwargs: object) -> None:
    """Write into a cell's existing first paragraph (a new cell has one, empty)."""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = kwargs.pop("align", WD_ALIGN_PARAGRAPH.CENTER)
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, **kwargs)  # type: ignore[arg-type]


def _header(doc: DocumentType, info: ReportDocument) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, (6.0, 10.5))
    left, right = table.rows[0].cells
    _first(left, info.parent_body.upper(), size=13)
    _para(left, info.issuing_body.upper(), size=13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(left, "———", size=10, align=WD_ALIGN_PARAGRAPH.CENTER, after=4)
    _para(left, f"Số:        /{info.symbol}", size=13, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _first(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12.5, bold=True)
    _para(right, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(right, "———————————", size=10, align=WD_ALIGN_PARAGRAPH.CENTER, after=4)
    _para(
        right,
        date_line(info.place, info.signed_on),
        size=14,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=0,
    )


def _figures_table(doc: DocumentType, report: Report) -> None:
    headers = ["TT", "Cơ quan, đơn vị", "Tổng số", "Hoàn thành đúng hạn", "Hoàn thành quá hạn",
               "Đang thực hiện trong hạn", "Quá hạn", "Tỷ lệ đúng hạn"]  # fmt: skip
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, label in zip(table.rows[0].cells, headers, strict=True):
        _first(cell, label, size=11, bold=True)
    for number, row in enumerate(report.rows, start=1):
        f = row.figures
        values = [str(number), row.name, f.received, f.completed_on_time, f.completed_late,
                  f.in_progress_on_time, f.overdue, _percent(f.on_time_rate)]  # fmt: skip
        _table_row(table, values, bold=False)
    t = report.total
    _table_row(table, ["", "Tổng cộng", t.received, t.completed_on_time, t.completed_late,
                       t.in_progress_on_time, t.overdue, _percent(t.on_time_rate)], bold=True)  # fmt: skip
    _widths(table, (1.0, 4.5, 1.5, 2.0, 2.0, 2.1, 1.5, 1.9))
    _repeat_header(table)


def _table_row(table: Table, values: Sequence[object], *, bold: bool) -> None:
    cells = table.add_row().cells  # type: ignore[no-untyped-call]
    for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
        align = WD_ALIGN_PARAGRAPH.LEFT if index == 1 else WD_ALIGN_PARAGRAPH.CENTER
        _first(cell, str(value), size=12, bold=bold, align=align)


def _overdue_table(doc: DocumentType, report: Report) -> None:
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, label in zip(
        table.rows[0].cells,
        ["TT", "Văn bản", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Hạn xử lý", "Số ngày quá hạn"],
        strict=True,
    ):
        _first(cell, label, size=11, bold=True)
    for number, item in enumerate(report.overdue, start=1):
        content = "(Văn bản mật: không hiển thị nội dung)" if item.confidential else item.content
        due = f"{item.due_on:%d/%m/%Y}" if item.due_on else ""
        values = [str(number), item.reference, content, item.unit_name, due, str(item.days_overdue)]
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            align = WD_ALIGN_PARAGRAPH.LEFT if index in (1, 2, 3) else WD_ALIGN_PARAGRAPH.CENTER
            _first(cell, value, size=11.5, align=align)
    _widths(table, (0.9, 2.6, 5.6, 3.2, 2.6, 1.6))
    _repeat_header(table)


def _text_block(doc: DocumentType, text: str, empty: str) -> None:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for line in lines or [empty]:
        _para(doc, line, indent=True)


def _footer(doc: DocumentType, info: ReportDocument) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, (7.5, 9.0))
    left, right = table.rows[0].cells
    _first(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for recipient in info.recipients:
        _para(left, f"- {recipient};", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    _para(left, "- Lưu: VT.", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    _first(right, info.signer_title, size=14, bold=True)
    for _ in range(3):
        _para(right, "", after=0)
    _para(right, info.signer_name, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)


def report_document(report: Report, info: ReportDocument) -> bytes:
    """Render the consolidated report; every number comes from `report`."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    _header(doc, info)
    _para(doc, "", after=6)
    _para(doc, "BÁO CÁO", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(
        doc,
        f"Tình hình, kết quả thực hiện nhiệm vụ do {info.parent_body} giao - {info.title}",
        size=14,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=0,
    )
    _para(doc, "————————", size=10, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    _para(
        doc,
        f"Thực hiện {info.basis}, {info.issuing_body} tổng hợp tình hình, kết quả thực hiện các nhiệm vụ "
        f"giao từ ngày {report.start:%d/%m/%Y} đến ngày {report.end:%d/%m/%Y} (số liệu tính đến hết ngày "
        f"{report.end:%d/%m/%Y}) như sau:",
        indent=True,
    )
    t = report.total
    _para(doc, "I. KẾT QUẢ THỰC HIỆN", bold=True)
    _para(doc, "1. Tổng hợp chung", bold=True, indent=True)
    _para(
        doc,
        f"Tổng số nhiệm vụ được giao trong kỳ: {t.received} nhiệm vụ; trong đó hoàn thành đúng hạn "
        f"{t.completed_on_time}, hoàn thành quá hạn {t.completed_late}, đang thực hiện trong hạn "
        f"{t.in_progress_on_time}, quá hạn chưa hoàn thành {t.overdue}. Tỷ lệ đúng hạn: "
        f"{_percent(t.on_time_rate)}. Cập nhật kết quả muộn: {t.late_updates} nhiệm vụ; được gia hạn: "
        f"{t.extensions_granted}; số lượt đôn đốc: {t.urging_sent}.",
        indent=True,
    )
    _para(doc, f"({RATE_FORMULA}.)", size=12, italic=True, indent=True)
    _para(doc, "2. Kết quả theo từng cơ quan, đơn vị", bold=True, indent=True)
    _figures_table(doc, report)
    _para(doc, "", after=0)
    _para(doc, "3. Đánh giá chung", bold=True, indent=True)
    _text_block(doc, info.summary, "(Chưa có đánh giá.)")
    _para(doc, "II. NHIỆM VỤ QUÁ HẠN CHƯA HOÀN THÀNH", bold=True)
    if report.overdue:
        _overdue_table(doc, report)
        _para(doc, "", after=0)
    else:
        _para(doc, "Không có nhiệm vụ quá hạn.", indent=True)
    _para(doc, "III. KHÓ KHĂN, VƯỚNG MẮC", bold=True)
    _text_block(doc, info.obstacles, "Không có.")
    _para(doc, "IV. ĐỀ XUẤT, KIẾN NGHỊ", bold=True)
    _text_block(doc, info.proposals, "Không có.")
    _para(doc, f"Trên đây là báo cáo của {info.issuing_body}./.", indent=True, after=12)
    _footer(doc, info)
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()

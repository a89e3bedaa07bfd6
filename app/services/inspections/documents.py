"""The inspection decision and the result report as .docx, laid out as Vietnamese administrative
documents (Nghị định 30/2020/NĐ-CP, Phụ lục I): issuing body and national emblem line side by side,
number and symbol, place and date, title and summary, body, signature block, recipients.

Built with python-docx (a maintained library that writes real Word files; templates in a binary
.docx would hide the layout rules this module states). Times New Roman, A4, margins 20/20/30/15 mm.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

from app.extensions import db
from app.models import AppSetting, Inspection, Unit
from app.services.inspections.labels import SEVERITIES

FONT = "Times New Roman"
PLACE_SETTING = "org.place_name"
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def vietnamese_date(place: str, day: date | None) -> str:
    """'Ninh Thuận, ngày 05 tháng 02 năm 2026': days below 10 and months 1-2 take a leading zero (NĐ 30)."""
    if day is None:
        return f"{place}, ngày     tháng     năm     "
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def place_name(unit: Unit) -> str:
    """The place written before the date: an administrator's setting, else taken from the unit names."""
    setting = db.session.get(AppSetting, PLACE_SETTING)
    if setting is not None and setting.value:
        return str(setting.value)
    name = _top(unit).name
    for prefix in ("UBND tỉnh ", "UBND thành phố ", "UBND huyện ", "UBND "):
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix) :]
    return "………"


def _top(unit: Unit) -> Unit:
    while unit.parent is not None:
        unit = unit.parent
    return unit


def _full_name(unit: Unit) -> str:
    """'UBND tỉnh Ninh Thuận' -> 'ỦY BAN NHÂN DÂN TỈNH NINH THUẬN' (NĐ 30 writes names in full)."""
    name = unit.name
    name = (
        name.replace("UBND", "Ủy ban nhân dân")
        if name.startswith("UBND")
        else name.replace(" UBND", " Ủy ban nhân dân")
    )
    return name.upper()


def issuing_body(unit: Unit) -> tuple[str | None, str]:
    """(governing body, issuing body): a People's Committee stands alone; others under their parent."""
    if unit.parent is None:
        return None, _full_name(unit)
    return _full_name(unit.parent), _full_name(unit)


def _base() -> DocxDocument:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(0)
    return document


def _text(paragraph, text: str, *, bold: bool = False, italic: bool = False, size: float | None = None):  # type: ignore[no-untyped-def]
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.name = FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    if size:
        run.font.size = Pt(size)
    return run


def _line(cell: _Cell, text: str, **style: object) -> None:
    paragraph = cell.add_paragraph() if cell.paragraphs[0].text else cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _text(paragraph, text, **style)  # type: ignore[arg-type]


def _underline_rule(cell: _Cell, width_mm: float) -> None:
    """The short horizontal line NĐ 30 draws under the issuing body and under the motto."""
    paragraph = cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = _text(paragraph, "─" * int(width_mm / 2.2), size=7)
    run.font.bold = False


def _fix_widths(table, widths_mm: tuple[float, ...]) -> None:  # type: ignore[no-untyped-def]
    """Fixed column widths: Word reads the cells', LibreOffice the grid's, so set both."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _no_borders(table) -> None:  # type: ignore[no-untyped-def]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _heading(document: DocxDocument, body: tuple[str | None, str], number: str, place_date: str) -> None:
    """Issuing body | national name and motto; number | place and date (NĐ 30, Phụ lục I, ô 1-4)."""
    table = document.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _fix_widths(table, (63, 102))
    governing, issuer = body
    left, right = table.cell(0, 0), table.cell(0, 1)
    if governing:
        _line(left, governing, size=13)
    _line(left, issuer, bold=True, size=13)
    _underline_rule(left, 25)
    _line(right, NATIONAL_NAME, bold=True, size=12.5)
    _line(right, MOTTO, bold=True, size=14)
    _underline_rule(right, 55)
    _line(table.cell(1, 0), f"Số: {number}", size=13)
    _line(table.cell(1, 1), place_date, italic=True, size=14)


def _centered(
    document: DocxDocument, text: str, *, bold: bool = True, italic: bool = False, before: float = 0
) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(before)
    _text(paragraph, text, bold=bold, italic=italic)


def _body(document: DocxDocument, text: str, *, bold_lead: str | None = None, italic: bool = False) -> None:
    """Body paragraphs: justified, first line indented 1 cm, 6 pt after (NĐ 30, Phụ lục I, ô 6)."""
    for chunk in [t for t in text.splitlines() if t.strip()] or [""]:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Mm(10)
        paragraph.paragraph_format.space_after = Pt(6)
        if bold_lead:
            _text(paragraph, bold_lead, bold=True)
            bold_lead = None
        _text(paragraph, chunk.strip(), italic=italic)


def _signature(
    document: DocxDocument, recipients: Iterable[str], title_lines: list[str], signer: str
) -> None:
    """'Nơi nhận' on the left (12 pt bold italic, list 11 pt); signer's title and name on the right."""
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _fix_widths(table, (85, 80))
    left, right = table.cell(0, 0), table.cell(0, 1)
    paragraph = left.paragraphs[0]
    _text(paragraph, "Nơi nhận:", bold=True, italic=True, size=12)
    for line in recipients:
        _text(left.add_paragraph(), line, size=11)
    for line in title_lines:
        _line(right, line, bold=True, size=14)
    for _ in range(3):
        right.add_paragraph()
    _line(right, signer, bold=True, size=14)


def _save(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _team_lines(inspection: Inspection) -> list[str]:
    lines = []
    for n, member in enumerate(inspection.members, start=1):
        role = "Trưởng đoàn" if member.role == "head" else "Thành viên"
        position = f", {member.position}" if member.position else ""
        lines.append(f"{n}. {member.full_name}{position} – {role};")
    return lines


def _dmy(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "…/…/……"


def decision_docx(inspection: Inspection) -> bytes:
    """Quyết định kiểm tra và thành lập Đoàn kiểm tra, with the five items of 000:12.2 / 001:15.3."""
    leader_unit = inspection.leader_unit
    document = _base()
    number = inspection.decision_reference or f"      /{inspection.decision_symbol or 'QĐ'}"
    _heading(
        document,
        issuing_body(leader_unit),
        number,
        vietnamese_date(place_name(leader_unit), inspection.decision_signed_on),
    )
    _centered(document, "QUYẾT ĐỊNH", before=18)
    _centered(document, f"Về việc kiểm tra việc thực hiện nhiệm vụ được giao: {inspection.title}")
    _centered(document, "──────────", bold=False)
    title = (inspection.decision_signer_title or "").upper()
    _centered(document, f"{title} {_full_name(leader_unit)}".strip(), before=6)
    _body(document, inspection.legal_basis or "", italic=True)
    _centered(document, "QUYẾT ĐỊNH:", before=6)
    subjects = ", ".join(s.unit.name for s in inspection.subjects)
    _body(document, f"Kiểm tra việc thực hiện nhiệm vụ được giao tại: {subjects}.", bold_lead="Điều 1. ")
    _body(document, f"1. Phạm vi, đối tượng, nhiệm vụ kiểm tra: {inspection.scope}")
    _body(document, f"2. Nội dung kiểm tra: {inspection.content}")
    _body(
        document,
        f"3. Thời hạn kiểm tra: từ ngày {_dmy(inspection.starts_on)} đến ngày {_dmy(inspection.ends_on)}; "
        f"các đơn vị được kiểm tra báo cáo, cung cấp hồ sơ trước ngày {_dmy(inspection.documents_due_on)}.",
    )
    _body(document, "Thành lập Đoàn kiểm tra gồm các ông (bà) có tên sau:", bold_lead="Điều 2. ")
    for line in _team_lines(inspection):
        _body(document, line)
    days = inspection.report_days or 7
    _body(
        document,
        "Trưởng Đoàn kiểm tra tổ chức triển khai việc kiểm tra, được mời thêm cơ quan, đơn vị liên quan "
        f"tham gia Đoàn khi cần thiết; chậm nhất {days:02d} ngày làm việc sau khi kết thúc kiểm tra, báo cáo "
        "kết quả kiểm tra. Các đơn vị được kiểm tra có trách nhiệm báo cáo, cung cấp hồ sơ, tài liệu "
        "theo yêu cầu của Đoàn kiểm tra.",
        bold_lead="Điều 3. ",
    )
    _body(
        document,
        "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, Thủ trưởng các đơn vị được kiểm tra "
        "và các thành viên Đoàn kiểm tra chịu trách nhiệm thi hành Quyết định này./.",
        bold_lead="Điều 4. ",
    )
    recipients = [
        "- Như Điều 4;",
        *[f"- {s.unit.name};" for s in inspection.subjects],
        "- Lưu: VT, hồ sơ kiểm tra.",
    ]
    _signature(document, recipients, [title or "THỦ TRƯỞNG CƠ QUAN"], inspection.decision_signer or "")
    return _save(document)


def report_docx(inspection: Inspection) -> bytes:
    """Báo cáo kết quả kiểm tra: evaluation; conclusions with nature, severity, cause, responsibility;
    recommendations (000:14.2, 001:17.3)."""
    owner = inspection.owner_unit
    document = _base()
    _heading(
        document,
        (_full_name(owner), "ĐOÀN KIỂM TRA"),
        inspection.report_reference or "",
        vietnamese_date(place_name(owner), inspection.reported_on),
    )
    _centered(document, "BÁO CÁO", before=18)
    _centered(
        document,
        f"Kết quả kiểm tra việc thực hiện nhiệm vụ theo Quyết định số {inspection.decision_reference} "
        f"ngày {_dmy(inspection.decision_signed_on)}",
    )
    _centered(document, "──────────", bold=False)
    addressee = (inspection.decision_signer_title or "").capitalize()
    _centered(document, f"Kính gửi: {addressee} {inspection.leader_unit.name}".strip(), bold=False, before=6)
    subjects = ", ".join(s.unit.name for s in inspection.subjects)
    _body(
        document,
        f"Thực hiện Quyết định số {inspection.decision_reference}, Đoàn kiểm tra đã kiểm tra tại {subjects} "
        f"từ ngày {_dmy(inspection.starts_on)} đến ngày {_dmy(inspection.ended_on)}. "
        "Đoàn kiểm tra báo cáo kết quả như sau:",
    )
    _body(document, "", bold_lead="I. ĐÁNH GIÁ")
    _body(document, inspection.evaluation or "")
    _body(document, "", bold_lead="II. KẾT LUẬN")
    for n, conclusion in enumerate(inspection.conclusions, start=1):
        _body(document, f"{conclusion.finding}", bold_lead=f"{n}. {conclusion.unit.name}: ")
        _body(
            document,
            f"- Tính chất: {conclusion.nature or 'không'}; "
            f"mức độ: {SEVERITIES.get(conclusion.severity, '')}.",
        )
        _body(document, f"- Nguyên nhân: {conclusion.cause or 'không'}.")
        _body(document, f"- Trách nhiệm: {conclusion.responsibility or 'không'}.")
    _body(document, "", bold_lead="III. KIẾN NGHỊ")
    for rec in inspection.recommendations:
        due = f"; thời hạn: {_dmy(rec.due_on)}" if rec.due_on else ""
        _body(
            document, f"{rec.seq}. {rec.content.rstrip('. ')} (đơn vị thực hiện: {rec.lead_unit.name}{due})."
        )
    if not inspection.recommendations:
        _body(document, "Không có kiến nghị.")
    head = inspection.team_head
    recipients = [
        f"- {addressee or 'Lãnh đạo'} {inspection.leader_unit.name} (b/c);",
        *[f"- {s.unit.name};" for s in inspection.subjects],
        "- Hội đồng Thi đua - Khen thưởng;",
        "- Lưu: VT, hồ sơ kiểm tra.",
    ]
    _signature(document, recipients, ["TRƯỞNG ĐOÀN"], head.full_name if head else "")
    return _save(document)

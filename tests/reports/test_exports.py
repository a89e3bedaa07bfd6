"""Every number of Appendix 01 (Excel), the periodic report workbook and the Word report."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import ReportPeriod, Unit
from app.services.reports import documents
from app.services.reports.exports_csv import to_csv
from app.services.reports.scope import build_scope

pytestmark = pytest.mark.slow


def province() -> Unit:
    return db.session.scalar(select(Unit).where(Unit.code == "tinh"))


def q1_period() -> ReportPeriod:
    """The quarter I period as the process leaves it once the Office has consolidated it."""
    office = db.session.scalar(select(Unit).where(Unit.code == "vp"))
    period = ReportPeriod(
        period_key="quarter:2026:1:test", kind="quarter", year=2026, seq=1, title="Báo cáo quý I năm 2026",
        period_start=date(2026, 1, 1), cutoff_on=date(2026, 3, 20), agency_due_on=date(2026, 3, 20),
        office_due_on=date(2026, 3, 25), office_unit_id=office.id, scope_unit_id=office.parent_id,
        status="awaiting_approval", created_at=clock.now(),
        consolidated={"summary": "Các cơ quan cơ bản hoàn thành nhiệm vụ.", "obstacles": "Thiếu biên chế.",
                      "proposals": "Bổ sung biên chế theo dõi."},
    )  # fmt: skip
    db.session.add(period)
    db.session.flush()
    return period


def test_appendix_01_lists_the_weeks_overdue_tasks_in_the_lao_cai_layout(register):
    file = documents.appendix_xlsx(build_scope(province()), date(2026, 3, 20))
    assert file.name == "phu-luc-01-tuan-12-2026.xlsx"
    ws = load_workbook(BytesIO(file.content)).active
    cell = lambda ref: ws[ref].value  # noqa: E731
    assert cell("A1") == "BẢNG TỔNG HỢP NHIỆM VỤ, CÔNG VIỆC QUÁ HẠN XỬ LÝ"
    assert cell("A2") == "CỦA CÁC CƠ QUAN, ĐƠN VỊ THUỘC UBND TỈNH"
    assert cell("A3") == "Tuần thứ 12 từ ngày 16/03 đến ngày 20/03/2026"
    headers = [cell(f"{c}5") for c in "ABCDEFGHI"]
    assert headers == ["STT", "Số/Ký hiệu", "Trích yếu", "Nội dung chỉ đạo", "Ngày văn bản", "Hạn xử lý",
                       "Số ngày quá hạn", "Đơn vị thực hiện", "Tình hình thực hiện"]  # fmt: skip
    assert [cell(f"{c}6") for c in ("I", "K", "M")] == ["Chưa triển khai", "Đang triển khai", "Hoàn thành"]
    assert [cell(f"{c}7") for c in "IJKLMN"] == [
        "Nguyên nhân", "Thời gian dự kiến hoàn thành", "Nguyên nhân", "Thời gian dự kiến hoàn thành",
        "Xác nhận", "Văn bản, tài liệu liên quan",
    ]  # fmt: skip
    assert [ws.cell(row=8, column=c).value for c in range(1, 15)] == [str(n) for n in range(1, 15)]
    assert {"A5:A7", "I5:N5", "I6:J6", "K6:L6", "M6:N6"} <= {str(r) for r in ws.merged_cells.ranges}

    rows = [[ws.cell(row=r, column=c).value for c in range(1, 15)] for r in range(9, 17)]
    assert rows[0][:2] == [
        "I",
        "PHẦN MỀM THEO DÕI CÁC VĂN BẢN CHỈ ĐẠO ĐIỀU HÀNH CỦA UBND TỈNH, CHỦ TỊCH UBND TỈNH",
    ]
    e11, a3, b5 = rows[1], rows[2], rows[3]
    assert e11[:8] == [1, "201/QĐ-UBND", "Văn bản E giao nhiệm vụ", "Quyết toán ngân sách năm 2025",
                       _dt(2025, 12, 15), _dt(2026, 1, 15), 64, "Sở Tài chính"]  # fmt: skip
    assert (e11[10], a3[10]) == ("Đang thực hiện", "Đang thực hiện")
    assert a3[:8] == [2, "15/QĐ-UBND", "Giao nhiệm vụ phát triển kinh tế - xã hội quý I năm 2026",
                      "Báo cáo tiến độ giải ngân vốn đầu tư công", _dt(2026, 1, 5), _dt(2026, 2, 27), 21,
                      "Sở Kế hoạch và Đầu tư"]  # fmt: skip
    assert b5[:8] == [3, "22/CT-UBND", "(Văn bản mật: không hiển thị trích yếu)",
                      "(Văn bản mật: không hiển thị nội dung)", _dt(2026, 2, 2), _dt(2026, 3, 10), 10,
                      "Sở Xây dựng"]  # fmt: skip
    assert b5[8] == "Chưa tiếp nhận"
    assert rows[4][:2] == ["II", "PHẦN MỀM QUẢN LÝ VĂN BẢN VÀ HỒ SƠ CÔNG VIỆC"]
    c7, c12 = rows[5], rows[6]
    assert c7[:8] == [1, "30/TB-VP", "Thông báo kết luận giao ban Sở",
                      "Hoàn thiện hồ sơ quy hoạch chung đô thị",
                      _dt(2026, 3, 2), _dt(2026, 3, 16), 2, "UBND huyện A"]  # fmt: skip
    assert c7[12:] == ["Văn phòng đã xác nhận; hoàn thành ngày 18/03/2026", "C7/BC-KQ"]
    assert c12[:8] == [2, "30/TB-VP", "Thông báo kết luận giao ban Sở", "Tổng hợp nhu cầu vốn năm 2027",
                       _dt(2026, 3, 2), _dt(2026, 3, 13), 7, "Sở Kế hoạch và Đầu tư"]  # fmt: skip
    assert c12[10] == "Đang thực hiện"  # completed on 24/03, after the week: still in progress then

    totals_at = next(
        r for r in range(17, 30) if ws.cell(row=r, column=1).value == "TỔNG NHIỆM VỤ, CÔNG VIỆC QUÁ HẠN XỬ LÝ"
    )
    table = [
        (ws.cell(row=r, column=2).value, ws.cell(row=r, column=7).value)
        for r in range(totals_at + 2, totals_at + 7)
    ]
    assert table == [
        ("Sở Tài chính", 1),
        ("Sở Kế hoạch và Đầu tư", 2),
        ("Sở Xây dựng", 1),
        ("UBND huyện A", 1),
        ("UBND huyện B", 0),  # every agency has its line, even without an overdue task
    ]
    assert (ws.cell(row=totals_at + 7, column=1).value, ws.cell(row=totals_at + 7, column=7).value) == (
        "Tổng cộng",
        5,
    )


def _dt(y: int, m: int, d: int):
    from datetime import datetime

    return datetime(y, m, d)


def test_periodic_report_workbook_has_every_unit_figure_and_the_total(register):
    file = documents.period_xlsx(q1_period())
    workbook = load_workbook(BytesIO(file.content))
    ws = workbook["Tổng hợp"]
    assert ws["A1"].value == "BÁO CÁO QUÝ I NĂM 2026"
    table = [[ws.cell(row=r, column=c).value for c in range(2, 15)] for r in range(6, 12)]
    assert table == [
        ["Sở Tài chính", 3, 1, 1, 1, 0, 0.5, 0, 0, 0, 1, 1, 0],
        ["Sở Kế hoạch và Đầu tư", 3, 0, 0, 1, 2, 0.0, 0, 2, 1, 0, 0, 0],
        ["Sở Xây dựng", 2, 0, 0, 1, 1, 0.0, 0, 1, 0, 0, 0, 0],
        ["UBND huyện A", 1, 0, 1, 0, 0, 0.0, 0, 0, 0, 0, 0, 1],
        ["UBND huyện B", 0, 0, 0, 0, 0, None, 0, 0, 0, 0, 0, 0],
        ["Tổng cộng", 9, 1, 2, 3, 3, round(1 / 6, 4), 0, 3, 1, 1, 1, 1],
    ]
    assert ws.cell(row=11, column=8).number_format == "0.0%"
    overdue = workbook["Nhiệm vụ quá hạn"]
    listed = [(overdue.cell(row=r, column=2).value, overdue.cell(row=r, column=7).value) for r in range(4, 7)]
    assert listed == [("15/QĐ-UBND", 21), ("22/CT-UBND", 10), ("30/TB-VP", 7)]
    assert overdue.cell(row=5, column=4).value == "(Văn bản mật: không hiển thị nội dung)"


def test_word_report_states_the_same_numbers_in_the_administrative_layout(register):
    file = documents.period_docx(q1_period())
    assert file.name == "bao-cao-quy-i-nam-2026.docx"
    doc = Document(BytesIO(file.content))
    header = doc.tables[0]
    assert header.cell(0, 0).text.splitlines()[:2] == ["UBND TỈNH", "VĂN PHÒNG UBND TỈNH"]
    assert header.cell(0, 1).text.splitlines()[:2] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text and "Báo cáo quý I năm 2026" in text
    assert (
        "Tổng số nhiệm vụ được giao trong kỳ: 9 nhiệm vụ; trong đó hoàn thành đúng hạn 1, "
        "hoàn thành quá hạn 2, đang thực hiện trong hạn 3, quá hạn chưa hoàn thành 3. Tỷ lệ đúng hạn: 16,7%. "
        "Cập nhật kết quả muộn: 3 nhiệm vụ; được gia hạn: 0; số lượt đôn đốc: 1."
    ) in text
    assert "Các cơ quan cơ bản hoàn thành nhiệm vụ." in text and "Bổ sung biên chế theo dõi." in text
    figures = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    assert figures[0][:3] == ["TT", "Cơ quan, đơn vị", "Tổng số"]
    assert figures[1:] == [
        ["1", "Sở Tài chính", "3", "1", "1", "1", "0", "50,0%"],
        ["2", "Sở Kế hoạch và Đầu tư", "3", "0", "0", "1", "2", "0,0%"],
        ["3", "Sở Xây dựng", "2", "0", "0", "1", "1", "0,0%"],
        ["4", "UBND huyện A", "1", "0", "1", "0", "0", "0,0%"],
        ["5", "UBND huyện B", "0", "0", "0", "0", "0", "—"],
        ["", "Tổng cộng", "9", "1", "2", "3", "3", "16,7%"],
    ]
    overdue = [[c.text for c in row.cells] for row in doc.tables[2].rows][1:]
    assert [(r[1], r[3], r[5]) for r in overdue] == [
        ("15/QĐ-UBND", "Sở Kế hoạch và Đầu tư", "21"),
        ("22/CT-UBND", "Sở Xây dựng", "10"),
        ("30/TB-VP", "Sở Kế hoạch và Đầu tư", "7"),
    ]
    everything = text + "".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "K9" not in everything and "Chỉ thị mật" not in everything
    section = doc.sections[0]
    assert (
        round(section.left_margin.cm),
        round(section.right_margin.cm, 1),
        round(section.top_margin.cm),
    ) == (3, 1.5, 2)


def test_csv_keeps_vietnamese_for_excel_and_disarms_formulas():
    content = to_csv(["Nội dung"], [['=HYPERLINK("http://x")'], ["-5"], ["Đôn đốc"]]).decode("utf-8")
    assert content.startswith("\ufeffNội dung")
    assert content.splitlines()[1:] == ['"\'=HYPERLINK(""http://x"")"', "-5", "Đôn đốc"]

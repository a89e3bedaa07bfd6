"""The decision and the result report as .docx in the Nghị định 30/2020/NĐ-CP layout: opened with
python-docx, converted to PDF by LibreOffice, rendered to PNG; and the dossier archive with its index."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from werkzeug.datastructures import FileStorage

from app.extensions import db
from app.forms import FormInvalid
from app.models import AppSetting, Inspection
from app.services.inspections.documents import decision_docx, report_docx, vietnamese_date
from app.services.inspections.dossier import add_document, build_archive, missing_mandatory_items
from tests.inspection_support import complete, decision, item, open_as, proposal, report

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "inspection"


def concluded_inspection(api, user, freeze) -> Inspection:  # type: ignore[no-untyped-def]
    freeze("2026-04-20T09:00:00+07:00")
    db.session.add(AppSetting(key="org.place_name", value="Ninh Thuận"))
    db.session.commit()
    office, chairman, head = api("vp.chuyenvien"), api("ct.ubnd"), api("vp.chanh")
    inspection = open_as(
        user("vp.chuyenvien"),
        kind="ad_hoc",
        title="Kiểm tra việc giải ngân vốn đầu tư công năm 2026",
        decider="chairman",
        trigger="leader_request",
        reason="Theo chỉ đạo của Chủ tịch UBND tỉnh.",
    )
    complete(
        office,
        item(office, "Lập kế hoạch, đề xuất kiểm tra và dự kiến Đoàn kiểm tra"),
        proposal(["stc", "sxd"]),
    )
    complete(chairman, item(chairman, "Ban hành quyết định kiểm tra"), decision())
    for name in ("stc.daumoi", "sxd.daumoi"):
        unit = api(name)
        complete(
            unit,
            item(unit, "Báo cáo, cung cấp hồ sơ cho Đoàn kiểm tra"),
            {"report_summary": "Báo cáo tình hình thực hiện các nhiệm vụ được giao trong quý I."},
        )
    complete(
        head,
        item(head, "Tiến hành kiểm tra, lập biên bản"),
        {"ended_on": "2026-04-28", "minutes_summary": "Đoàn đã làm việc tại hai Sở."},
    )
    freeze("2026-05-06T09:00:00+07:00")
    complete(head, item(head, "Báo cáo kết quả kiểm tra"), report(["stc", "sxd"], recommendation_unit="sxd"))
    complete(chairman, item(chairman, "Cho ý kiến về báo cáo kết quả kiểm tra"), {"decision": "approve"})
    db.session.expire_all()
    return db.session.get(Inspection, inspection.id)


def paragraphs(content: bytes) -> list[str]:
    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return texts


def test_dates_follow_decree_30_leading_zeros():
    from datetime import date

    assert vietnamese_date("Ninh Thuận", date(2026, 2, 5)) == "Ninh Thuận, ngày 05 tháng 02 năm 2026"
    assert vietnamese_date("Ninh Thuận", date(2026, 11, 21)) == "Ninh Thuận, ngày 21 tháng 11 năm 2026"


def test_decision_and_report_docx_have_the_administrative_layout_and_render_through_libreoffice(
    api, user, freeze
):
    inspection = concluded_inspection(api, user, freeze)
    decision_file, report_file = decision_docx(inspection), report_docx(inspection)

    texts = paragraphs(decision_file)
    joined = "\n".join(texts)
    for expected in (
        "ỦY BAN NHÂN DÂN TỈNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 15/QĐ-UBND",
        "Ninh Thuận, ngày 21 tháng 4 năm 2026",
        "QUYẾT ĐỊNH",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;",
        "Điều 2. Thành lập Đoàn kiểm tra",
        "1. Trần Thị Bình, Chánh Văn phòng UBND tỉnh – Trưởng đoàn;",
        "chậm nhất 07 ngày làm việc sau khi kết thúc kiểm tra",
        "Nơi nhận:",
        "Lê Văn Cường",
    ):
        assert expected in joined, expected
    document = Document(io.BytesIO(decision_file))
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert (
        round(document.sections[0].left_margin.mm) == 30 and round(document.sections[0].page_width.mm) == 210
    )

    report_text = "\n".join(paragraphs(report_file))
    for expected in (
        "ĐOÀN KIỂM TRA",
        "Số: 07/BC-ĐKT",
        "BÁO CÁO",
        "I. ĐÁNH GIÁ",
        "II. KẾT LUẬN",
        "1. Sở Tài chính: ",
        "- Tính chất: Chậm tiến độ",
        "mức độ: Nhẹ",
        "- Nguyên nhân: Chưa phân công",
        "III. KIẾN NGHỊ",
        "TRƯỞNG ĐOÀN",
        "Trần Thị Bình",
        "Hội đồng Thi đua - Khen thưởng",
    ):
        assert expected in report_text, expected

    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is installed by scripts/ensure_libreoffice.sh (make test)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, content in (("quyet-dinh-kiem-tra", decision_file), ("bao-cao-ket-qua-kiem-tra", report_file)):
        source = ARTIFACTS / f"{name}.docx"
        source.write_bytes(content)
        subprocess.run(
            [
                soffice,
                "--headless",
                "--norestore",
                f"-env:UserInstallation=file://{ARTIFACTS}/lo-profile",
                "--convert-to",
                "pdf",
                "--outdir",
                str(ARTIFACTS),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        pdf = ARTIFACTS / f"{name}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        assert "Pages:" in info and "A4" in info, info
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(ARTIFACTS / name)],
            check=True,
            timeout=120,
        )
        page = next(ARTIFACTS.glob(f"{name}-*1.png"))
        assert page.stat().st_size > 10_000  # a rendered page, not a blank one
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Nơi nhận:" in text


def test_dossier_archive_has_a_folder_per_item_and_an_index_and_uploads_are_checked(api, user, freeze):
    inspection = concluded_inspection(api, user, freeze)
    officer = user("vp.chuyenvien")
    missing = [i.no for i in missing_mandatory_items(inspection)]
    assert missing == [1, 2, 5, 6, 7]  # item 4: both units reported in the system

    fake = FileStorage(stream=io.BytesIO(b"MZ\x90\x00 not a pdf"), filename="bien-ban.pdf")
    with pytest.raises(FormInvalid) as refused:
        add_document(officer, inspection, item_no=6, title="", upload=fake)
    assert refused.value.errors == {"file": "Nội dung tệp không đúng với định dạng của tên tệp."}
    exe = FileStorage(stream=io.BytesIO(b"MZ"), filename="../../virus.exe")
    with pytest.raises(FormInvalid):
        add_document(officer, inspection, item_no=6, title="", upload=exe)

    scan = FileStorage(
        stream=io.BytesIO(b"%PDF-1.4 signed"), filename="../Biên bản kiểm tra Sở Tài chính.pdf"
    )
    add_document(officer, inspection, item_no=6, title="", upload=scan)
    add_document(
        officer, inspection, item_no=2, title="Quyết định 125/QĐ-UBND ngày 02/03/2026 (bản lưu tại VP)"
    )
    db.session.commit()
    db.session.refresh(inspection)

    archive = zipfile.ZipFile(io.BytesIO(build_archive(inspection)))
    names = archive.namelist()
    assert "00 - Mục lục.txt" in names
    assert (
        "06 - Biên bản, tài liệu liên quan đến nội dung kiểm tra/01 - Biên bản kiểm tra Sở Tài chính.pdf"
        in names
    )
    assert (
        "01 - Quyết định kiểm tra, thành lập Đoàn kiểm tra/Dự thảo Quyết định kiểm tra (hệ thống tạo).docx"
        in names
    )
    assert "07 - Báo cáo kết quả kiểm tra/Dự thảo Báo cáo kết quả kiểm tra (hệ thống tạo).docx" in names
    assert "04 - Báo cáo, tài liệu phản ánh tình hình thực hiện nhiệm vụ/Báo cáo của Sở Xây dựng.txt" in names
    assert all(".." not in n for n in names)
    index = archive.read("00 - Mục lục.txt").decode()
    assert "1. Quyết định kiểm tra, thành lập Đoàn kiểm tra — THIẾU (bắt buộc)" in index
    assert "2. Văn bản giao nhiệm vụ và các văn bản liên quan — ĐỦ" in index
    assert "Quyết định 125/QĐ-UBND ngày 02/03/2026 (bản lưu tại VP) (bản giấy, không có tệp)" in index
    assert "3. Văn bản theo dõi, đôn đốc (nếu có) — không có (không bắt buộc)" in index
    assert "SHA-256" in index
    assert (
        archive.read(names[[n.endswith("Sở Tài chính.pdf") for n in names].index(True)]) == b"%PDF-1.4 signed"
    )

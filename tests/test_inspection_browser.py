"""Real browser (Debian chromium through Playwright) on a real server: the Office files the proposal
with its team in the form, the inspection page shows the deadline, the conclusions and the dossier."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.extensions import db
from app.models import Inspection
from app.services.seed import demo_password
from tests.inspection_support import complete, decision, item, report
from tests.test_inspection_web import overdue_construction_tasks

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "inspection"


def login(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", demo_password())
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/inbox")


def test_office_files_a_proposal_in_the_browser_and_reads_the_concluded_inspection(
    live_server, chromium, api, user, freeze
):
    freeze("2026-04-20T09:00:00+07:00")
    overdue_construction_tasks(user)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    login(page, live_server, "vp.chuyenvien")

    page.goto(f"{live_server}/inspections/signals")
    assert page.locator('tr[data-unit="sxd"]').inner_text().count("Có dấu hiệu") == 1
    page.screenshot(path=str(ARTIFACTS / "signals.png"), full_page=True)
    page.click('tr[data-unit="sxd"] >> text=Đề xuất kiểm tra đột xuất')
    page.select_option("#decider", "chairman")
    page.click("text=Mở đợt kiểm tra và lập đề xuất")
    page.click('a.small-button:has-text("Xử lý")')
    page.fill(
        "#f-legal_basis",
        "Căn cứ Quy chế theo dõi, đôn đốc, kiểm tra việc thực hiện nhiệm vụ do UBND tỉnh giao.",
    )
    page.fill("#f-scope", "Các nhiệm vụ UBND tỉnh giao Sở Xây dựng đã quá hạn.")
    page.fill("#f-content", "Nguyên nhân chậm, trách nhiệm, giải pháp khắc phục.")
    page.fill("#f-starts_on", "22/04/2026")
    page.fill("#f-ends_on", "28/04/2026")
    page.fill("#f-documents_due_on", "24/04/2026")
    page.fill('[name="team-0-full_name"]', "Trần Thị Bình")
    page.fill('[name="team-0-position"]', "Chánh Văn phòng UBND tỉnh")
    page.select_option('[name="team-0-role"]', "head")
    page.fill('[name="team-0-username"]', "vp.chanh")
    page.fill('[name="team-1-full_name"]', "Nguyễn Văn An")
    page.screenshot(path=str(ARTIFACTS / "proposal-form.png"), full_page=True)
    page.click("text=Hoàn thành bước này")
    assert "Đã hoàn thành: Lập kế hoạch, đề xuất kiểm tra" in page.inner_text(".flash")

    # The rest of the process through the API, as the Chairman, the units and the team head.
    db.session.expire_all()
    inspection = db.session.query(Inspection).one()
    chairman, head, construction = api("ct.ubnd"), api("vp.chanh"), api("sxd.daumoi")
    complete(chairman, item(chairman, "Ban hành quyết định kiểm tra"), decision())
    complete(
        construction,
        item(construction, "Báo cáo, cung cấp hồ sơ cho Đoàn kiểm tra"),
        {"report_summary": "Báo cáo tình hình thực hiện 3 nhiệm vụ quá hạn và nguyên nhân."},
    )
    complete(
        head,
        item(head, "Tiến hành kiểm tra, lập biên bản"),
        {"ended_on": "2026-04-28", "minutes_summary": "Đoàn làm việc tại Sở Xây dựng ngày 27-28/4."},
    )
    freeze("2026-05-07T09:00:00+07:00")
    complete(head, item(head, "Báo cáo kết quả kiểm tra"), report(["sxd"], recommendation_unit="sxd"))
    complete(chairman, item(chairman, "Cho ý kiến về báo cáo kết quả kiểm tra"), {"decision": "approve"})

    page.goto(f"{live_server}/inspections/{inspection.id}")
    text = page.inner_text("main")
    assert "Hạn báo cáo: 11/05/2026" in text and "đã báo cáo ngày 07/05/2026" in text
    assert "Hoàn thành 8/10 nhiệm vụ đúng hạn" in text and "Đăng tải công khai kết luận kiểm tra" in text
    assert "Thiếu" in page.inner_text("#ho-so")
    page.screenshot(path=str(ARTIFACTS / "inspection-page.png"), full_page=True)
    with page.expect_download() as download:
        page.click("text=Tải toàn bộ hồ sơ (.zip)")
    assert download.value.suggested_filename == f"Hồ sơ kiểm tra {inspection.id}.zip"
    page.close()

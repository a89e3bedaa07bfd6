"""In a real browser (Debian chromium through Playwright): the bell, the urging summary, a unit
filling the weekly overdue table, and the administrator's health page. Screenshots go to
test-artifacts/ (and, with DONDOC_SCREENSHOTS=docs, to docs/screenshots/)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.jobs import lease
from app.models import Timer
from tests.conftest import directive_payload
from tests.support import accept, register_classified, run

ROOT = Path(__file__).resolve().parents[1]
TASKS = [
    {"content": "Báo cáo tình hình thu ngân sách tháng 2", "lead_unit": "stc", "due_on": "2026-03-02"},
    {"content": "Thẩm định dự toán mua sắm tập trung năm 2026", "lead_unit": "stc", "due_on": "2026-03-05"},
    {"content": "Kiểm tra chất lượng công trình trường học", "lead_unit": "sxd", "due_on": "2026-03-06"},
    {"content": "Tổng hợp nhu cầu vốn đầu tư công năm 2027", "lead_unit": "skhdt", "due_on": "2026-03-20"},
]

pytestmark = pytest.mark.browser


def shot_dirs() -> list[Path]:
    dirs = [ROOT / "test-artifacts"]
    if os.environ.get("DONDOC_SCREENSHOTS") == "docs":
        dirs.append(ROOT / "docs" / "screenshots")
    for directory in dirs:
        directory.mkdir(parents=True, exist_ok=True)
    return dirs


def log_in(chromium, base: str, username: str):
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", "DonDoc@2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/inbox")
    return page


def save(page, name: str) -> None:
    for directory in shot_dirs():
        page.screenshot(path=str(directory / name), full_page=True)


def test_bell_urging_summary_weekly_table_and_health_in_a_browser(api, freeze, live_server, chromium):
    freeze("2026-02-16T09:00:00+07:00")
    directive = register_classified(api, issued_on="2026-02-16", tasks=TASKS)
    freeze("2026-03-09T09:00:00+07:00")  # left unclassified: its late timer fires at 12/03 00:00
    late = {"number": "31", "issued_on": "2026-03-09", "tasks": TASKS[3:]}
    assert api("vp.chuyenvien").post("/directives", directive_payload(**late)).status_code == 201
    ids = [t["id"] for t in directive["tasks"]]
    accept(api, "stc.daumoi", ids[0])
    office = api("vp.chuyenvien")
    for day, task_ids, extra in (
        ("2026-03-09", ids[:3], {}),
        (
            "2026-03-11",
            ids[:2],
            {"doc_reference": "215/VP-TH", "doc_date": "2026-03-11", "doc_signer": "Trần Thị Bình"},
        ),
        ("2026-03-12", ids[:1], {}),
    ):
        if day == "2026-03-12":
            freeze("2026-03-12T00:00:40+07:00")
            run("timers")
        freeze(f"{day}T09:00:00+07:00")
        run("reminders")
        body = {
            "task_ids": task_ids,
            "message": "Đề nghị khẩn trương hoàn thành, báo cáo kết quả về Văn phòng.",
            **extra,
        }
        assert office.post("/urgings", body).status_code == 201
    freeze("2026-03-13T09:00:00+07:00")
    for job in ("reminders", "weekly_overdue", "timers"):
        run(job)
    lease.acquire("dondoc-web:4242:5f0c1a2b", 60)  # as a running scheduler would hold it
    db.session.remove()

    finance = log_in(chromium, live_server, "stc.daumoi")
    bell = finance.locator("a.bell .count")
    unread = int(bell.inner_text())
    assert unread >= 4
    finance.click("a.bell")
    finance.wait_for_url(f"{live_server}/notifications/")
    assert finance.locator("li.notice.unread").count() == unread
    save(finance, "notifications-bell-stc.png")
    finance.locator("li.notice.unread button.secondary").first.click()
    assert int(finance.locator("a.bell .count").inner_text()) == unread - 1

    finance.click("text=Quá hạn tuần")
    finance.click("table.list a:has-text('Sở Tài chính')")
    finance.locator("form.card").first.locator("input[value=in_progress]").check()
    finance.locator("form.card").first.locator("input[name=cause]").fill("Chờ số liệu thu của Cục Thuế")
    finance.locator("form.card").first.locator("input[name=expected_on]").fill("20/03/2026")
    finance.locator("form.card").first.locator("button[type=submit]").click()
    assert "Đã cập nhật dòng 1." in finance.inner_text("main")
    first_row = finance.locator("table.appendix tbody tr").first
    assert "Chờ số liệu thu của Cục Thuế" in first_row.inner_text() and "20/03/2026" in first_row.inner_text()
    save(finance, "overdue-table-stc.png")

    leader = log_in(chromium, live_server, "ct.ubnd")
    leader.click("text=Đôn đốc")
    rows = leader.locator("table.list tbody tr")
    assert rows.count() == 3
    assert rows.first.locator("td").first.inner_text() == "3"
    save(leader, "urging-summary-leader.png")

    officer = log_in(chromium, live_server, "vp.chuyenvien")
    officer.goto(f"{live_server}/urging/new?task={ids[1]}")
    assert officer.locator(f"input[name=task_ids][value='{ids[1]}']").is_checked()
    save(officer, "urging-new-office.png")

    admin = log_in(chromium, live_server, "admin")
    admin.click("text=Hệ thống")
    assert "Tình trạng các tác vụ nền" in admin.inner_text("h1")
    assert admin.locator("[data-job=timers]").count() == 1
    assert "dondoc-web:4242:5f0c1a2b" in admin.inner_text("main")
    # Every timer the sweeps fired is counted; the late-classification timer (due 12/03 00:00, swept
    # at 00:00:40) sits in the "≤ 1 phút" bucket, the ones left for weeks in "> 1 giờ".
    lateness = [
        (fired_at - due_at).total_seconds()
        for due_at, fired_at in db.session.execute(
            select(Timer.due_at, Timer.fired_at).where(Timer.state == "fired")
        )
    ]
    assert 40.0 in lateness
    assert admin.locator("[data-metric=lateness] td").first.inner_text() == str(len(lateness))
    buckets = admin.locator("section:has([data-metric=lateness]) table").nth(1).locator("tbody td")
    assert int(buckets.nth(1).inner_text()) == sum(1 for v in lateness if 30 < v <= 60)
    assert int(buckets.nth(4).inner_text()) == sum(1 for v in lateness if v > 3600)
    save(admin, "admin-health.png")

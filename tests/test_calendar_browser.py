"""The administrator's calendar page in a real browser (Debian chromium through Playwright).

A live server runs the application on the test's own database; the browser logs in as the
administrator, reads the 2026 year view, adds an override through the form and checks that the
grid changed. The page is saved under test-artifacts/ (docs/screenshots/ keeps a reviewed copy).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from app.services.seed import demo_password
from tests.conftest import make_app

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture
def live_server(db_path: Path, freeze) -> Iterator[str]:
    freeze("2026-03-02T09:00:00+07:00")
    served: Flask = make_app(f"sqlite:///{db_path}")
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def page(live_server: str) -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is required: apt-get install -y chromium")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        tab = context.new_page()
        tab.set_default_timeout(10_000)
        try:
            yield tab
        finally:
            browser.close()


def test_admin_reads_the_2026_year_view_and_adds_a_working_day_in_the_browser(page, live_server):
    page.goto(f"{live_server}/login")
    page.fill("#username", "admin")
    page.fill("#password", demo_password())
    page.click("button[type=submit]")
    page.click("text=Lịch ngày làm việc")
    page.goto(f"{live_server}/admin/calendar/?year=2026")

    assert page.inner_text("h1") == "Lịch ngày làm việc năm 2026"
    january = page.locator("table.month").nth(0)
    # 02/01/2026 is the Tết Dương lịch swap, 10/01 its make-up Saturday: marked in words, not colour only.
    assert "Nghỉ hoán đổi" in january.locator("td[title^='02/01/2026']").get_attribute("title")
    assert january.locator("td[title^='10/01/2026'] .mark").inner_text() == "B"
    row = page.locator("tr[data-date='2026-11-24']")
    assert "Ngày Văn hóa Việt Nam" in row.inner_text()
    assert "Bộ luật Lao động 2019" in row.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "calendar-year-2026.png"), full_page=True)

    page.fill("#f-date", "24/11/2026")
    page.check("input[name=kind][value=work]")
    page.fill("#f-name", "Ngày làm việc bình thường")
    page.fill("#f-reference", "Thông báo 123/TB-UBND ngày 10/11/2026")
    page.click("text=Lưu ngày này")

    assert "Đã thêm ngày 24/11/2026" in page.inner_text(".flash-success")
    november = page.locator("table.month").nth(10)
    cell = november.locator("td[title^='24/11/2026']")
    assert "cal-makeup" in cell.get_attribute("class") and cell.locator(".mark").inner_text() == "B"
    row = page.locator("tr[data-date='2026-11-24']").inner_text()
    assert (
        "Ngày làm việc bình thường" in row and "Thông báo 123/TB-UBND" in row and "Quản trị hệ thống" in row
    )

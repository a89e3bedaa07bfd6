"""The administrator's calendar page in a real browser (Debian chromium through Playwright).

A live server runs the application on the test's own database; the browser logs in as the
administrator, reads the 2026 year view, adds an override through the form and checks that the
grid changed. The page is saved under test-artifacts/ (docs/screenshots/ keeps a reviewed copy).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.extensions import db
from app.services import calendar_admin, directives
from app.services.seed import demo_password
from tests.conftest import directive_payload, make_app
from tests.live_browser import serving

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture
def live_server(database_url: str, freeze, user) -> Iterator[str]:
    """The app served over HTTP on the test's database, set up as `flask init --demo` leaves it:
    the shipped swaps stored, one directive registered on Wednesday 29/04/2026."""
    freeze("2026-04-29T09:00:00+07:00")
    calendar_admin.seed_shipped()
    payload = directive_payload(
        issued_on="2026-04-29",
        tasks=[{"content": "Tổng kết công tác quý II", "lead_unit": "stc", "due_on": "2026-06-30"}],
    )
    directives.register_directive(directives.parse_directive(payload), user("vp.chuyenvien"))
    db.session.commit()
    with serving(make_app(database_url)) as url:
        yield url


@pytest.fixture
def page(live_server: str, chromium) -> Iterator[object]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    try:
        yield tab
    finally:
        context.close()


def log_in_as_admin(page, live_server: str) -> None:
    page.goto(f"{live_server}/login")
    page.fill("#username", "admin")
    page.fill("#password", demo_password())
    page.click("button[type=submit]")
    page.click("nav >> text=Quản trị")  # one admin menu; the calendar is one of its sections
    page.click("main >> text=Lịch ngày làm việc")


def test_admin_reads_the_2026_year_view_and_adds_a_working_day_in_the_browser(page, live_server):
    log_in_as_admin(page, live_server)
    page.goto(f"{live_server}/admin/calendar/?year=2026")

    assert page.inner_text("h1") == "Lịch ngày làm việc năm 2026"
    january = page.locator("table.month").nth(0)
    # 02/01/2026 is the Tết Dương lịch swap, 10/01 its make-up Saturday: marked in words, not colour only.
    assert "Nghỉ hoán đổi" in january.locator("td[title^='02/01/2026']").get_attribute("title")
    assert january.locator("td[title^='10/01/2026'] .mark").inner_text() == "B"
    row = page.locator("tr[data-date='2026-11-24']")
    assert "Ngày Văn hóa Việt Nam" in row.inner_text()
    assert "Bộ luật Lao động 2019" in row.inner_text()
    assert "Cài đặt hệ thống" in page.locator("tr[data-date='2026-01-02']").inner_text()
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


def test_admin_adds_a_day_off_previews_the_moved_deadlines_and_applies_them_in_the_browser(page, live_server):
    log_in_as_admin(page, live_server)
    page.fill("#f-date", "04/05/2026")
    page.check("input[name=kind][value=off]")
    page.fill("#f-name", "Nghỉ thêm sau lễ 30/4")
    page.fill("#f-reference", "Thông báo 77/TB-UBND ngày 20/04/2026")
    page.click("text=Lưu ngày này")
    assert "2 hạn xử lý đang mở" in page.inner_text("p.flash-error")

    page.click("text=Xem trước và áp dụng")
    rows = page.locator("tr[data-deadline-id]")
    assert rows.count() == 2
    assert "05/05/2026" in rows.nth(0).inner_text() and "06/05/2026" in rows.nth(0).inner_text()
    assert "04/05/2026 nay là ngày nghỉ: Nghỉ thêm sau lễ 30/4" in rows.nth(0).inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "calendar-deadlines-preview.png"), full_page=True)

    page.click("text=Áp dụng: đổi 2 hạn xử lý")
    assert "Đã tính lại 2 hạn xử lý theo lịch mới." in page.inner_text(".flash-success")
    assert "Không có hạn xử lý đang mở nào thay đổi" in page.inner_text("main")

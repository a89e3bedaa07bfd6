"""A task's life in a real browser: the agency claims, gets a form error, corrects it, reports; the
Office confirms; the Chairman reads the result on a phone. Screenshots: test-artifacts/browser/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Task
from tests.staff import register_and_classify

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PHONE = {"width": 390, "height": 844}


def _watch(page, problems: list[str]) -> None:
    """Collect script errors and refused resources (CSP): a clean page has none."""
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if _unexpected(msg) else None)


def _unexpected(msg) -> bool:
    # A refused form answers 422 on purpose (the page shows the errors); Chrome logs that status.
    return msg.type == "error" and "status of 422" not in msg.text


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("DonDoc@2026")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/inbox$"))


def test_agency_reports_office_confirms_leader_reads_on_a_phone(chromium, live_server, api, freeze, shots):
    freeze("2026-03-02T09:00:00+07:00")
    directive = register_and_classify(api)
    task_id = directive["tasks"][0]["id"]
    problems: list[str] = []

    agency = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = agency.new_page()
    _watch(page, problems)
    _login(page, live_server, "stc.daumoi")
    expect(page.locator(".tab-unit .tab-count")).to_have_text("2")
    shots(page, "01-agency-inbox")
    page.locator("tr", has_text="Xây dựng kế hoạch chuyển đổi số").get_by_role(
        "link", name="Tiếp nhận nhiệm vụ"
    ).click()
    page.get_by_role("button", name="Nhận xử lý").click()
    expect(page.get_by_text("Đã nhận xử lý công việc.")).to_be_visible()

    page.get_by_label("Trả lại Văn phòng").check()
    page.get_by_role("button", name="Hoàn thành bước này").click()
    expect(page.locator(".field-error")).to_have_text("Vui lòng nhập «Lý do trả lại».")
    expect(page.get_by_label("Trả lại Văn phòng")).to_be_checked()
    expect(page.get_by_role("textbox", name="Lý do trả lại")).to_have_attribute("aria-invalid", "true")
    shots(page, "02-agency-form-error")

    page.get_by_label("Tiếp nhận", exact=True).check()
    page.get_by_role("button", name="Hoàn thành bước này").click()
    expect(page.get_by_text("Đã hoàn thành: Tiếp nhận nhiệm vụ.")).to_be_visible()

    page.locator("tr", has_text="Xây dựng kế hoạch chuyển đổi số").get_by_role(
        "link", name="Báo cáo kết quả thực hiện"
    ).click()
    # The report step offers every kind of report; a completion needs these three (R9).
    expect(page.get_by_role("combobox", name="Nội dung báo cáo")).to_have_value("complete")
    page.get_by_role("textbox", name="Kết quả thực hiện", exact=True).fill(
        "Đã ban hành kế hoạch chuyển đổi số ngành tài chính."
    )
    page.get_by_role("textbox", name="Ngày hoàn thành", exact=True).fill("02/03/2026")
    page.get_by_role("textbox", name="Số, ký hiệu văn bản báo cáo kết quả").fill("215/STC-VP")
    page.get_by_role("button", name="Hoàn thành bước này").click()
    expect(page.get_by_text("Đã hoàn thành: Báo cáo kết quả thực hiện.")).to_be_visible()
    agency.close()

    office = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = office.new_page()
    _watch(page, problems)
    _login(page, live_server, "vp.chuyenvien")
    page.get_by_role("link", name="Xác nhận hoàn thành").first.click()
    diagram = page.locator("#diagram")
    expect(diagram).to_have_attribute("data-rendered", "1", timeout=15000)
    expect(page.locator("#diagram .current-step")).to_have_count(1)
    expect(page.locator('#diagram [data-element-id="Task_confirm"]')).to_have_class(
        re.compile("current-step")
    )
    shots(page, "03-office-confirm-with-diagram")
    expect(page.get_by_role("radio", name="Xác nhận hoàn thành")).to_be_checked()
    page.get_by_role("button", name="Hoàn thành bước này").click()
    expect(page.get_by_text("Đã hoàn thành: Xác nhận hoàn thành.")).to_be_visible()
    office.close()

    phone = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = phone.new_page()
    _watch(page, problems)
    _login(page, live_server, "ct.ubnd")
    page.get_by_role("link", name="Văn bản chỉ đạo").click()
    page.get_by_role("link", name="12/QĐ-UBND").click()
    row = page.locator(f'tr[data-task-id="{task_id}"]')
    expect(row).to_contain_text("Đã hoàn thành")
    expect(row).to_contain_text("Hoàn thành đúng hạn")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"
    shots(page, "04-leader-phone-directive")
    phone.close()

    assert db.session.get(Task, task_id).status == "completed"
    assert problems == []


def test_keyboard_users_reach_the_skip_link_first_and_every_form_field_has_a_label(
    chromium, live_server, api, freeze, shots
):
    freeze("2026-03-02T09:00:00+07:00")
    register_and_classify(api)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _login(page, live_server, "stc.daumoi")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Bỏ qua, đến nội dung chính"
    page.get_by_role("link", name="Tiếp nhận nhiệm vụ").first.click()
    unlabeled = page.evaluate(
        """() => [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')]
              .filter(el => !el.closest('template') && !el.classList.contains('date-picker'))
              .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                            && !el.getAttribute('aria-labelledby'))
              .map(el => el.name)"""
    )
    assert unlabeled == []
    context.close()

"""The generated form in a real browser: add a row to a repeated group, pick choices, see errors."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_staff_journey import _login, _watch
from tests.test_generated_forms import showcase_item

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def item(app, user, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    return showcase_item(user)


def test_rows_added_in_the_browser_are_submitted_and_errors_point_at_their_cells(
    chromium, live_server, item, shots
):
    problems: list[str] = []
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _watch(page, problems)
    _login(page, live_server, "stc.daumoi")
    page.goto(f"{live_server}/work-items/{item.id}")
    page.get_by_role("textbox", name="Họ và tên thành viên (bắt buộc)").first.fill("Trần Văn Bình")
    page.get_by_role("button", name="+ Thêm dòng").click()
    second = page.locator(".group-row").nth(1)
    second.get_by_role("textbox", name="Họ và tên thành viên (bắt buộc)").fill("L")
    expect(second.get_by_role("textbox", name="Họ và tên thành viên (bắt buộc)")).to_have_attribute(
        "name", "members.1.name"
    )
    page.get_by_role("checkbox", name="Sở Xây dựng").check()
    page.get_by_role("radio", name="Tốt").check()
    page.get_by_role("radio", name="Không").check()
    page.get_by_role("textbox", name="Ngày kết thúc kiểm tra (bắt buộc)").fill("20/03/2026")
    page.get_by_role("button", name="Hoàn thành bước này").click()
    expect(page.locator("#f-members-1-name-err")).to_have_text("«Họ và tên thành viên» cần ít nhất 2 ký tự.")
    expect(page.locator('input[name="members.1.name"]')).to_have_value("L")
    expect(page.get_by_role("checkbox", name="Sở Xây dựng")).to_be_checked()
    expect(page.locator("#form-errors")).to_contain_text(re.compile(r"Còn \d+ lỗi"))
    shots(page, "05-generated-form-errors")
    assert problems == []
    context.close()

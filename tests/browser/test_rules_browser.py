"""A regulation refusal seen in the browser: an extension asked too close to the deadline."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_staff_journey import _login, _watch
from tests.scenario import FINANCE, Scenario, one_task

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_extension_asked_2_working_days_before_the_deadline_is_refused_with_the_rule_ninh_thuan(
    chromium, live_server, api, freeze, shots
):
    s = Scenario(api, freeze)
    s.use_profile("ninh-thuan-2019")
    freeze("2026-03-02T09:00:00+07:00")
    directive = s.register_and_assign(issued_on="2026-03-02", tasks=one_task(due_on="2026-03-20"))
    task_id = directive["tasks"][0]["id"]
    s.accept(task_id)
    freeze("2026-03-18T09:00:00+07:00")  # Wednesday: only 19/03 and 20/03 are left
    problems: list[str] = []
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    _watch(page, problems)
    _login(page, live_server, FINANCE)
    page.goto(f"{live_server}/work-items/{s.work(task_id)['id']}")
    page.get_by_role("combobox", name="Nội dung báo cáo").select_option("extension")
    page.get_by_role("textbox", name="Đề nghị hoàn thành vào ngày", exact=True).fill("10/04/2026")
    page.get_by_role("textbox", name="Lý do đề nghị gia hạn", exact=True).fill(
        "Cần thêm thời gian lấy ý kiến các huyện."
    )
    page.get_by_role("button", name="Hoàn thành bước này").click()
    message = page.get_by_text(
        "Không nhận đề nghị gia hạn: đề nghị phải gửi trước hạn ít nhất 3 ngày làm việc"
    )
    expect(message).to_be_visible()
    expect(message).to_contain_text("chỉ còn 2 ngày làm việc")
    expect(message).to_contain_text("QĐ 69/2019/QĐ-UBND tỉnh Ninh Thuận, Điều 6 khoản 2 điểm c")
    expect(page.get_by_role("combobox", name="Nội dung báo cáo")).to_have_value("extension")
    shots(page, "rules-extension-refused")
    assert problems == []
    assert s.task(task_id)["extension_requests"] == []
    context.close()

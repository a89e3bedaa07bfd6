"""An analyst changes a decision-table number in the browser and deploys it; the rule follows.

New task instances take the new number at once; a running one keeps the old number until it is
migrated on the dry-run page. Screenshots of the modeler, the DMN editor, the migration report,
an instance diagram and the rules page are saved under test-artifacts/ (docs/screenshots/ with
DONDOC_SCREENSHOTS=docs).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ProcessInstance, ProcessModelVersion
from tests.modeler.test_migration import accept, report_timer, start_task

ROOT = Path(__file__).resolve().parents[3]
# Screenshots go to test-artifacts/; DONDOC_SCREENSHOTS=docs refreshes the reviewed copies in docs/.
SHOTS = ROOT / ("docs/screenshots" if os.environ.get("DONDOC_SCREENSHOTS") == "docs" else "test-artifacts")
pytestmark = pytest.mark.browser


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", "DonDoc@2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/inbox")


def version_id(number: int) -> int:
    return db.session.scalar(
        select(ProcessModelVersion.id).where(
            ProcessModelVersion.process_id == "task_lifecycle", ProcessModelVersion.version == number
        )
    )


def instance_of(task_id: int) -> ProcessInstance:
    db.session.expire_all()
    return db.session.scalar(select(ProcessInstance).where(ProcessInstance.task_id == task_id))


def test_analyst_changes_the_grace_days_in_the_dmn_editor_and_only_new_or_migrated_tasks_follow(
    live_server, browser_page, api, freeze
):
    page, base = browser_page, live_server
    freeze("2026-03-02T09:00:00+07:00")
    old_task, migrated_task = (
        start_task(api, "Nhiệm vụ giữ quy định cũ"),
        start_task(api, "Nhiệm vụ sẽ chuyển"),
    )
    SHOTS.mkdir(parents=True, exist_ok=True)

    log_in(page, base, "analyst")
    page.goto(f"{base}/modeler/edit/task_lifecycle.bpmn")
    page.wait_for_selector("#editor[data-ready=true]")
    page.evaluate(
        "() => { const m = window.dondocModeler; "
        "m.get('selection').select(m.get('elementRegistry').get('Timer_report_late')); }"
    )
    page.wait_for_selector("text=Biểu thức hẹn giờ")
    timer_text = page.input_value("#bio-properties-panel-dondoc-timer")
    assert timer_text == "end_of_day(add_working_days(due_on or received_on, report_grace_days))"
    page.screenshot(path=str(SHOTS / "modeler-task-lifecycle.png"))

    page.goto(f"{base}/modeler/edit/rules/report_grace.dmn")
    page.wait_for_selector("#editor[data-ready=true]")
    cell = page.locator('td[data-row-id="Rule_ninh_thuan"][data-col-id="Output_report_grace_days"]')
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    page.click("h1")  # leave the cell so dmn-js commits the edit
    page.fill("#deploy-note", "QĐ sửa đổi: cập nhật kết quả trong 1 ngày làm việc sau hạn")
    page.click("#btn-deploy")
    page.wait_for_selector("#editor-status.flash-success")
    assert "task_lifecycle phiên bản 2" in page.inner_text("#editor-status")
    page.screenshot(path=str(SHOTS / "dmn-editor-report-grace.png"))

    new_task = start_task(api, "Nhiệm vụ giao sau khi sửa quy định")
    assert instance_of(new_task).model_version.version == 2
    assert instance_of(old_task).model_version.version == 1

    page.goto(f"{base}/instances/versions/{version_id(1)}/migrate?to={version_id(2)}")
    old_box = page.locator(f'input[name=instance][value="{instance_of(old_task).id}"]')
    old_box.uncheck()
    page.fill("#migrate-reason", "Áp dụng quy định sửa đổi cho nhiệm vụ đang tiếp nhận")
    page.screenshot(path=str(SHOTS / "migration-dry-run.png"), full_page=True)
    page.click("text=Chuyển các quy trình đã chọn")
    page.wait_for_selector("text=Đã chuyển 1 quy trình sang phiên bản 2")
    assert instance_of(migrated_task).model_version.version == 2
    assert instance_of(old_task).model_version.version == 1

    for task_id in (old_task, migrated_task, new_task):
        accept(api, task_id)
    # Deadline Tue 31/03/2026: the new rule (1 working day) ends Wed 01/04; the old one (3) Fri 03/04.
    assert report_timer(new_task).due_at.isoformat() == "2026-04-01T17:00:00+00:00"
    assert report_timer(migrated_task).due_at == report_timer(new_task).due_at
    assert report_timer(old_task).due_at.isoformat() == "2026-04-03T17:00:00+00:00"

    page.goto(f"{base}/instances/{instance_of(migrated_task).id}")
    page.wait_for_selector("#instance-diagram[data-ready=true]")
    assert page.locator(".step-completed").count() >= 3 and page.locator(".step-active").count() >= 1
    page.screenshot(path=str(SHOTS / "instance-diagram.png"))
    assert page.errors == []  # type: ignore[attr-defined]


def test_administrator_changes_a_rule_number_on_the_rules_page_with_its_citation(
    live_server, browser_page, freeze
):
    page, base = browser_page, live_server
    freeze("2026-03-02T09:00:00+07:00")
    log_in(page, base, "admin")
    page.goto(f"{base}/admin/rules/")
    assert "QĐ 69/2019/QĐ-UBND Ninh Thuận, Điều 7 khoản 2 điểm a" in page.content()
    page.select_option("#profile", "ben-tre-2023")
    page.fill("#profile-reason", "Tỉnh áp dụng quy chế Bến Tre")
    page.click("text=Đổi bộ quy định")
    page.wait_for_selector("text=Đã đổi bộ quy định áp dụng.")
    page.fill('input[name="cell:Rule_ben_tre:output:0"]', "2")
    page.fill("#reason-report_grace", "QĐ 15/2026 sửa Điều 8")
    page.click("text=Lưu và áp dụng (phiên bản mới)")
    page.wait_for_selector("text=task_lifecycle phiên bản 2")
    history = page.inner_text("text=Lịch sử thay đổi quy định >> xpath=..")
    assert "«1» → «2»" in history and "QĐ 15/2026 sửa Điều 8" in history
    page.screenshot(path=str(SHOTS / "rules-page.png"), full_page=True)
    assert page.errors == []  # type: ignore[attr-defined]


def test_properties_panel_edits_timer_due_date_and_lane_role_without_touching_xml(
    live_server, browser_page, api, freeze
):
    page, base = browser_page, live_server
    freeze("2026-03-02T09:00:00+07:00")
    log_in(page, base, "analyst")
    page.goto(f"{base}/modeler/edit/task_lifecycle.bpmn")
    page.wait_for_selector("#editor[data-ready=true]")

    def pick(element_id: str) -> None:
        page.keyboard.press("Tab")  # leave the field and let the panel's 300 ms debounce write it
        page.wait_for_timeout(600)
        page.evaluate(
            "(id) => { const m = window.dondocModeler; "
            "m.get('selection').select(m.get('elementRegistry').get(id)); }",
            element_id,
        )

    pick("Timer_report_late")
    page.fill(
        "#bio-properties-panel-dondoc-timer", "end_of_day(add_working_days(due_on, report_grace_days + 2))"
    )
    pick("Task_accept")
    page.fill("#bio-properties-panel-dondoc-due", "add_working_days(received_on, 3)")
    pick("Lane_office")
    page.select_option("#bio-properties-panel-dondoc-role", "office_chief")
    page.wait_for_timeout(300)
    page.click("#btn-validate")
    page.wait_for_selector("#editor-status.flash-success")
    page.fill("#deploy-note", "Hạn tiếp nhận 3 ngày; Chánh Văn phòng xác nhận")
    page.click("#btn-deploy")
    page.wait_for_selector("#editor-status.flash-success:has-text('Đã triển khai')")
    assert "task_lifecycle phiên bản 2" in page.inner_text("#editor-status")

    deployed = db.session.scalars(
        select(ProcessModelVersion).where(
            ProcessModelVersion.process_id == "task_lifecycle", ProcessModelVersion.is_active.is_(True)
        )
    ).one()
    assert "report_grace_days + 2))</bpmn:timeDate>" in deployed.content
    assert deployed.bundle["lanes"]["Văn phòng UBND"] == "office_chief"
    task_id = start_task(api, "Nhiệm vụ theo hạn tiếp nhận mới")
    focal = api("stc.daumoi")
    item = next(i for i in focal.get("/work-items").json if i["task_id"] == task_id)
    assert item["due_on"] == "2026-03-05"  # 3 working days after Mon 02/03/2026

    page.goto(f"{base}/modeler/processes/task_lifecycle/diff?from=1&to=2")
    diff = page.inner_text("table.diff")
    assert len(page.locator("table.diff tbody tr").all()) == 4  # timer, due date, lane property, lane role
    assert "thuộc tính dueOn: «accept_due_on» → «add_working_days(received_on, 3)»" in diff
    assert "thuộc tính role: «office» → «office_chief»" in diff
    page.screenshot(path=str(SHOTS / "version-diff.png"), full_page=True)
    assert page.errors == []  # type: ignore[attr-defined]


def test_form_editor_previews_the_form_while_the_analyst_types(live_server, browser_page, freeze):
    page, base = browser_page, live_server
    freeze("2026-03-02T09:00:00+07:00")
    log_in(page, base, "analyst")
    page.goto(f"{base}/modeler/")
    page.screenshot(path=str(SHOTS / "modeler-index.png"), full_page=True)
    page.goto(f"{base}/modeler/edit/forms/accept_task.json")
    page.wait_for_selector("#editor[data-ready=true]")
    assert "Trả lại Văn phòng" in page.inner_text("#form-preview")
    source = page.input_value("#form-source").replace(
        '"title": "Tiếp nhận nhiệm vụ"', '"title": "Tiếp nhận, phân công"'
    )
    page.fill("#form-source", source)
    page.wait_for_selector("#form-preview h3:has-text('Tiếp nhận, phân công')")
    page.fill("#form-source", source[:-5])
    page.wait_for_selector("#form-preview:has-text('JSON chưa hợp lệ')")
    page.fill("#form-source", source)
    page.wait_for_selector("#form-preview h3:has-text('Tiếp nhận, phân công')")
    page.screenshot(path=str(SHOTS / "form-editor.png"))
    assert page.errors == []  # type: ignore[attr-defined]

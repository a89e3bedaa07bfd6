"""The modeler's pages and JSON calls: analysts only, drafts, validation pinned to elements, deploy."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, ModelFile, ProcessModelVersion
from tests.modeler.conftest import dmn_text, lifecycle_text
from tests.test_persistence import login


def csrf_header(client, path="/modeler/") -> dict[str, str]:
    html = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    return {"X-CSRFToken": token}


def test_only_analysts_reach_the_modeler_and_its_json_calls(client):
    login(client, "stc.daumoi")
    assert client.get("/modeler/").status_code == 404
    assert client.get("/modeler/files/task_lifecycle.bpmn").status_code == 404
    refused = client.post("/modeler/deploy", json={"path": "task_lifecycle.bpmn", "content": "", "note": "x"})
    assert refused.status_code in (400, 404)  # no CSRF token, or not an analyst: never deployed
    client.post("/logout", data={"csrf_token": csrf_header(client, "/inbox")["X-CSRFToken"]})
    login(client, "admin")
    assert client.get("/modeler/edit/task_lifecycle.bpmn").status_code == 404
    assert client.get("/admin/rules/").status_code == 200


def test_analyst_saves_a_draft_that_changes_nothing_until_deployed(client):
    login(client, "analyst")
    page = client.get("/modeler/").get_data(as_text=True)
    assert "task_lifecycle.bpmn" in page and "rules/report_grace.dmn" in page
    headers = csrf_header(client)
    draft = dmn_text().replace("<text>3</text>", "<text>4</text>")
    saved = client.post(
        "/modeler/draft", json={"path": "rules/report_grace.dmn", "content": draft}, headers=headers
    )
    assert saved.status_code == 200 and "nháp" in saved.json["message"]
    row = db.session.scalar(select(ModelFile).where(ModelFile.path == "rules/report_grace.dmn"))
    assert row.draft == draft and "<text>3</text>" in row.content
    assert "<text>4</text>" in client.get("/modeler/files/rules/report_grace.dmn?draft=1").get_data(
        as_text=True
    )
    assert (
        db.session.scalar(
            select(ProcessModelVersion.version).where(
                ProcessModelVersion.is_active.is_(True), ProcessModelVersion.process_id == "task_lifecycle"
            )
        )
        == 1
    )


def test_deploy_needs_a_note_and_refusals_are_pinned_to_the_element(client):
    login(client, "analyst")
    headers = csrf_header(client)
    bad = lifecycle_text().replace('set_status("in_progress")', "().__class__.__base__.__subclasses__()")
    no_note = client.post(
        "/modeler/deploy", json={"path": "task_lifecycle.bpmn", "content": bad, "note": " "}, headers=headers
    )
    assert no_note.status_code == 422 and "lý do" in no_note.json["error"]["message"]
    refused = client.post(
        "/modeler/deploy",
        json={"path": "task_lifecycle.bpmn", "content": bad, "note": "thử"},
        headers=headers,
    )
    assert refused.status_code == 422
    problems = refused.json["problems"]
    assert {p["element_id"] for p in problems} == {"Script_in_progress"}
    assert any("thuộc tính ẩn '__class__'" in p["message"] for p in problems)
    good = lifecycle_text().replace('name="Tiếp nhận nhiệm vụ"', 'name="Tiếp nhận, kiểm tra nhiệm vụ"')
    deployed = client.post(
        "/modeler/deploy",
        json={"path": "task_lifecycle.bpmn", "content": good, "note": "Đổi tên bước"},
        headers=headers,
    )
    assert deployed.status_code == 200 and deployed.json["versions"] == {"task_lifecycle": 2}
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "models_deployed").order_by(AuditEvent.id.desc())
    ).first()
    assert event.details["note"] == "Đổi tên bước" and event.details["files"] == ["task_lifecycle.bpmn"]

    history = client.get("/modeler/processes/task_lifecycle").get_data(as_text=True)
    assert "Đổi tên bước" in history and "Ngô Thị Lan" in history
    diff = client.get("/modeler/processes/task_lifecycle/diff?from=1&to=2").get_data(as_text=True)
    assert "Task_accept" in diff and "«Tiếp nhận nhiệm vụ» → «Tiếp nhận, kiểm tra nhiệm vụ»" in diff


def test_form_preview_renders_the_form_as_clerks_will_see_it(client):
    login(client, "analyst")
    schema = (
        '{"title": "Gia hạn", "type": "object", "required": ["new_due_on"], "properties": '
        '{"new_due_on": {"type": "string", "format": "date", "title": "Hạn đề nghị"}}}'
    )
    preview = client.post("/modeler/forms/preview", json={"content": schema}, headers=csrf_header(client))
    assert preview.status_code == 200
    assert "Hạn đề nghị" in preview.json["html"] and 'placeholder="dd/mm/yyyy"' in preview.json["html"]
    broken = client.post("/modeler/forms/preview", json={"content": "{"}, headers=csrf_header(client))
    assert broken.status_code == 422 and "JSON chưa hợp lệ" in broken.json["error"]["message"]


def test_instance_pages_are_for_analysts_and_administrators_only(client, api, freeze):
    from app.models import ProcessInstance
    from tests.modeler.test_migration import start_task

    freeze("2026-03-02T09:00:00+07:00")
    task_id = start_task(api, "Nhiệm vụ xem sơ đồ")
    instance_id = db.session.scalar(select(ProcessInstance.id).where(ProcessInstance.task_id == task_id))
    login(client, "stc.daumoi")
    assert client.get(f"/instances/{instance_id}").status_code == 404
    assert client.get(f"/instances/{instance_id}/diagram.json").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_header(client, "/inbox")["X-CSRFToken"]})
    login(client, "admin")
    diagram = client.get(f"/instances/{instance_id}/diagram.json").json
    assert diagram["active"] == ["Task_accept"] and "Script_received" in diagram["completed"]
    assert "<bpmn:definitions" in diagram["xml"]

"""The walking skeleton end to end through the JSON API, as the Office and the Finance department."""

from __future__ import annotations

from typing import Any

from tests.conftest import directive_payload


def open_items(client: Any, scope: str = "all") -> list[dict[str, Any]]:
    response = client.get("/work-items", scope=scope, state="open")
    assert response.status_code == 200, response.json
    items: list[dict[str, Any]] = response.json
    return items


def only(items: list[dict[str, Any]], title: str) -> dict[str, Any]:
    matching = [i for i in items if i["title"] == title]
    assert len(matching) == 1, (title, [i["title"] for i in items])
    return matching[0]


def test_directive_tasks_walk_from_registration_to_confirmed_complete(api, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    office, finance = api("vp.chuyenvien"), api("stc.daumoi")

    created = office.post("/directives", directive_payload())
    assert created.status_code == 201, created.json
    directive = created.json
    assert [t["status"] for t in directive["tasks"]] == ["not_received", "not_received"]
    # Classification is due 2 working days after the issue date (R5): Mon 02/03 -> Wed 04/03.
    assert directive["classify_due_on"] == "2026-03-04"

    classify = only(open_items(office, "unit"), "Phân loại, giao nhiệm vụ")
    assert classify["directive_id"] == directive["id"] and classify["unit"] == "vp"
    assert finance.get(f"/work-items/{classify['id']}").status_code == 404  # not the agency's business
    done = office.post(f"/work-items/{classify['id']}/complete", {"data": {"origin_level": "province"}})
    assert done.status_code == 200, done.json

    # Both tasks arrive in the lead agency's unit inbox, due 2 working days after receipt.
    arrived = [i for i in open_items(finance, "unit") if i["title"] == "Tiếp nhận nhiệm vụ"]
    assert sorted(i["task_id"] for i in arrived) == sorted(t["id"] for t in directive["tasks"])
    assert {i["unit"] for i in arrived} == {"stc"} and {i["due_on"] for i in arrived} == {"2026-03-04"}

    first_task = directive["tasks"][0]["id"]
    accept = next(i for i in arrived if i["task_id"] == first_task)
    assert finance.post(f"/work-items/{accept['id']}/claim").json["assignee"] == "stc.daumoi"
    assert (
        finance.post(f"/work-items/{accept['id']}/complete", {"data": {"decision": "accept"}}).status_code
        == 200
    )
    assert finance.get(f"/tasks/{first_task}").json["status"] == "in_progress"

    freeze("2026-03-20T10:00:00+07:00")
    report = only(open_items(finance), "Báo cáo kết quả thực hiện")
    assert report["due_on"] == "2026-03-31"
    result = {
        "result_summary": "Đã ban hành kế hoạch chuyển đổi số ngành tài chính.",
        "completed_on": "2026-03-20",
        "result_document": "86/KH-STC",
    }
    assert finance.post(f"/work-items/{report['id']}/complete", {"data": result}).status_code == 200

    confirm = only(open_items(office), "Xác nhận hoàn thành")
    assert confirm["task_id"] == first_task
    confirmed = office.post(
        f"/work-items/{confirm['id']}/complete", {"data": {"decision": "confirm", "quality": "good"}}
    )
    assert confirmed.status_code == 200 and confirmed.json["next"] == []

    task = office.get(f"/tasks/{first_task}").json
    assert task["status"] == "completed"
    assert task["report_category"] == "completed_on_time"
    assert task["completed_on"] == "2026-03-20"
    assert task["result_summary"].startswith("Đã ban hành")
    transitions = [
        (e["details"]["from"], e["details"]["to"])
        for e in task["history"]
        if e["action"] == "task_status_changed"
    ]
    assert transitions == [("not_received", "in_progress"), ("in_progress", "completed")]
    assert all(e["at"].endswith("+00:00") for e in task["history"])

    second = office.get(f"/tasks/{directive['tasks'][1]['id']}").json
    assert second["status"] == "not_received" and second["report_category"] == "in_progress_on_time"


def test_agency_returns_a_task_and_the_office_sends_it_again(api, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    office, finance = api("vp.chuyenvien"), api("stc.daumoi")
    directive = office.post(
        "/directives",
        directive_payload(
            tasks=[
                {"content": "Rà soát quy hoạch khu đô thị mới", "lead_unit": "stc", "due_on": "2026-04-30"}
            ]
        ),
    ).json
    classify = only(open_items(office), "Phân loại, giao nhiệm vụ")
    office.post(f"/work-items/{classify['id']}/complete", {"data": {"origin_level": "province"}})

    accept = only(open_items(finance), "Tiếp nhận nhiệm vụ")
    refused = finance.post(f"/work-items/{accept['id']}/complete", {"data": {"decision": "return"}})
    assert refused.status_code == 422
    assert refused.json["error"]["fields"] == {"reason": "Vui lòng nhập «Lý do trả lại»."}
    returned = finance.post(
        f"/work-items/{accept['id']}/complete",
        {"data": {"decision": "return", "reason": "Không thuộc chức năng của Sở Tài chính."}},
    )
    assert returned.status_code == 200
    task_id = directive["tasks"][0]["id"]
    assert office.get(f"/tasks/{task_id}").json["status"] == "returned"

    handle = only(open_items(office), "Xử lý nhiệm vụ bị trả lại")
    office.post(
        f"/work-items/{handle['id']}/complete",
        {"data": {"decision": "resend", "reason": "Đã bổ sung phạm vi rà soát theo văn bản."}},
    )
    assert office.get(f"/tasks/{task_id}").json["status"] == "not_received"
    assert only(open_items(finance), "Tiếp nhận nhiệm vụ")["task_id"] == task_id


def test_api_errors_are_json_with_the_right_status(api, client):
    assert client.get("/api/v1/work-items").status_code == 401
    assert (
        client.get("/api/v1/work-items", headers={"Authorization": "Bearer nope"}).json["error"]["code"]
        == "unauthorized"
    )
    office = api("vp.chuyenvien")
    assert office.get("/tasks/999999").status_code == 404
    invalid = office.post(
        "/directives",
        directive_payload(
            issued_on="02/03/2026", tasks=[{"content": "", "lead_unit": "khong-co", "due_on": "2026-01-01"}]
        ),
    )
    assert invalid.status_code == 422
    fields = invalid.json["error"]["fields"]
    assert set(fields) == {"issued_on", "tasks[0].content", "tasks[0].lead_unit"}
    assert api("stc.daumoi").post("/directives", directive_payload()).status_code == 403

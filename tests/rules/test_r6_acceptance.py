"""R6 acceptance by the lead agency within the profile's deadline, or return with a reason."""

from __future__ import annotations

from tests.scenario import CONSTRUCTION, FINANCE, OFFICE, one_task


def assign(s, profile: str, **task: object) -> int:
    s.use_profile(profile)
    s.freeze("2026-03-05T09:00:00+07:00")  # Thursday
    directive = s.register_and_assign(issued_on="2026-03-05", tasks=one_task(due_on="2026-04-30", **task))
    return int(directive["tasks"][0]["id"])


def test_acceptance_due_1_working_day_after_receipt_lao_cai_stc(s):
    task_id = assign(s, "lao-cai-stc-2017")
    assert s.item(FINANCE, "Tiếp nhận nhiệm vụ", task_id=task_id)["due_on"] == "2026-03-06"


def test_acceptance_due_2_working_days_after_receipt_across_the_weekend_quynh_nhai(s):
    task_id = assign(s, "quynh-nhai-2015")
    assert s.item(FINANCE, "Tiếp nhận nhiệm vụ", task_id=task_id)["due_on"] == "2026-03-09"


def test_late_acceptance_is_reported_to_the_office_once(s):
    task_id = assign(s, "lao-cai-stc-2017")
    s.at("2026-03-06T23:00:00")
    assert s.notices("acceptance_overdue") == []
    s.at("2026-03-07T00:10:00")
    s.at("2026-03-08T00:10:00")
    [notice] = s.notices("acceptance_overdue")
    assert notice["due_on"] == "2026-03-06" and notice["rule"].endswith("Lào Cai, Điều 17 khoản 1 điểm a")
    assert s.item(FINANCE, "Tiếp nhận nhiệm vụ", task_id=task_id)  # the work is still the agency's


def test_agency_returns_a_task_outside_its_remit_and_the_office_forwards_it_to_another_agency(s):
    task_id = assign(s, "ninh-thuan-2019")
    item = s.item(FINANCE, "Tiếp nhận nhiệm vụ", task_id=task_id)
    refused = s.submit(FINANCE, item, decision="return", reason="ngắn")
    assert refused.status_code == 422 and refused.json["error"]["fields"] == {
        "reason": "«Lý do trả lại» cần ít nhất 10 ký tự."
    }
    s.complete(FINANCE, item, decision="return", reason="Nhiệm vụ thuộc chức năng của Sở Xây dựng.")
    assert s.task(task_id)["status"] == "returned"

    handle = s.item(OFFICE, "Xử lý nhiệm vụ bị trả lại", task_id=task_id)
    missing = s.submit(
        OFFICE, handle, decision="forward", reason="Chuyển Sở Xây dựng chủ trì theo chức năng."
    )
    assert missing.status_code == 422 and "new_lead_unit" in missing.json["error"]["fields"]
    s.freeze("2026-03-10T09:00:00+07:00")
    s.complete(
        OFFICE,
        handle,
        decision="forward",
        reason="Chuyển Sở Xây dựng chủ trì theo chức năng.",
        new_lead_unit="sxd",
    )
    task = s.task(task_id)
    assert task["lead_unit"] == "sxd" and task["status"] == "not_received"
    assert s.items(FINANCE, task_id=task_id) == []
    accept = s.item(CONSTRUCTION, "Tiếp nhận nhiệm vụ", task_id=task_id)
    assert accept["due_on"] == "2026-03-12"  # received again on 10/03: 2 working days
    actions = [e["action"] for e in task["history"]]
    assert "model:task_returned" in actions and "task_lead_changed" in actions


def test_office_corrects_a_returned_task_and_sends_it_back_to_the_same_agency(s):
    task_id = assign(s, "ninh-thuan-2019")
    s.complete(
        FINANCE,
        s.item(FINANCE, "Tiếp nhận nhiệm vụ", task_id=task_id),
        decision="return",
        reason="Nội dung nhiệm vụ chưa khớp với văn bản chỉ đạo.",
    )
    s.complete(
        OFFICE,
        s.item(OFFICE, "Xử lý nhiệm vụ bị trả lại", task_id=task_id),
        decision="resend",
        reason="Đã đính chính theo văn bản chỉ đạo.",
        new_content="Xây dựng kế hoạch thực hiện giai đoạn 2026-2030",
    )
    task = s.task(task_id)
    assert task["content"] == "Xây dựng kế hoạch thực hiện giai đoạn 2026-2030" and task["lead_unit"] == "stc"
    assert s.item(FINANCE, "Tiếp nhận nhiệm vụ", task_id=task_id)


def test_office_stops_a_returned_task(s):
    task_id = assign(s, "ninh-thuan-2019")
    s.complete(
        FINANCE,
        s.item(FINANCE, "Tiếp nhận nhiệm vụ", task_id=task_id),
        decision="return",
        reason="Nhiệm vụ đã được giao trùng ở văn bản khác.",
    )
    s.complete(
        OFFICE,
        s.item(OFFICE, "Xử lý nhiệm vụ bị trả lại", task_id=task_id),
        decision="cancel",
        reason="Nhiệm vụ trùng, dừng theo dõi.",
    )
    task = s.task(task_id)
    assert task["status"] == "cancelled" and task["report_category"] is None
    assert s.items(FINANCE, task_id=task_id) == [] and s.items(OFFICE, task_id=task_id) == []

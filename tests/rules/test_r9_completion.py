"""R9 completion: the result document, the evaluation of quality and effectiveness by the profile's
confirmer (the Office, or a deputy director in lao-cai-stc-2017), closing or sending back."""

from __future__ import annotations

from tests.scenario import FINANCE, LEADER, OFFICE, one_task

RESULT = {
    "action": "complete",
    "result_summary": "Đã ban hành kế hoạch và gửi các đơn vị thực hiện.",
    "result_document": "120/KH-STC",
}


def reported_task(s, profile: str, completed_on: str = "2026-03-20") -> int:
    s.use_profile(profile)
    s.freeze("2026-03-02T09:00:00+07:00")
    directive = s.register_and_assign(issued_on="2026-03-02", tasks=one_task(due_on="2026-03-25"))
    task_id = int(directive["tasks"][0]["id"])
    s.accept(task_id)
    s.freeze("2026-03-27T09:00:00+07:00")
    s.complete(FINANCE, s.work(task_id), completed_on=completed_on, **RESULT)
    return task_id


def test_completion_is_evaluated_and_confirmed_by_the_office_ninh_thuan(s):
    task_id = reported_task(s, "ninh-thuan-2019")
    assert s.items(LEADER, task_id=task_id) == []
    confirm = s.item(OFFICE, "Xác nhận hoàn thành", task_id=task_id)
    s.complete(
        OFFICE,
        confirm,
        decision="confirm",
        quality="fair",
        effectiveness="medium",
        reason="Đạt yêu cầu, cần bổ sung số liệu quý sau.",
    )
    task = s.task(task_id)
    assert task["status"] == "completed" and task["report_category"] == "completed_on_time"
    assert task["result_document"] == "120/KH-STC"
    assert task["evaluation"]["quality"] == "fair" and task["evaluation"]["effectiveness"] == "medium"
    assert s.items(OFFICE, task_id=task_id) == [] and s.items(FINANCE, task_id=task_id) == []


def test_completion_is_approved_by_the_leadership_lao_cai_stc(s):
    task_id = reported_task(s, "lao-cai-stc-2017")
    assert s.items(OFFICE, title="Xác nhận hoàn thành", task_id=task_id) == []
    approve = s.item(LEADER, "Phê duyệt kết quả, xác nhận hoàn thành", task_id=task_id)
    s.complete(LEADER, approve, decision="confirm", quality="good", effectiveness="high")
    task = s.task(task_id)
    assert task["status"] == "completed" and task["evaluation"]["quality"] == "good"
    evaluated = [e for e in task["history"] if e["action"] == "task_evaluated"]
    assert evaluated[0]["actor"] == LEADER


def test_completion_after_the_deadline_counts_as_completed_late(s):
    task_id = reported_task(s, "ninh-thuan-2019", completed_on="2026-03-26")
    s.complete(OFFICE, s.item(OFFICE, "Xác nhận hoàn thành", task_id=task_id), decision="confirm")
    assert s.task(task_id)["report_category"] == "completed_late"


def test_completion_sent_back_returns_to_the_agency_with_the_reason(s):
    task_id = reported_task(s, "ninh-thuan-2019")
    confirm = s.item(OFFICE, "Xác nhận hoàn thành", task_id=task_id)
    short = s.submit(OFFICE, confirm, decision="send_back")
    assert short.status_code == 422 and short.json["error"]["fields"] == {
        "reason": "Vui lòng nhập «Nhận xét / lý do trả lại»."
    }
    s.complete(OFFICE, confirm, decision="send_back", reason="Thiếu phụ lục số liệu theo yêu cầu.")
    task = s.task(task_id)
    assert task["status"] == "in_progress" and task["completed_on"] is None
    assert task["report_category"] == "overdue"  # 27/03, the deadline 25/03 has passed
    assert s.work(task_id)["due_on"] == "2026-03-25"
    sent_back = [e for e in task["history"] if e["action"] == "model:completion_sent_back"]
    assert sent_back[0]["details"]["reason"] == "Thiếu phụ lục số liệu theo yêu cầu."


def test_completion_date_in_the_future_is_refused(s):
    s.use_profile("ninh-thuan-2019")
    s.freeze("2026-03-02T09:00:00+07:00")
    directive = s.register_and_assign(issued_on="2026-03-02", tasks=one_task(due_on="2026-03-25"))
    task_id = directive["tasks"][0]["id"]
    s.accept(task_id)
    refused = s.submit(FINANCE, s.work(task_id), completed_on="2026-03-05", **RESULT)
    assert (
        refused.status_code == 422
        and refused.json["error"]["message"] == "Ngày hoàn thành không được sau ngày hôm nay."
    )

"""R8 extension requests: filed early enough and only for locally set deadlines, forwarded by the
Office within its deadline, decided by the leadership, answered, and the deadline timers re-armed."""

from __future__ import annotations

from tests.scenario import FINANCE, LEADER, OFFICE, one_task

REASON = "Cần thêm thời gian lấy ý kiến các huyện về dự thảo."


def working_task(s, due_on: str, *, profile: str = "ninh-thuan-2019", **task: object) -> int:
    s.use_profile(profile)
    s.freeze("2026-03-02T09:00:00+07:00")
    directive = s.register_and_assign(issued_on="2026-03-02", tasks=one_task(due_on=due_on, **task))
    task_id = int(directive["tasks"][0]["id"])
    s.accept(task_id)
    return task_id


def ask(s, task_id: int, proposed: str, when: str):
    s.freeze(when)
    return s.submit(
        FINANCE,
        s.work(task_id),
        action="extension",
        proposed_due_on=proposed,
        extension_reason=REASON,
        request_document="88/STC-NS",
    )


def test_extension_refused_when_filed_2_working_days_before_deadline_ninh_thuan(s):
    task_id = working_task(s, "2026-03-20")  # Friday
    refused = ask(s, task_id, "2026-04-10", "2026-03-18T10:00:00+07:00")  # Wednesday: 19/03 and 20/03 left
    assert refused.status_code == 422
    error = refused.json["error"]
    assert error["code"] == "rule_refused"
    assert "phải gửi trước hạn ít nhất 3 ngày làm việc" in error["message"]
    assert "chỉ còn 2 ngày làm việc" in error["message"] and "20/03/2026" in error["message"]
    assert error["rule"] == "QĐ 69/2019/QĐ-UBND tỉnh Ninh Thuận, Điều 6 khoản 2 điểm c"
    task = s.task(task_id)
    assert task["due_on"] == "2026-03-20" and task["extension_requests"] == []
    assert s.work(task_id)  # nothing was kept: the agency can still report


def test_extension_refused_when_filed_6_calendar_but_2_working_days_before_deadline_over_the_holidays(s):
    task_id = working_task(s, "2026-05-04")  # Monday after 30/04, 01/05 and the weekend
    refused = ask(s, task_id, "2026-05-29", "2026-04-28T10:00:00+07:00")
    assert refused.status_code == 422 and "chỉ còn 2 ngày làm việc" in refused.json["error"]["message"]


def test_extension_refused_when_the_deadline_was_fixed_by_a_higher_authority(s):
    task_id = working_task(s, "2026-06-30", deadline_fixed_by_higher=True)
    refused = ask(s, task_id, "2026-07-31", "2026-03-10T10:00:00+07:00")
    assert refused.status_code == 422
    assert "do cấp trên ấn định" in refused.json["error"]["message"]
    assert refused.json["error"]["rule"].endswith("Điều 6 khoản 1 điểm d")


def test_extension_filed_3_working_days_before_is_forwarded_approved_and_rearms_the_deadline_timers(s):
    task_id = working_task(s, "2026-03-20")
    assert s.waiting_timers(task_id) == {
        "Quá hạn cập nhật kết quả": "2026-03-25T17:00:00+00:00",  # end of 25/03: 3 working days after
    }
    filed = ask(s, task_id, "2026-04-10", "2026-03-17T10:00:00+07:00")  # Tuesday: 3 working days left
    assert filed.status_code == 200, filed.json
    forward = s.item(OFFICE, "Trình đề nghị gia hạn", task_id=task_id)
    assert forward["due_on"] == "2026-03-19"  # the Office submits within 2 working days
    s.complete(OFFICE, forward, office_opinion="approve", office_note="Lý do chính đáng.")
    decide = s.item(LEADER, "Quyết định gia hạn", task_id=task_id)
    s.freeze("2026-03-19T15:00:00+07:00")
    s.complete(LEADER, decide, extension_decision="approve", new_due_on="2026-04-10", decision_note="Đồng ý.")
    answer = s.item(OFFICE, "Trả lời cơ quan chủ trì", task_id=task_id)
    s.complete(OFFICE, answer, answer_document="310/VPUB-TH")

    task = s.task(task_id)
    assert task["due_on"] == "2026-04-10" and task["original_due_on"] == "2026-03-20"
    assert task["due_rule"].startswith("Gia hạn theo quyết định ngày 19/03/2026")
    assert task["result_due_on"] == "2026-04-15"
    [request] = task["extension_requests"]
    assert request["status"] == "approved" and request["new_due_on"] == "2026-04-10"
    assert request["answer_document"] == "310/VPUB-TH" and request["office_opinion"].startswith("approve")
    assert s.work(task_id)["due_on"] == "2026-04-10"
    assert s.waiting_timers(task_id) == {"Quá hạn cập nhật kết quả": "2026-04-15T17:00:00+00:00"}
    # The old deadline's urging and reminders do not come any more; the new deadline's do.
    assert s.remind("2026-03-20T09:00:00") == set()
    assert s.remind("2026-03-26T09:00:00") == set()
    assert s.items(OFFICE, title="Đôn đốc thực hiện nhiệm vụ") == []
    assert s.task(task_id)["report_category"] == "in_progress_on_time"
    assert s.remind("2026-04-07T09:00:00") == {("due_soon", FINANCE), ("due_soon", "stc.giamdoc")}


def test_extension_refused_by_the_leadership_keeps_the_deadline_and_the_answer_is_recorded(s):
    task_id = working_task(s, "2026-03-31")
    assert ask(s, task_id, "2026-04-30", "2026-03-10T10:00:00+07:00").status_code == 200
    s.complete(
        OFFICE,
        s.item(OFFICE, "Trình đề nghị gia hạn", task_id=task_id),
        office_opinion="refuse",
        office_note="Nhiệm vụ trọng tâm, không đề xuất gia hạn.",
    )
    s.complete(
        LEADER,
        s.item(LEADER, "Quyết định gia hạn", task_id=task_id),
        extension_decision="refuse",
        decision_note="Yêu cầu hoàn thành đúng hạn.",
    )
    s.complete(
        OFFICE, s.item(OFFICE, "Trả lời cơ quan chủ trì", task_id=task_id), answer_document="299/VPUB-TH"
    )
    task = s.task(task_id)
    assert task["due_on"] == "2026-03-31" and task["original_due_on"] is None
    assert [r["status"] for r in task["extension_requests"]] == ["refused"]
    assert s.work(task_id)["due_on"] == "2026-03-31"


def test_office_late_to_forward_an_extension_request_is_reported_to_the_office_chief(s):
    task_id = working_task(s, "2026-03-31")
    ask(s, task_id, "2026-04-30", "2026-03-10T10:00:00+07:00")
    s.at("2026-03-12T23:00:00")
    assert s.notices("extension_forwarding_overdue") == []
    s.at("2026-03-13T00:30:00")
    assert [n["due_on"] for n in s.notices("extension_forwarding_overdue")] == ["2026-03-12"]

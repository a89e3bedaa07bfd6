"""R10: coordination requests with their own due dates and escalated delays; obstacles reported by
the agency, proposed on by the Office, decided by the leadership."""

from __future__ import annotations

from tests.scenario import CONSTRUCTION, FINANCE, LEADER, OFFICE, PLANNING, one_task


def working_task(s, due_on: str = "2026-04-30") -> int:
    s.use_profile("ninh-thuan-2019")
    s.freeze("2026-03-02T09:00:00+07:00")
    directive = s.register_and_assign(
        issued_on="2026-03-02", tasks=one_task(due_on=due_on, coordinating_units=["skhdt", "sxd"])
    )
    task_id = int(directive["tasks"][0]["id"])
    s.accept(task_id)
    return task_id


def request(s, task_id: int, unit: str, due_on: str) -> dict:
    return s.complete(
        FINANCE,
        s.work(task_id),
        action="coordinate",
        coordinating_unit=unit,
        request_text="Đề nghị cung cấp số liệu vốn đầu tư công năm 2025.",
        reply_due_on=due_on,
    )


def test_lead_agency_asks_each_coordinating_agency_by_its_own_date_and_gets_the_answers(s):
    task_id = working_task(s)
    request(s, task_id, "skhdt", "2026-03-06")
    request(s, task_id, "sxd", "2026-03-13")
    assert s.item(PLANNING, "Trả lời yêu cầu phối hợp", task_id=task_id)["due_on"] == "2026-03-06"
    assert s.item(CONSTRUCTION, "Trả lời yêu cầu phối hợp", task_id=task_id)["due_on"] == "2026-03-13"
    assert s.work(task_id)  # the lead agency keeps working meanwhile
    s.complete(
        PLANNING,
        s.item(PLANNING, "Trả lời yêu cầu phối hợp", task_id=task_id),
        coordination_answer="Gửi kèm bảng số liệu vốn đầu tư công năm 2025.",
    )
    requests = {r["unit"]: r for r in s.task(task_id)["coordination_requests"]}
    assert requests["skhdt"]["status"] == "answered" and requests["skhdt"]["answer"].startswith("Gửi kèm")
    assert requests["sxd"]["status"] == "open" and requests["sxd"]["due_on"] == "2026-03-13"


def test_coordination_delay_is_escalated_by_the_lead_agency_to_the_leadership(s):
    task_id = working_task(s)
    request(s, task_id, "sxd", "2026-03-06")
    s.at("2026-03-06T23:00:00")
    assert s.items(FINANCE, title="Báo cáo lãnh đạo việc chậm phối hợp") == []
    s.at("2026-03-07T00:10:00")
    escalate = s.item(FINANCE, "Báo cáo lãnh đạo việc chậm phối hợp", task_id=task_id)
    s.complete(FINANCE, escalate, escalation_note="Sở Xây dựng chưa cung cấp số liệu, đề nghị chỉ đạo.")
    instruct = s.item(LEADER, "Chỉ đạo cơ quan phối hợp", task_id=task_id)
    s.complete(LEADER, instruct, instruction="Sở Xây dựng gửi số liệu trước ngày 10/3.")
    [row] = s.task(task_id)["coordination_requests"]
    assert row["status"] == "escalated" and row["leadership_instruction"].startswith("Sở Xây dựng gửi")
    # The coordinating agency still answers: the request is then closed.
    s.complete(
        CONSTRUCTION,
        s.item(CONSTRUCTION, "Trả lời yêu cầu phối hợp", task_id=task_id),
        coordination_answer="Đã gửi số liệu theo yêu cầu.",
    )
    assert s.task(task_id)["coordination_requests"][0]["status"] == "answered"


def test_answer_before_the_date_closes_the_pending_escalation(s):
    task_id = working_task(s)
    request(s, task_id, "sxd", "2026-03-06")
    s.at("2026-03-09T09:00:00")
    assert s.item(FINANCE, "Báo cáo lãnh đạo việc chậm phối hợp", task_id=task_id)
    s.complete(
        CONSTRUCTION,
        s.item(CONSTRUCTION, "Trả lời yêu cầu phối hợp", task_id=task_id),
        coordination_answer="Xin lỗi vì chậm, gửi kèm số liệu.",
    )
    assert s.items(FINANCE, title="Báo cáo lãnh đạo việc chậm phối hợp") == []


def test_coordination_request_to_an_agency_that_is_not_a_coordinator_is_refused(s):
    task_id = working_task(s)
    refused = s.submit(
        FINANCE,
        s.work(task_id),
        action="coordinate",
        coordinating_unit="huyen-a",
        request_text="Đề nghị cung cấp số liệu.",
        reply_due_on="2026-03-06",
    )
    assert refused.status_code == 422
    assert refused.json["error"]["message"] == "UBND huyện A không phải đơn vị phối hợp của nhiệm vụ này."
    late = s.submit(
        FINANCE,
        s.work(task_id),
        action="coordinate",
        coordinating_unit="skhdt",
        request_text="Đề nghị cung cấp số liệu.",
        reply_due_on="2026-05-15",
    )
    assert late.status_code == 422 and "trong hạn của nhiệm vụ (30/04/2026)" in late.json["error"]["message"]


def report_obstacle(s, task_id: int) -> None:
    s.complete(
        FINANCE,
        s.work(task_id),
        action="obstacle",
        obstacle_description="Chưa có hướng dẫn của Bộ về định mức chi.",
        obstacle_cause="Văn bản hướng dẫn chưa ban hành.",
        obstacle_proposal="Đề nghị lùi thời hạn.",
    )
    assert s.task(task_id)["status"] == "in_progress_with_obstacles"
    s.complete(
        OFFICE,
        s.item(OFFICE, "Đề xuất hướng xử lý khó khăn, vướng mắc", task_id=task_id),
        office_proposal="adjust_deadline",
        office_note="Đề xuất lùi thời hạn một tháng.",
    )


def test_obstacle_decided_as_a_new_deadline_rearms_the_timers(s):
    task_id = working_task(s)
    report_obstacle(s, task_id)
    decide = s.item(LEADER, "Quyết định hướng xử lý khó khăn, vướng mắc", task_id=task_id)
    s.complete(
        LEADER,
        decide,
        obstacle_decision="adjust_deadline",
        adjusted_due_on="2026-05-29",
        obstacle_decision_note="Đồng ý lùi thời hạn.",
    )
    task = s.task(task_id)
    assert task["status"] == "in_progress" and task["due_on"] == "2026-05-29"
    assert task["obstacles"][0]["decision"] == "adjust_deadline"
    assert s.work(task_id)["due_on"] == "2026-05-29"
    # Results are now due 3 working days after 29/05: the end of Wed 03/06.
    assert s.waiting_timers(task_id) == {"Quá hạn cập nhật kết quả": "2026-06-03T17:00:00+00:00"}


def test_obstacle_decided_as_another_lead_agency_moves_the_work_there(s):
    task_id = working_task(s)
    report_obstacle(s, task_id)
    decide = s.item(LEADER, "Quyết định hướng xử lý khó khăn, vướng mắc", task_id=task_id)
    s.complete(LEADER, decide, obstacle_decision="change_lead", adjusted_lead_unit="sxd")
    task = s.task(task_id)
    assert task["lead_unit"] == "sxd" and task["coordinating_units"] == ["skhdt"]
    assert s.items(FINANCE, task_id=task_id) == []
    assert s.work(task_id, username=CONSTRUCTION)["due_on"] == "2026-04-30"


def test_obstacle_report_without_a_description_is_incomplete(s):
    task_id = working_task(s)
    incomplete = s.submit(FINANCE, s.work(task_id), action="obstacle")
    assert incomplete.status_code == 422
    assert incomplete.json["error"]["fields"] == {
        "obstacle_description": "Vui lòng nhập «Khó khăn, vướng mắc»."
    }


def test_completing_the_task_closes_the_coordination_requests_still_open(s):
    task_id = working_task(s)
    request(s, task_id, "sxd", "2026-03-13")
    assert s.item(CONSTRUCTION, "Trả lời yêu cầu phối hợp", task_id=task_id)
    s.complete(
        FINANCE,
        s.work(task_id),
        action="complete",
        result_summary="Đã hoàn thành mà không cần số liệu.",
        completed_on="2026-03-02",
        result_document="05/BC-STC",
    )
    assert s.item(CONSTRUCTION, "Trả lời yêu cầu phối hợp", task_id=task_id)  # still useful until closed
    s.complete(OFFICE, s.item(OFFICE, "Xác nhận hoàn thành", task_id=task_id), decision="confirm")
    assert s.items(CONSTRUCTION, task_id=task_id) == []
    assert s.task(task_id)["coordination_requests"][0]["status"] == "closed"
    s.at("2026-03-16T09:00:00")  # the request's date passes: no escalation for a closed request
    assert s.items(FINANCE, title="Báo cáo lãnh đạo việc chậm phối hợp") == []

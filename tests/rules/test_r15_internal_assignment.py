"""R15 inside the lead agency: head -> section -> officer, the agency's deadline covering its sections."""

from __future__ import annotations

from tests.scenario import FINANCE, one_task

HEAD, SECTION_HEAD, OFFICER = "stc.giamdoc", "stc.qlns.truongphong", "stc.qlns.chuyenvien"


def delegated_task(s, profile: str = "lao-cai-stc-2017") -> int:
    s.use_profile(profile)
    s.freeze("2026-03-02T09:00:00+07:00")
    directive = s.register_and_assign(issued_on="2026-03-02", tasks=one_task(due_on="2026-03-31"))
    task_id = int(directive["tasks"][0]["id"])
    s.accept(task_id)
    s.freeze("2026-03-03T09:00:00+07:00")
    s.complete(
        FINANCE, s.work(task_id), action="delegate", delegate_note="Đề nghị giao Phòng Quản lý ngân sách."
    )
    return task_id


def test_head_assigns_a_section_within_the_agency_deadline_and_the_result_comes_back(s):
    task_id = delegated_task(s)
    assign = s.item(HEAD, "Giao phòng chủ trì, cho ý kiến chỉ đạo", task_id=task_id)
    assert assign["due_on"] == "2026-03-31" and assign["role"] == "agency_head"
    too_late = s.submit(HEAD, assign, section="stc-qlns", section_due_on="2026-04-03")
    assert too_late.status_code == 422
    assert "phải trong hạn của cơ quan (31/03/2026)" in too_late.json["error"]["message"]
    not_ours = s.submit(HEAD, assign, section="huyen-a", section_due_on="2026-03-27")
    assert (
        not_ours.status_code == 422
        and "không phải đơn vị trực thuộc Sở Tài chính" in not_ours.json["error"]["message"]
    )
    s.complete(
        HEAD, assign, section="stc-qlns", section_due_on="2026-03-27", head_instructions="Ưu tiên xử lý."
    )

    receive = s.item(SECTION_HEAD, "Xác nhận việc được giao, phân công chuyên viên", task_id=task_id)
    assert (
        receive["due_on"] == "2026-03-04" and receive["unit"] == "stc-qlns"
    )  # 004:17.1.a: the next working day
    s.complete(SECTION_HEAD, receive, section_instructions="Đồng chí Minh chủ trì dự thảo.")
    process = s.item(OFFICER, "Xử lý, báo cáo kết quả", task_id=task_id)
    assert process["due_on"] == "2026-03-27"
    s.complete(OFFICER, process, internal_result="Đã hoàn thành dự thảo báo cáo gửi Lãnh đạo Sở.")
    review = s.item(SECTION_HEAD, "Kiểm tra kết quả của chuyên viên", task_id=task_id)
    s.complete(SECTION_HEAD, review, review_decision="send_back", review_note="Bổ sung số liệu quý I.")
    s.complete(
        OFFICER,
        s.item(OFFICER, "Xử lý, báo cáo kết quả", task_id=task_id),
        internal_result="Đã bổ sung số liệu quý I vào dự thảo.",
    )
    s.complete(
        SECTION_HEAD,
        s.item(SECTION_HEAD, "Kiểm tra kết quả của chuyên viên", task_id=task_id),
        review_decision="approve",
    )

    [assignment] = s.task(task_id)["internal_assignments"]
    assert assignment["status"] == "approved" and assignment["section"] == "stc-qlns"
    assert assignment["result"] == "Đã bổ sung số liệu quý I vào dự thảo."
    assert s.notices("internal_result_ready")
    assert s.work(task_id)  # the focal officer reports for the agency


def test_sections_of_another_agency_see_nothing(s):
    task_id = delegated_task(s)
    assert s.items("sxd.daumoi", task_id=task_id) == []
    assert s.as_("sxd.daumoi").get(f"/tasks/{task_id}").status_code == 404

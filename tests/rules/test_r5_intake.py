"""R5 intake: classification deadlines from the profile's table, reminder on the due day, escalation to
the Office chief once it has passed."""

from __future__ import annotations

from tests.scenario import CHIEF, FINANCE, OFFICE, one_task


def test_classification_due_2_working_days_after_issue_across_the_april_holidays_ninh_thuan(s):
    s.use_profile("ninh-thuan-2019")
    s.freeze("2026-04-29T09:00:00+07:00")
    directive = s.register(
        issued_on="2026-04-29", submitting_agency="Sở Tài chính", tasks=one_task(due_on="2026-06-30")
    )
    assert directive["submitting_agency"] == "Sở Tài chính"  # R1: cơ quan trình
    # 30/04 and 01/05 are holidays, 02-03/05 a weekend: Mon 04/05 and Tue 05/05 are the two days.
    assert directive["classify_due_on"] == "2026-05-05"
    assert directive["classify_rule"] == "QĐ 69/2019/QĐ-UBND tỉnh Ninh Thuận, Điều 7 khoản 1"
    assert directive["profile"] == "ninh-thuan-2019"
    assert s.item(OFFICE, "Phân loại, giao nhiệm vụ")["due_on"] == "2026-05-05"


def test_urgent_directive_is_classified_the_same_day_quynh_nhai(s):
    s.use_profile("quynh-nhai-2015")
    s.freeze("2026-03-06T09:00:00+07:00")
    friday = s.register(issued_on="2026-03-06", is_urgent=True, tasks=one_task(due_on="2026-03-13"))
    assert friday["classify_due_on"] == "2026-03-06"
    assert "Quỳnh Nhai, Điều 7 khoản 1" in friday["classify_rule"]
    # Issued on a Saturday "to be carried out at once": the same-day deadline moves to Monday.
    saturday = s.register(
        issued_on="2026-03-07", number="13", is_urgent=True, tasks=one_task(due_on="2026-03-13")
    )
    assert saturday["classify_due_on"] == "2026-03-09"


def test_directive_with_many_tasks_gets_7_working_days_ninh_thuan(s):
    s.use_profile("ninh-thuan-2019")
    s.freeze("2026-03-02T09:00:00+07:00")
    directive = s.register(issued_on="2026-03-02", is_complex=True, tasks=one_task(due_on="2026-06-30"))
    assert directive["classify_due_on"] == "2026-03-11"  # Mon 02/03 + 7 working days
    assert directive["is_complex"] is True


def test_directive_with_many_tasks_still_gets_2_working_days_quynh_nhai(s):
    s.use_profile("quynh-nhai-2015")
    s.freeze("2026-03-02T09:00:00+07:00")
    directive = s.register(issued_on="2026-03-02", is_complex=True, tasks=one_task(due_on="2026-06-30"))
    assert directive["classify_due_on"] == "2026-03-04"


def test_late_classification_is_escalated_to_the_office_chief_and_closes_when_classified(s):
    s.use_profile("ninh-thuan-2019")
    s.freeze("2026-03-02T09:00:00+07:00")
    directive = s.register(issued_on="2026-03-02", tasks=one_task(due_on="2026-06-30"))
    assert "Đôn đốc phân loại văn bản quá hạn" not in s.titles(CHIEF)
    # Whoever may take the step hears of it the working day before and on the due day.
    assert s.remind("2026-03-03T08:30:00") == {("due_soon", OFFICE), ("due_soon", CHIEF)}
    assert s.remind("2026-03-04T08:30:00") == {("due_today", OFFICE), ("due_today", CHIEF)}
    assert "Đôn đốc phân loại văn bản quá hạn" not in s.titles(CHIEF)
    s.at("2026-03-05T00:05:00")  # 04/03 has ended
    [late] = s.notices("classification_overdue")
    assert late["to_role"] == "office_chief" and late["due_on"] == "2026-03-04"
    escalation = s.item(CHIEF, "Đôn đốc phân loại văn bản quá hạn", directive_id=directive["id"])
    assert escalation["unit"] == "vp" and escalation["role"] == "office_chief"
    s.complete(CHIEF, escalation, chief_instruction="Đề nghị hoàn thành phân loại trong sáng nay.")
    s.classify(directive)
    assert s.titles(CHIEF, directive_id=directive["id"]) == set()
    assert s.items(FINANCE, title="Tiếp nhận nhiệm vụ", task_id=directive["tasks"][0]["id"])


def test_escalation_left_open_is_closed_when_the_office_classifies(s):
    s.use_profile("ninh-thuan-2019")
    s.freeze("2026-03-02T09:00:00+07:00")
    directive = s.register(issued_on="2026-02-20", tasks=one_task(due_on="2026-06-30"))
    # Registered after its deadline: the escalation is due at once.
    assert s.item(CHIEF, "Đôn đốc phân loại văn bản quá hạn", directive_id=directive["id"])
    s.classify(directive)
    assert s.items(CHIEF, directive_id=directive["id"]) == []
    detail = s.as_(CHIEF).get(f"/directives/{directive['id']}").json
    assert detail["status"] == "tracking" and detail["origin_level"] == "province"


def test_classification_starts_one_task_process_per_task(s):
    s.use_profile("ninh-thuan-2019")
    s.freeze("2026-03-02T09:00:00+07:00")
    tasks = [
        {"content": "Nhiệm vụ thứ nhất", "lead_unit": "stc", "due_on": "2026-04-30", "deliverable": "report"},
        {"content": "Nhiệm vụ thứ hai", "lead_unit": "sxd", "deliverable": "submit"},
        {
            "content": "Nhiệm vụ thứ ba",
            "lead_unit": "stc",
            "due_on": "2026-05-29",
            "deadline_fixed_by_higher": True,
        },
    ]
    directive = s.register_and_assign(issued_on="2026-03-02", tasks=tasks)
    ids = [t["id"] for t in directive["tasks"]]
    assert sorted(i["task_id"] for i in s.items(FINANCE, title="Tiếp nhận nhiệm vụ")) == [ids[0], ids[2]]
    assert [i["task_id"] for i in s.items("sxd.daumoi", title="Tiếp nhận nhiệm vụ")] == [ids[1]]
    classes = [(t["deliverable"], t["deadline_fixed_by_higher"]) for t in map(s.task, ids)]
    assert classes == [("report", False), ("submit", False), ("none", True)]


def test_directive_types_of_the_regulations_are_accepted_and_others_refused(s):
    s.freeze("2026-03-02T09:00:00+07:00")
    for doc_type in ("thong_bao_ket_luan", "phieu_chuyen", "chi_dao_truc_tiep", "cong_dien"):
        s.register(doc_type=doc_type, number=doc_type, tasks=one_task(due_on="2026-06-30"))
    refused = s.as_(OFFICE).post("/directives", {**s_payload(), "doc_type": "to_trinh"})
    assert refused.status_code == 422 and refused.json["error"]["fields"] == {
        "doc_type": "Loại văn bản không hợp lệ."
    }


def s_payload() -> dict:
    from tests.conftest import directive_payload

    return directive_payload()

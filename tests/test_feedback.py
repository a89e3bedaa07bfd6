"""Feedback (R11, 003:1.8(15.5)): a district reports a department late; the Office has 7 working
days to urge it by document or ask the leadership; the district is told the outcome."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Urging
from tests.staff import client_for
from tests.support import accept, notices_of, open_item, register_classified, run
from tests.test_persistence import csrf_from

TASKS = [
    {
        "content": "Giải ngân vốn hỗ trợ xây dựng nông thôn mới cho các xã",
        "lead_unit": "stc",
        "coordinating_units": ["huyen-a"],
        "due_on": "2026-02-27",
    }
]
LATE = "Đến nay Sở Tài chính chưa giải ngân vốn hỗ trợ cho 5 xã của huyện A, quá hạn 27/02/2026."


def report_late(api, task_id: int) -> None:
    sent = api("huyen-a.daumoi").post(f"/tasks/{task_id}/feedback", {"kind": "late", "content": LATE})
    assert sent.status_code == 201, sent.json


def test_a_district_s_feedback_gives_the_office_7_working_days_and_its_urging_reaches_the_district(
    app, api, freeze
):
    freeze("2026-02-16T09:00:00+07:00")
    directive = register_classified(api, issued_on="2026-02-16", tasks=TASKS)
    task_id = directive["tasks"][0]["id"]
    accept(api, "stc.daumoi", task_id)  # the department took the task on at once

    freeze("2026-03-02T09:00:00+07:00")  # Monday
    district = client_for(app, "huyen-a.daumoi")
    page = district.get(f"/directives/{directive['id']}").get_data(as_text=True)
    assert f'href="/feedback/new?task={task_id}"' in page
    form = district.get(f"/feedback/new?task={task_id}").get_data(as_text=True)
    short = district.post(
        "/feedback/new",
        data={"task": task_id, "kind": "late", "content": "chậm", "csrf_token": csrf_from(form)},
    )
    assert short.status_code == 422 and "Vui lòng mô tả cụ thể (ít nhất 20 ký tự)." in short.get_data(
        as_text=True
    )
    sent = district.post(
        "/feedback/new",
        data={"task": task_id, "kind": "late", "content": LATE, "csrf_token": csrf_from(form)},
    )
    assert sent.status_code == 302

    handle = open_item("Xử lý thông tin phản hồi", task_id=task_id)
    assert handle.candidate_unit.code == "vp" and handle.candidate_role == "office_officer"
    assert handle.due_on.isoformat() == "2026-03-11"  # 7 working days after Monday 02/03
    office = client_for(app, "vp.chuyenvien")
    item_page = office.get(f"/work-items/{handle.id}").get_data(as_text=True)
    assert "không đúng thời hạn" in item_page and LATE in item_page  # the report is in the history

    freeze("2026-03-05T14:00:00+07:00")
    done = api("vp.chuyenvien").post(
        f"/work-items/{handle.id}/complete",
        {
            "data": {
                "check_result": "Đã kiểm tra với Sở Tài chính: hồ sơ giải ngân còn chờ thẩm định.",
                "decision": "urging_document",
                "doc_reference": "245/VP-KT",
                "doc_date": "2026-03-05",
                "doc_signer": "Trần Thị Bình",
                "urging_message": "Đề nghị Sở Tài chính giải ngân vốn hỗ trợ cho các xã trước 13/03/2026.",
            }
        },
    )
    assert done.status_code == 200 and done.json["next"] == []
    urging = db.session.scalars(select(Urging)).one()
    assert (urging.source, urging.doc_reference, [t.id for t in urging.tasks]) == (
        "feedback",
        "245/VP-KT",
        [task_id],
    )
    history = api("stc.daumoi").get(f"/tasks/{task_id}").json["history"]
    actions = [e["action"] for e in history]
    assert actions.index("feedback_received") < actions.index("task_urged")

    outcome = notices_of("huyen-a.daumoi")
    assert [n.kind for n in outcome] == ["feedback_outcome"]
    assert "Văn bản: 245/VP-KT ngày 05/03/2026, người ký Trần Thị Bình" in outcome[0].body
    assert [n.kind for n in notices_of("stc.daumoi")] == ["urged"]

    freeze("2026-03-12T00:01:00+07:00")  # handled in time: the late alarm must not ring
    run("timers")
    assert [n.kind for n in notices_of("vp.chanh")] == []


def test_the_office_asks_the_leadership_and_the_direction_goes_to_the_district_and_the_department(
    api, freeze
):
    freeze("2026-02-16T09:00:00+07:00")
    directive = register_classified(api, issued_on="2026-02-16", tasks=TASKS)
    task_id = directive["tasks"][0]["id"]
    freeze("2026-03-02T09:00:00+07:00")
    report_late(api, task_id)
    handle = open_item("Xử lý thông tin phản hồi", task_id=task_id)
    missing = api("vp.chuyenvien").post(
        f"/work-items/{handle.id}/complete",
        {
            "data": {
                "check_result": "Sở Tài chính chậm do vướng thủ tục.",
                "decision": "urging_document",
                "urging_message": "Đề nghị khẩn trương giải ngân.",
            }
        },
    )
    assert missing.status_code == 422 and set(missing.json["error"]["fields"]) == {
        "doc_reference",
        "doc_date",
        "doc_signer",
    }
    asked = api("vp.chuyenvien").post(
        f"/work-items/{handle.id}/complete",
        {
            "data": {
                "check_result": "Sở Tài chính chậm do vướng thủ tục thẩm định dự toán.",
                "decision": "ask_leadership",
                "urging_message": "Kính trình Chủ tịch cho ý kiến chỉ đạo việc giải ngân vốn hỗ trợ.",
            }
        },
    )
    assert asked.status_code == 200
    opinion = open_item("Cho ý kiến chỉ đạo về thông tin phản hồi", task_id=task_id)
    assert opinion.candidate_role == "leader"
    leader = api("ct.ubnd")
    assert (
        leader.post(
            f"/work-items/{opinion.id}/complete",
            {
                "data": {
                    "opinion": "Giao Sở Tài chính hoàn thành giải ngân trong tháng 3/2026.",
                    "notice_reference": "88/TB-UBND",
                }
            },
        ).status_code
        == 200
    )
    for username in ("huyen-a.daumoi", "stc.daumoi"):
        notices = notices_of(username)
        assert [n.kind for n in notices] == ["feedback_outcome"]
        assert "Giao Sở Tài chính hoàn thành giải ngân" in notices[0].body and "88/TB-UBND" in notices[0].body
    history = leader.get(f"/tasks/{task_id}").json["history"]
    assert any(e["action"] == "model:leadership_direction" for e in history)
    assert db.session.scalars(select(Urging)).all() == []


def test_feedback_left_unhandled_alerts_the_office_chief_once_after_7_working_days(api, freeze):
    freeze("2026-02-16T09:00:00+07:00")
    directive = register_classified(api, issued_on="2026-02-16", tasks=TASKS)
    accept(api, "stc.daumoi", directive["tasks"][0]["id"])
    freeze("2026-03-02T09:00:00+07:00")
    report_late(api, directive["tasks"][0]["id"])
    # The task's own result deadline (3 working days after 27/02) passes on 04/03: that timer gives the
    # Office an urging step of the task's process, not the feedback alarm this test is about.
    freeze("2026-03-05T09:00:00+07:00")
    assert run("timers").summary["fired"] == 1
    freeze("2026-03-11T23:59:00+07:00")
    assert run("timers").summary["fired"] == 0
    freeze("2026-03-12T00:01:00+07:00")
    assert run("timers").summary["fired"] == 1
    assert run("timers").summary["fired"] == 0
    assert [n.title for n in notices_of("vp.chanh")] == [
        "Quá hạn xử lý phản hồi về nhiệm vụ của văn bản 12/QĐ-UBND (hạn 11/03/2026)"
    ]
    open_item("Xử lý thông tin phản hồi", task_id=directive["tasks"][0]["id"])  # still waiting for the Office


def test_only_a_concerned_body_other_than_the_lead_agency_may_report(app, api, freeze):
    freeze("2026-02-16T09:00:00+07:00")
    directive = register_classified(api, issued_on="2026-02-16", tasks=TASKS)
    task_id = directive["tasks"][0]["id"]
    body = {"kind": "wrong", "content": "Thực hiện không đúng nội dung chỉ đạo của UBND tỉnh."}
    assert api("stc.daumoi").post(f"/tasks/{task_id}/feedback", body).status_code == 403  # the lead agency
    assert api("sxd.daumoi").post(f"/tasks/{task_id}/feedback", body).status_code == 404  # not concerned
    assert client_for(app, "stc.daumoi").get(f"/feedback/new?task={task_id}").status_code == 404
    bad = api("huyen-a.daumoi").post(f"/tasks/{task_id}/feedback", {"kind": "other", "content": ""})
    assert bad.status_code == 422 and set(bad.json["error"]["fields"]) == {"kind", "content"}

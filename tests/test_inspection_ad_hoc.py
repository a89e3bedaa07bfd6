"""An ad hoc inspection (000:11.2, 001:14.2) from proposal to closed dossier, over the API and the real
engine, with the clock crossing the 7-working-day report deadline over the 30/4-1/5 holidays."""

from __future__ import annotations

import io

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app.extensions import db
from app.models import Directive, Inspection, ProcessInstance, Task
from app.services.inspections.dossier import add_document
from app.services.inspections.followup import create_followup_directive
from app.services.inspections.publication import published_conclusions
from app.services.timers import run_due
from tests.inspection_support import (
    complete,
    decision,
    item,
    notices,
    open_as,
    proposal,
    report,
    unit_id,
)

PDF = b"%PDF-1.4\n% signed scan\n"


def pdf(name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(PDF), filename=name, content_type="application/pdf")


def test_ad_hoc_inspection_reports_within_7_working_days_over_the_may_holidays_with_reminders_and_escalation(
    api, user, freeze
):
    freeze("2026-04-20T09:00:00+07:00")
    office, chairman, head = api("vp.chuyenvien"), api("ct.ubnd"), api("vp.chanh")
    finance, construction = api("stc.daumoi"), api("sxd.daumoi")
    inspection = open_as(
        user("vp.chuyenvien"),
        kind="ad_hoc",
        title="Kiểm tra đột xuất việc giải ngân vốn đầu tư công",
        decider="chairman",
        trigger="signals",
        reason="Sở Xây dựng có 3 nhiệm vụ quá hạn và bị nhắc nhiều lần trong quý I.",
    )
    assert inspection.status == "drafting"

    draft = item(office, "Lập kế hoạch, đề xuất kiểm tra và dự kiến Đoàn kiểm tra", scope="unit")
    refused = complete(office, draft, proposal(["stc", "sxd"], team=[proposal([])["team"][1]]), status=422)
    assert refused.json["error"]["fields"] == {"team": "Đoàn kiểm tra phải có đúng một Trưởng đoàn."}
    complete(office, draft, proposal(["stc", "sxd"]))
    db.session.expire_all()
    assert db.session.get(Inspection, inspection.id).status == "awaiting_decision"

    # The Chairman, not the Office, issues the decision; the agencies do not see the step.
    decide = item(chairman, "Ban hành quyết định kiểm tra")
    assert finance.get(f"/work-items/{decide['id']}").status_code == 404
    missing = complete(chairman, decide, {"decision": "issue"}, status=422)
    assert set(missing.json["error"]["fields"]) == {
        "decision_number",
        "decision_symbol",
        "signed_on",
        "signer_name",
        "signer_title",
    }
    complete(chairman, decide, decision())

    db.session.expire_all()
    inspection = db.session.get(Inspection, inspection.id)
    assert inspection.status == "in_progress" and inspection.decision_reference == "15/QĐ-UBND"
    assert inspection.report_days == 7
    assert [s.unit.code for s in inspection.subjects] == ["stc", "sxd"]
    issued = notices(inspection, "inspection_decision_issued")
    assert issued == [
        {
            "kind": "inspection_decision_issued",
            "to_role": "focal_officer",
            "unit_ids": [unit_id("stc"), unit_id("sxd")],
        }
    ]

    # Each inspected unit gets its own document request; the team head gets the conduct step by name.
    requests = {
        u: item(c, "Báo cáo, cung cấp hồ sơ cho Đoàn kiểm tra")
        for u, c in (("stc", finance), ("sxd", construction))
    }
    assert {r["unit"] for r in requests.values()} == {"stc", "sxd"}
    assert {r["due_on"] for r in requests.values()} == {"2026-04-24"}
    conduct = item(head, "Tiến hành kiểm tra, lập biên bản", scope="mine")
    assert conduct["assignee"] == "vp.chanh" and conduct["due_on"] == "2026-04-28"
    assert office.post(f"/work-items/{conduct['id']}/claim").status_code == 404  # named to the head only

    freeze("2026-04-23T10:00:00+07:00")
    complete(
        finance,
        requests["stc"],
        {"report_summary": "Đã hoàn thành 9/10 nhiệm vụ; gửi kèm báo cáo số 45/BC-STC."},
    )

    # 08:00 on the due day: a reminder to the unit that has not reported, only to that one.
    freeze("2026-04-24T08:30:00+07:00")
    assert run_due().fired >= 1
    reminders = notices(inspection, "inspection_documents_due")
    assert [n["unit_id"] for n in reminders] == [unit_id("sxd")]
    # The due day ended: the late unit, the team head and the Chairman are told.
    freeze("2026-04-25T00:30:00+07:00")
    run_due()
    overdue = notices(inspection, "inspection_documents_overdue")
    assert {(n["to_role"], n.get("unit_id"), n.get("user_id")) for n in overdue} == {
        ("focal_officer", unit_id("sxd"), None),
        ("inspection_team_head", None, user("vp.chanh").id),
        ("leader", unit_id("tinh"), None),
    }

    freeze("2026-04-27T09:00:00+07:00")
    complete(
        construction,
        requests["sxd"],
        {
            "report_summary": "Báo cáo tình hình thực hiện 12 nhiệm vụ được giao.",
            "documents": "Báo cáo 88/BC-SXD ngày 27/4/2026",
        },
    )
    freeze("2026-04-28T16:00:00+07:00")
    complete(
        head,
        conduct,
        {"ended_on": "2026-04-28", "minutes_summary": "Đoàn đã làm việc tại hai Sở, lập 02 biên bản."},
    )

    # 7 working days after Tue 28/04: 29/04, then 30/04 and 01/05 are holidays and 02-03/05 a weekend,
    # so 04, 05, 06, 07, 08 and 11/05: the report is due Monday 11/05/2026, not 05/05.
    report_step = item(head, "Báo cáo kết quả kiểm tra", scope="mine")
    assert report_step["due_on"] == "2026-05-11" and report_step["assignee"] == "vp.chanh"
    db.session.expire_all()
    assert db.session.get(Inspection, inspection.id).report_due_on.isoformat() == "2026-05-11"

    freeze("2026-05-08T23:00:00+07:00")
    run_due()
    assert notices(inspection, "inspection_report_due") == []
    freeze("2026-05-11T08:30:00+07:00")
    run_due()
    assert [n["user_id"] for n in notices(inspection, "inspection_report_due")] == [user("vp.chanh").id]
    assert notices(inspection, "inspection_report_overdue") == []
    freeze("2026-05-12T00:30:00+07:00")
    run_due()
    escalated = notices(inspection, "inspection_report_overdue")
    assert {n["to_role"] for n in escalated} == {"leader", "office_chief", "inspection_team_head"}
    db.session.expire_all()
    assert db.session.get(Inspection, inspection.id).is_report_overdue is True
    assert run_due().fired == 0  # each timer fires once

    freeze("2026-05-12T10:00:00+07:00")
    complete(head, report_step, report(["stc", "sxd"], recommendation_unit="sxd"))
    review = item(chairman, "Cho ý kiến về báo cáo kết quả kiểm tra")
    complete(chairman, review, {"decision": "approve", "note": "Đồng ý kết luận."})
    results = notices(inspection, "inspection_result")
    assert {n["to_role"] for n in results} == {"focal_officer", "emulation_council"}

    db.session.expire_all()
    inspection = db.session.get(Inspection, inspection.id)
    assert inspection.status == "concluded" and inspection.reported_on.isoformat() == "2026-05-12"
    assert [(c.unit.code, c.severity) for c in inspection.conclusions] == [("stc", "minor"), ("sxd", "minor")]

    # No profile chosen: conclusions are published (001:17.3.b) through the Office's step.
    assert published_conclusions() == []
    complete(
        office, item(office, "Đăng tải công khai kết luận kiểm tra"), {"note": "Cổng thông tin điện tử tỉnh"}
    )
    assert [p.unit_name for p in published_conclusions()] == ["Sở Tài chính", "Sở Xây dựng"]

    # Closing needs the mandatory dossier items.
    close = item(office, "Hoàn thiện hồ sơ, kết thúc kiểm tra")
    refused = complete(office, close, {}, status=422)
    message = refused.json["error"]["fields"]["_form"]
    assert (
        "mục 1" in message and "mục 7" in message and "mục 4" not in message
    )  # both units reported in the system
    officer = user("vp.chuyenvien")
    db.session.expire_all()
    inspection = db.session.get(Inspection, inspection.id)
    for no, name in (
        (1, "QĐ 15 đã ký.pdf"),
        (2, "Văn bản giao nhiệm vụ.pdf"),
        (5, "Văn bản chỉ đạo kiểm tra.pdf"),
        (6, "Biên bản kiểm tra.pdf"),
        (7, "Báo cáo 07 đã ký.pdf"),
    ):
        add_document(officer, inspection, item_no=no, title="", upload=pdf(name))
    db.session.commit()
    complete(office, close, {"note": "Đã đủ hồ sơ."})
    db.session.expire_all()
    inspection = db.session.get(Inspection, inspection.id)
    assert inspection.status == "closed"
    assert db.session.get(ProcessInstance, inspection.instance_id).status == "completed"

    # One click: the recommendation becomes a task of a follow-up directive, tracked like any task.
    directive = create_followup_directive(officer, inspection)
    db.session.commit()
    assert directive.reference == "07/BC-ĐKT" and directive.doc_type == "thong_bao_ket_luan"
    task = db.session.scalars(select(Task).where(Task.directive_id == directive.id)).one()
    assert (
        task.lead_unit.code == "sxd"
        and task.due_on.isoformat() == "2026-06-30"
        and task.status == "not_received"
    )
    assert inspection.recommendations[0].task_id == task.id
    assert item(office, "Phân loại, giao nhiệm vụ")["directive_id"] == directive.id
    assert db.session.scalar(select(Directive.id).where(Directive.id == directive.id)) is not None


def test_the_leader_sends_the_proposal_back_and_then_refuses_to_inspect(api, user, freeze):
    freeze("2026-04-20T09:00:00+07:00")
    office, chairman = api("vp.chuyenvien"), api("ct.ubnd")
    inspection = open_as(
        user("vp.chuyenvien"),
        kind="ad_hoc",
        title="Kiểm tra đột xuất công tác cải cách hành chính",
        decider="chairman",
        trigger="leader_request",
        reason="Theo ý kiến chỉ đạo của Chủ tịch tại phiên họp.",
    )
    complete(
        office, item(office, "Lập kế hoạch, đề xuất kiểm tra và dự kiến Đoàn kiểm tra"), proposal(["stc"])
    )
    decide = item(chairman, "Ban hành quyết định kiểm tra")
    assert complete(chairman, decide, {"decision": "revise"}, status=422).json["error"]["fields"] == {
        "note": "Vui lòng nhập «Ý kiến / lý do»."
    }
    complete(chairman, decide, {"decision": "revise", "note": "Bổ sung Sở Xây dựng vào đối tượng kiểm tra."})
    db.session.expire_all()
    assert db.session.get(Inspection, inspection.id).status == "revision_requested"
    complete(
        office,
        item(office, "Lập kế hoạch, đề xuất kiểm tra và dự kiến Đoàn kiểm tra"),
        proposal(["stc", "sxd"]),
    )
    db.session.expire_all()
    assert [s.unit.code for s in db.session.get(Inspection, inspection.id).subjects] == ["stc", "sxd"]
    complete(
        chairman,
        item(chairman, "Ban hành quyết định kiểm tra"),
        {"decision": "reject", "note": "Đã kiểm tra nội dung này trong quý trước."},
    )
    db.session.expire_all()
    inspection = db.session.get(Inspection, inspection.id)
    assert inspection.status == "cancelled" and inspection.last_note.startswith("Đã kiểm tra")
    assert db.session.get(ProcessInstance, inspection.instance_id).status == "completed"

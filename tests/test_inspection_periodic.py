"""A periodic inspection under an approved yearly plan, conducted by a department inside its own scope
(001:12.2, 001:15.2), reporting to the Office (001:17.1), under the Quỳnh Nhai rules (000:14.1: 7 working
days, no publication step), with the clock crossing the deadline over the 2/9 National Day holidays."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.forms import FormInvalid
from app.models import Inspection, InspectionPlan, WorkItem
from app.services.inspections.opening import approve_plan, create_plan
from app.services.timers import run_due
from tests.inspection_support import (
    agency_people,
    complete,
    decision,
    item,
    notices,
    open_as,
    proposal,
    report,
    set_profile,
    unit_id,
)


def test_periodic_inspection_needs_an_approved_plan_and_reports_by_11_september_over_national_day(
    api, user, freeze
):
    agency_people()
    set_profile("quynh-nhai-2015")
    freeze("2026-08-17T09:00:00+07:00")
    drafter = user("stc.daumoi")
    plan = create_plan(
        drafter,
        year=2026,
        title="Kế hoạch kiểm tra nội bộ năm 2026 của Sở Tài chính",
        content="Quý III: kiểm tra Phòng Quản lý ngân sách về thực hiện nhiệm vụ UBND tỉnh giao.",
    )
    db.session.commit()
    with pytest.raises(FormInvalid) as refused:
        open_as(
            drafter,
            kind="periodic",
            title="Kiểm tra Phòng Quản lý ngân sách quý III/2026",
            decider="agency_head",
            plan_id=plan.id,
        )
    assert refused.value.errors == {"plan_id": "Kiểm tra định kỳ phải theo một kế hoạch đã được phê duyệt."}
    db.session.rollback()
    with pytest.raises(PermissionError):
        approve_plan(user("ct.ubnd"), db.session.get(InspectionPlan, plan.id))  # the agency head approves it
    approve_plan(user("stc.giamdoc"), db.session.get(InspectionPlan, plan.id))
    db.session.commit()

    inspection = open_as(
        drafter,
        kind="periodic",
        title="Kiểm tra Phòng Quản lý ngân sách quý III/2026",
        decider="agency_head",
        plan_id=plan.id,
    )
    assert inspection.owner_unit.code == "stc" and inspection.leader_role == "agency_head"

    finance, director, section = api("stc.daumoi"), api("stc.giamdoc"), api("stc-qlns.daumoi")
    head, office = api("stc.thanhtra"), api("vp.chuyenvien")
    team = [
        {
            "full_name": "Lý Thị Lan",
            "position": "Chánh Thanh tra Sở",
            "role": "head",
            "username": "stc.thanhtra",
        },
        {"full_name": "Phạm Thị Dung", "position": "Chuyên viên Văn phòng Sở", "role": "member"},
    ]
    complete(
        finance,
        item(finance, "Lập kế hoạch, đề xuất kiểm tra và dự kiến Đoàn kiểm tra"),
        proposal(
            ["stc-qlns"],
            team=team,
            starts_on="2026-08-24",
            ends_on="2026-08-28",
            documents_due_on="2026-08-25",
        ),
    )
    assert [i["title"] for i in office.get("/work-items").json] == []  # the Office is not asked yet
    complete(
        director,
        item(director, "Ban hành quyết định kiểm tra"),
        decision(
            "21", "QĐ-STC", signed_on="2026-08-20", signer_name="Ngô Văn Khánh", signer_title="GIÁM ĐỐC"
        ),
    )

    request = item(section, "Báo cáo, cung cấp hồ sơ cho Đoàn kiểm tra")
    assert request["unit"] == "stc-qlns" and request["due_on"] == "2026-08-25"
    freeze("2026-08-25T15:00:00+07:00")
    complete(
        section, request, {"report_summary": "Phòng đã thực hiện 14/15 nhiệm vụ; 01 nhiệm vụ đang vướng mắc."}
    )
    freeze("2026-08-26T00:30:00+07:00")
    run_due()
    db.session.expire_all()
    inspection = db.session.get(Inspection, inspection.id)
    # The only unit reported in time: the request's reminders were withdrawn, nobody is warned.
    assert notices(inspection, "inspection_documents_overdue") == []
    assert notices(inspection, "inspection_documents_due") == []

    freeze("2026-08-28T16:00:00+07:00")
    complete(
        head,
        item(head, "Tiến hành kiểm tra, lập biên bản", scope="mine"),
        {
            "ended_on": "2026-08-28",
            "minutes_summary": "Đã làm việc với Phòng Quản lý ngân sách, lập biên bản.",
        },
    )
    # 7 working days after Fri 28/08: 31/08 is swapped off (make-up Saturday 22/08), 01-02/09 are the National
    # Day holidays, so 03, 04, 07, 08, 09, 10 and 11/09: due Friday 11/09/2026 (000:14.1).
    report_step = item(head, "Báo cáo kết quả kiểm tra", scope="mine")
    assert report_step["due_on"] == "2026-09-11"

    freeze("2026-09-04T23:59:00+07:00")
    assert run_due().fired == 0
    freeze("2026-09-12T00:05:00+07:00")
    assert run_due().fired == 2  # the 08:00 reminder and the end-of-day escalation, caught up together
    escalated = notices(inspection, "inspection_report_overdue")
    assert {(n["to_role"], n.get("unit_id")) for n in escalated} == {
        ("agency_head", unit_id("stc")),
        ("office_chief", unit_id("vp")),
        ("inspection_team_head", None),
    }

    freeze("2026-09-14T09:00:00+07:00")
    complete(head, report_step, report(["stc-qlns"], recommendation_unit="stc-qlns"))
    complete(
        director,
        item(director, "Cho ý kiến về báo cáo kết quả kiểm tra"),
        {"decision": "send_back", "note": "Bổ sung nguyên nhân của nhiệm vụ vướng mắc."},
    )
    sent_back = item(head, "Báo cáo kết quả kiểm tra", scope="mine")
    assert sent_back["assignee"] == "stc.thanhtra" and sent_back["due_on"] == "2026-09-11"
    complete(head, sent_back, report(["stc-qlns"], recommendation_unit="stc-qlns"))
    complete(director, item(director, "Cho ý kiến về báo cáo kết quả kiểm tra"), {"decision": "approve"})
    council = [n for n in notices(inspection, "inspection_result") if n["to_role"] == "emulation_council"]
    assert council == [
        {"kind": "inspection_result", "to_role": "emulation_council", "unit_id": unit_id("tinh")}
    ]

    # An agency's own inspection reports to the Office (001:17.1); Quỳnh Nhai has no publication step.
    receipt = item(office, "Tiếp nhận báo cáo kết quả kiểm tra của cơ quan")
    assert receipt["unit"] == "vp"
    complete(office, receipt, {"note": "Đã tổng hợp vào báo cáo tháng."})
    titles = [i["title"] for i in finance.get("/work-items").json]
    assert titles == ["Hoàn thiện hồ sơ, kết thúc kiểm tra"]
    db.session.expire_all()
    inspection = db.session.get(Inspection, inspection.id)
    assert inspection.status == "concluded" and inspection.is_publish_required is False
    assert inspection.is_report_overdue is True and inspection.reported_on.isoformat() == "2026-09-14"
    assert all(c.published_at is None for c in inspection.conclusions)
    assert (
        db.session.scalar(select(WorkItem.id).where(WorkItem.title == "Đăng tải công khai kết luận kiểm tra"))
        is None
    )


def test_the_report_deadline_is_read_from_the_decision_table_of_the_profile_in_force(
    api, user, freeze, tmp_path
):
    """An administrator edits the Quỳnh Nhai row to 10 days and deploys: new inspections count 10."""
    import shutil
    from pathlib import Path

    from app.services.models_deploy import deploy_directory

    models = tmp_path / "bpmn"
    shutil.copytree(Path(__file__).resolve().parents[1] / "bpmn", models)
    dmn = models / "rules" / "inspection.dmn"
    text = dmn.read_text(encoding="utf-8")
    dmn.write_text(
        text.replace(
            '<outputEntry id="Out_quynh_nhai_days"><text>7</text>',
            '<outputEntry id="Out_quynh_nhai_days"><text>10</text>',
        ),
        encoding="utf-8",
    )
    outcomes = {o.process_id: o for o in deploy_directory(models, note="Quỳnh Nhai: 10 ngày")}
    assert outcomes["inspection"].changed and not outcomes["task_lifecycle"].changed
    db.session.commit()

    set_profile("quynh-nhai-2015")
    freeze("2026-04-20T09:00:00+07:00")
    office, chairman, head, finance = api("vp.chuyenvien"), api("ct.ubnd"), api("vp.chanh"), api("stc.daumoi")
    open_as(
        user("vp.chuyenvien"),
        kind="ad_hoc",
        title="Kiểm tra đột xuất theo bảng quyết định mới",
        decider="chairman",
        trigger="other",
        reason="Theo đề nghị của Thanh tra tỉnh.",
    )
    complete(
        office, item(office, "Lập kế hoạch, đề xuất kiểm tra và dự kiến Đoàn kiểm tra"), proposal(["stc"])
    )
    complete(chairman, item(chairman, "Ban hành quyết định kiểm tra"), decision())
    complete(
        finance,
        item(finance, "Báo cáo, cung cấp hồ sơ cho Đoàn kiểm tra"),
        {"report_summary": "Báo cáo kết quả thực hiện nhiệm vụ quý I."},
    )
    complete(
        head,
        item(head, "Tiến hành kiểm tra, lập biên bản"),
        {"ended_on": "2026-04-28", "minutes_summary": "Đã lập biên bản làm việc."},
    )
    # 10 working days after 28/04: 29/04, 04-08/05, 11-14/05 -> 14/05/2026 (7 would give 11/05).
    assert item(head, "Báo cáo kết quả kiểm tra")["due_on"] == "2026-05-14"

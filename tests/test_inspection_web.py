"""The inspection pages as staff use them: open from the signals view, fill the proposal with its team,
see Vietnamese errors, follow the steps, file the dossier; other agencies cannot look in."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import AuditEvent, Inspection, Task, WorkItem
from app.services import directives, urging
from app.services.inspections.signals import unit_signals
from tests.conftest import directive_payload
from tests.inspection_support import complete, decision, item, unit_id
from tests.test_persistence import csrf_from, login


def overdue_construction_tasks(user, n: int = 3) -> None:  # type: ignore[no-untyped-def]
    """Tasks of the Construction department whose deadlines have passed, each urged once."""
    officer = user("vp.chuyenvien")
    today = clock.today()
    payload = directive_payload(
        issued_on=(today - timedelta(days=40)).isoformat(),
        tasks=[
            {
                "content": f"Nhiệm vụ xây dựng số {i}",
                "lead_unit": "sxd",
                "due_on": (today - timedelta(days=5)).isoformat(),
            }
            for i in range(n)
        ]
        + [
            {
                "content": "Nhiệm vụ tài chính còn hạn",
                "lead_unit": "stc",
                "due_on": (today + timedelta(days=20)).isoformat(),
            }
        ],
    )
    directive = directives.register_directive(directives.parse_directive(payload), officer)
    db.session.flush()
    for task in directive.tasks[:n]:
        urging.send_urging(
            officer, urging.UrgingInput([task.id], "Đề nghị khẩn trương hoàn thành, báo cáo về Văn phòng.")
        )
    db.session.commit()


def test_signals_flag_the_late_unit_and_open_an_ad_hoc_proposal_prefilled(client, user, freeze):
    freeze("2026-04-20T09:00:00+07:00")
    overdue_construction_tasks(user)
    rows = {r.unit.code: r for r in unit_signals(user("vp.chuyenvien"))}
    assert (rows["sxd"].overdue_tasks, rows["sxd"].urgings) == (3, 3)
    assert "stc" not in rows or rows["stc"].overdue_tasks == 0
    assert unit_signals(user("stc.daumoi")) == [] or all(
        r.unit.code == "stc" for r in unit_signals(user("stc.daumoi"))
    )

    login(client, "stc.daumoi")
    assert client.get("/inspections/signals").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/inspections/").get_data(as_text=True))})

    login(client, "vp.chuyenvien")
    page = client.get("/inspections/signals").get_data(as_text=True)
    assert 'data-unit="sxd"' in page and "Có dấu hiệu" in page
    link = re.search(r'href="(/inspections/new\?[^"]*unit_id=' + str(unit_id("sxd")) + r'[^"]*)"', page)
    assert link, "a proposal can be opened from the signals view"
    form = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "3 nhiệm vụ quá hạn" in form and "Sở Xây dựng" in form
    values = {
        "csrf_token": csrf_from(form),
        "kind": "ad_hoc",
        "trigger": "signals",
        "decider": "chairman",
        "title": "Kiểm tra đột xuất việc thực hiện nhiệm vụ tại Sở Xây dựng",
        "reason": "Sở Xây dựng: 3 nhiệm vụ quá hạn, 3 lần bị nhắc, đôn đốc.",
        "unit_id": str(unit_id("sxd")),
    }
    opened = client.post("/inspections/new", data=values)
    assert opened.status_code == 302
    inspection = db.session.scalars(select(Inspection)).one()
    assert inspection.trigger == "signals" and inspection.kind == "ad_hoc"

    step_id = db.session.scalar(select(WorkItem.id).where(WorkItem.instance_id == inspection.instance_id))
    assert (
        client.get(f"/work-items/{step_id}")
        .headers["Location"]
        .endswith(f"/inspections/{inspection.id}/steps/{step_id}")
    )
    step = client.get(f"/inspections/{inspection.id}/steps/{step_id}").get_data(as_text=True)
    assert re.search(f'value="{unit_id("sxd")}" checked', step), "the signalled unit is pre-selected"
    token = csrf_from(step)
    base = {
        "csrf_token": token,
        "title": inspection.title,
        "legal_basis": "Căn cứ Quy chế theo dõi, đôn đốc, kiểm tra việc thực hiện nhiệm vụ.",
        "scope": "Các nhiệm vụ quá hạn của Sở Xây dựng năm 2026.",
        "content": "Nguyên nhân chậm, trách nhiệm.",
        "starts_on": "22/04/2026",
        "ends_on": "20/04/2026",
        "documents_due_on": "21/04/2026",
        "subject_unit_ids": str(unit_id("sxd")),
        "team-0-full_name": "Trần Thị Bình",
        "team-0-role": "head",
        "team-0-username": "",
        "team-1-full_name": "Nguyễn Văn An",
        "team-1-role": "member",
    }
    refused = client.post(f"/inspections/{inspection.id}/steps/{step_id}", data=base)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Trưởng đoàn phải có tài khoản trong hệ thống để nhận việc." in html
    assert "Ngày kết thúc kiểm tra không được trước ngày bắt đầu." in html
    assert 'value="22/04/2026"' in html  # what the user typed stays
    base.update({"ends_on": "28/04/2026", "team-0-username": "vp.chanh"})
    assert client.post(f"/inspections/{inspection.id}/steps/{step_id}", data=base).status_code == 302
    db.session.expire_all()
    inspection = db.session.get(Inspection, inspection.id)
    assert inspection.status == "awaiting_decision" and inspection.team_head.user.username == "vp.chanh"
    page = client.get(f"/inspections/{inspection.id}").get_data(as_text=True)
    assert (
        "Chờ quyết định kiểm tra" in page and "Ban hành quyết định kiểm tra" in page and "28/04/2026" in page
    )


def test_inspection_pages_are_closed_to_units_outside_it_and_the_dossier_upload_is_csrf_protected(
    client, api, user, freeze
):
    freeze("2026-04-20T09:00:00+07:00")
    from tests.inspection_support import open_as, proposal

    inspection = open_as(
        user("vp.chuyenvien"),
        kind="ad_hoc",
        title="Kiểm tra đột xuất Sở Tài chính năm 2026",
        decider="chairman",
        trigger="leader_request",
        reason="Theo chỉ đạo của Chủ tịch UBND tỉnh.",
    )
    office, chairman = api("vp.chuyenvien"), api("ct.ubnd")
    complete(
        office, item(office, "Lập kế hoạch, đề xuất kiểm tra và dự kiến Đoàn kiểm tra"), proposal(["stc"])
    )
    complete(chairman, item(chairman, "Ban hành quyết định kiểm tra"), decision())

    login(client, "sxd.daumoi")  # not inspected, not a member
    assert client.get(f"/inspections/{inspection.id}").status_code == 404
    assert client.get(f"/inspections/{inspection.id}/ho-so.zip").status_code == 404
    assert "Kiểm tra đột xuất Sở Tài chính" not in client.get("/inspections/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/inspections/").get_data(as_text=True))})

    login(client, "stc.daumoi")  # inspected: sees it, answers its request, cannot file into the dossier
    page = client.get(f"/inspections/{inspection.id}").get_data(as_text=True)
    assert "Báo cáo, cung cấp hồ sơ cho Đoàn kiểm tra" in page
    token = csrf_from(page)
    upload = {
        "csrf_token": token,
        "item_no": "6",
        "title": "Biên bản",
        "file": (io.BytesIO(b"%PDF-1.4"), "bb.pdf"),
    }
    assert (
        client.post(
            f"/inspections/{inspection.id}/documents", data=upload, content_type="multipart/form-data"
        ).status_code
        == 403
    )
    client.post("/logout", data={"csrf_token": token})

    login(client, "vp.chanh")  # the team head files the signed minutes
    no_csrf = client.post(
        f"/inspections/{inspection.id}/documents",
        data={"item_no": "6", "title": "Biên bản", "file": (io.BytesIO(b"%PDF-1.4"), "bb.pdf")},
        content_type="multipart/form-data",
    )
    assert no_csrf.status_code == 400
    token = csrf_from(client.get(f"/inspections/{inspection.id}").get_data(as_text=True))
    filed = client.post(
        f"/inspections/{inspection.id}/documents",
        follow_redirects=True,
        data={
            "csrf_token": token,
            "item_no": "6",
            "title": "",
            "file": (io.BytesIO(b"%PDF-1.4 minutes"), "Biên bản làm việc.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert "Đã đưa tài liệu vào hồ sơ kiểm tra." in filed.get_data(as_text=True)
    decision_file = client.get(f"/inspections/{inspection.id}/quyet-dinh.docx")
    assert decision_file.status_code == 200 and decision_file.data.startswith(b"PK")
    assert client.get(f"/inspections/{inspection.id}/bao-cao.docx").status_code == 404  # no report yet
    events = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.instance_id == inspection.instance_id)
    ).all()
    assert "inspection_document_added" in events
    assert db.session.scalar(select(Task.id)) is None  # an inspection creates no task until follow-up

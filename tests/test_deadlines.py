"""Explainable deadlines: each computed due date keeps its rule, start, count and calendar revision;
a calendar change moves open deadlines only after the administrator's preview and apply, each move
audited with the days that changed, and the engine's reminders move with them."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.calendar import Override
from app.extensions import db
from app.models import AuditEvent, Deadline, Directive, Task, Timer, WorkItem
from app.services import calendar_admin, deadline_moves, deadlines
from app.services.calendar_service import current_calendar
from app.services.models_deploy import deploy_directory
from app.services.timers import run_due
from app.workflow import DueTrace, FunctionCall
from tests.conftest import directive_payload

EXTRA_DAY_OFF = Override(
    date(2026, 5, 4), "off", "Nghỉ thêm sau lễ 30/4", "Thông báo 77/TB-UBND ngày 20/04/2026"
)


def register_on_29_april(api) -> dict:
    """Issued Wed 29/04/2026: 30/04 and 01/05 are holidays, 02-03/05 a weekend -> due Tue 05/05."""
    body = directive_payload(
        issued_on="2026-04-29",
        tasks=[{"content": "Tổng kết công tác quý II", "lead_unit": "stc", "due_on": "2026-06-30"}],
    )
    response = api("vp.chuyenvien").post("/directives", body)
    assert response.status_code == 201, response.json
    return response.json


def record(object_type: str, object_id: int, field: str = "due_on") -> Deadline:
    row = deadlines.find(object_type, object_id, field)
    assert row is not None, (object_type, object_id, field)
    return row


def classify_item(directive_id: int) -> WorkItem:
    item = db.session.scalar(
        select(WorkItem).where(
            WorkItem.directive_id == directive_id, WorkItem.title == "Phân loại, giao nhiệm vụ"
        )
    )
    assert item is not None
    return item


def test_classification_deadline_records_its_rule_start_count_and_calendar_revision(api, freeze):
    freeze("2026-04-29T09:00:00+07:00")
    directive = register_on_29_april(api)
    assert directive["classify_due_on"] == "2026-05-05"

    item = classify_item(directive["id"])
    for row in (record("work_item", item.id), record("directive", directive["id"], "classify_due_on")):
        assert (row.method, row.start_on, row.working_days) == ("working_days", date(2026, 4, 29), 2)
        assert row.due_on == date(2026, 5, 5)
        # The rule is the citation the active profile's decision table gave (R5, Ninh Thuận by default).
        assert row.rule == "QĐ 69/2019/QĐ-UBND tỉnh Ninh Thuận, Điều 7 khoản 1"
        assert row.calendar_revision == current_calendar().revision
        assert (row.instance_id, row.variable) == (item.instance_id, "classify_due_on")


def test_deadline_typed_in_the_directive_is_fixed_and_is_never_recomputed(api, user, freeze):
    freeze("2026-04-29T09:00:00+07:00")
    directive = register_on_29_april(api)
    task_id = directive["tasks"][0]["id"]
    fixed = record("task", task_id)
    assert (fixed.method, fixed.due_on, fixed.calendar_revision) == ("fixed", date(2026, 6, 30), None)
    assert fixed.rule == "Hạn ghi trong văn bản chỉ đạo (ngày cố định)"

    # Even a new day off on the very deadline leaves the date the Chairman signed alone.
    calendar_admin.set_override(user("admin"), Override(date(2026, 6, 30), "off", "Nghỉ", "TB 1"))
    db.session.commit()
    preview = deadline_moves.preview()
    assert all(m.deadline.object_type != "task" for m in preview.moves)
    deadline_moves.apply(user("admin"), preview.revision)
    db.session.commit()
    assert db.session.get(Task, task_id).due_on == date(2026, 6, 30)


def test_new_day_off_moves_the_open_deadline_and_its_reminder_only_after_apply(app, api, user, freeze):
    freeze("2026-04-29T09:00:00+07:00")
    directive = register_on_29_april(api)
    item = classify_item(directive["id"])
    timer = db.session.scalars(select(Timer).where(Timer.instance_id == item.instance_id)).one()
    assert timer.due_at.isoformat() == "2026-05-05T17:00:00+00:00"

    admin = user("admin")
    calendar_admin.set_override(admin, EXTRA_DAY_OFF)
    db.session.commit()

    preview = deadline_moves.preview()
    moves = {(m.deadline.object_type, m.old, m.new) for m in preview.moves}
    assert moves == {
        ("work_item", date(2026, 5, 5), date(2026, 5, 6)),
        ("directive", date(2026, 5, 5), date(2026, 5, 6)),
    }
    reasons = preview.moves[0].reasons
    assert reasons == (
        "04/05/2026 nay là ngày nghỉ: Nghỉ thêm sau lễ 30/4 (Thông báo 77/TB-UBND ngày 20/04/2026)",
    )
    # Nothing moved yet: the preview is only a preview.
    db.session.expire_all()
    assert db.session.get(WorkItem, item.id).due_on == date(2026, 5, 5)
    assert db.session.get(Directive, directive["id"]).classify_due_on == date(2026, 5, 5)

    deadline_moves.apply(admin, preview.revision)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(WorkItem, item.id).due_on == date(2026, 5, 6)
    assert db.session.get(Directive, directive["id"]).classify_due_on == date(2026, 5, 6)
    assert db.session.get(Timer, timer.id).due_at.isoformat() == "2026-05-06T17:00:00+00:00"
    assert record("work_item", item.id).calendar_revision == current_calendar().revision
    moved = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "deadline_moved")).all()
    assert {(e.details["object"], e.details["from"], e.details["to"]) for e in moved} == {
        ("work_item", "2026-05-05", "2026-05-06"),
        ("directive", "2026-05-05", "2026-05-06"),
    }
    assert all(e.actor_id == admin.id and e.details["reasons"] == list(reasons) for e in moved)
    assert {e.directive_id for e in moved} == {directive["id"]}
    assert deadline_moves.preview().moves == []

    # The late-classification escalation follows the new deadline: not at the end of 05/05 ...
    freeze("2026-05-06T00:01:00+07:00")
    assert run_due().fired == 0
    # ... but once 06/05 is over, and its notice carries the new date.
    freeze("2026-05-07T00:01:00+07:00")
    assert run_due().fired == 1
    notice = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "model:notify")).one()
    assert notice.details["due_on"] == "2026-05-06"


def test_a_make_up_saturday_moves_the_deadline_earlier(api, user, freeze):
    freeze("2026-04-29T09:00:00+07:00")
    directive = register_on_29_april(api)
    admin = user("admin")
    calendar_admin.set_override(
        admin, Override(date(2026, 5, 2), "work", "Làm bù cho thứ Hai 18/05/2026", "Thông báo 80/TB-UBND")
    )
    db.session.commit()
    preview = deadline_moves.preview()
    assert {(m.old, m.new) for m in preview.moves} == {(date(2026, 5, 5), date(2026, 5, 4))}
    assert preview.moves[0].reasons == (
        "02/05/2026 nay là ngày làm việc: Làm bù cho thứ Hai 18/05/2026 (Thông báo 80/TB-UBND)",
    )
    deadline_moves.apply(admin, preview.revision)
    db.session.commit()
    assert db.session.get(Directive, directive["id"]).classify_due_on == date(2026, 5, 4)


def test_apply_is_refused_when_the_calendar_changed_after_the_preview(api, user, freeze):
    freeze("2026-04-29T09:00:00+07:00")
    directive = register_on_29_april(api)
    admin = user("admin")
    calendar_admin.set_override(admin, EXTRA_DAY_OFF)
    db.session.commit()
    seen = deadline_moves.preview()
    calendar_admin.set_override(admin, Override(date(2026, 5, 5), "off", "Nghỉ thêm", "Thông báo 78/TB-UBND"))
    db.session.commit()
    with pytest.raises(deadline_moves.CalendarChanged, match="vừa thay đổi"):
        deadline_moves.apply(admin, seen.revision)
    db.session.rollback()
    assert db.session.get(Directive, directive["id"]).classify_due_on == date(2026, 5, 5)


def test_closed_steps_keep_their_deadline_while_open_ones_move(api, user, freeze):
    freeze("2026-04-29T09:00:00+07:00")
    directive = register_on_29_april(api)
    office = api("vp.chuyenvien")
    classify = classify_item(directive["id"])
    assert (
        office.post(f"/work-items/{classify.id}/complete", {"data": {"origin_level": "province"}}).status_code
        == 200
    )

    # The agency's acceptance step was computed from the day it received the task (R6).
    accept = db.session.scalar(select(WorkItem).where(WorkItem.title == "Tiếp nhận nhiệm vụ"))
    row = record("work_item", accept.id)
    assert (row.start_on, row.working_days, row.due_on) == (date(2026, 4, 29), 2, date(2026, 5, 5))
    assert row.variable == "accept_due_on" and "Điều 7 khoản 2" in row.rule

    calendar_admin.set_override(user("admin"), EXTRA_DAY_OFF)
    db.session.commit()
    moved = {(m.deadline.object_type, m.deadline.object_id) for m in deadline_moves.preview().moves}
    assert moved == {("work_item", accept.id)}  # not the completed classification, not the directive


def test_due_date_traced_to_the_calendar_call_that_produced_it():
    first = FunctionCall("add_working_days", ("2026-04-29", 2), {}, "2026-05-05")
    other = FunctionCall("add_working_days", ("2026-04-29", 7), {}, "2026-05-12")
    in_step = DueTrace("accept_due_on", None, calls=(), step_calls=(other, first))
    assert deadlines.basis_from_calls(date(2026, 5, 5), in_step) == ("working_days", date(2026, 4, 29), 2)
    direct = DueTrace(
        "roll_forward(due)",
        None,
        calls=(FunctionCall("roll_forward", ("2026-05-02",), {}, "2026-05-04"),),
        step_calls=(),
    )
    assert deadlines.basis_from_calls(date(2026, 5, 4), direct) == ("roll_forward", date(2026, 5, 2), None)
    # A date no calendar call returned (typed, copied from the task) is fixed.
    assert deadlines.basis_from_calls(date(2026, 6, 30), in_step) == ("fixed", None, None)
    # An expression that is not a plain variable is not matched against unrelated calls of the step.
    assert (
        deadlines.basis_from_calls(date(2026, 5, 5), DueTrace("due_on or x", None, (), (first,)))[0]
        == "fixed"
    )


def test_agency_sees_how_its_deadline_was_counted_across_tet(client, api, freeze):
    freeze("2024-02-07T09:00:00+07:00")
    office, finance = api("vp.chuyenvien"), api("stc.daumoi")
    body = directive_payload(
        issued_on="2024-02-07",
        tasks=[{"content": "Báo cáo thu ngân sách tháng 01", "lead_unit": "stc", "due_on": "2024-03-15"}],
    )
    directive = office.post("/directives", body).json
    classify = classify_item(directive["id"])
    office.post(f"/work-items/{classify.id}/complete", {"data": {"origin_level": "province"}})
    accept = finance.get("/work-items", scope="unit").json[0]
    # Received Wed 07/02/2024; Tết Giáp Thìn is 08-14/02: the two working days are 15 and 16/02.
    assert accept["due_on"] == "2024-02-16"
    detail = finance.get(f"/work-items/{accept['id']}").json
    assert detail["due_basis"] == {
        "method": "working_days",
        "start_on": "2024-02-07",
        "working_days": 2,
        "rule": "Mặc định của DonDoc (như QĐ 02/2015/QĐ-UBND huyện Quỳnh Nhai, Điều 7 khoản 2) — "
        "QĐ 69/2019/QĐ-UBND tỉnh Ninh Thuận không quy định",
        "calendar_revision": current_calendar().revision,
        "due_on": "2024-02-16",
    }

    from tests.test_persistence import login

    login(client, "stc.daumoi")
    page = client.get(f"/work-items/{accept['id']}").get_data(as_text=True)
    assert "Cách tính hạn" in page
    assert "02 ngày làm việc kể từ ngày 07/02/2024 (không tính ngày bắt đầu)" in page
    assert "12/02/2024: Tết Âm lịch Giáp Thìn (mùng 3) (Công văn 8662/VPCP-KGVX" in page
    basis = re.search(r'<details class="due-basis">(.*?)</details>', page, re.S).group(1)
    skipped = re.findall(r"<li>(\d\d/\d\d/\d{4}):", basis)
    assert skipped == [f"{d:02d}/02/2024" for d in range(8, 15)]


def test_a_typed_deadline_equal_to_a_date_computed_in_the_same_step_stays_fixed(app, api, tmp_path, freeze):
    # A model whose acceptance step also computes a date equal to the task's typed deadline: the
    # report step's due date (the typed one) must not be taken for that computation.
    models = tmp_path / "bpmn"
    shutil.copytree(Path(app.config["DONDOC_BPMN_DIR"]), models)
    lifecycle = models / "task_lifecycle.bpmn"
    text = lifecycle.read_text(encoding="utf-8")
    original = '<bpmn:script>set_status("in_progress")\nnext_update_on = None</bpmn:script>'
    assert original in text
    changed = (
        '<bpmn:script>set_status("in_progress")\nnext_update_on = None\n'
        "check_on = add_working_days(received_on, 2)</bpmn:script>"
    )
    lifecycle.write_text(text.replace(original, changed), encoding="utf-8")
    assert any(o.changed for o in deploy_directory(models))
    db.session.commit()

    freeze("2026-04-29T09:00:00+07:00")
    office, finance = api("vp.chuyenvien"), api("stc.daumoi")
    body = directive_payload(
        issued_on="2026-04-29",
        tasks=[{"content": "Báo cáo nhanh sau lễ", "lead_unit": "stc", "due_on": "2026-05-05"}],
    )
    directive = office.post("/directives", body).json
    classify = classify_item(directive["id"])
    office.post(f"/work-items/{classify.id}/complete", {"data": {"origin_level": "province"}})
    accept = finance.get("/work-items", scope="unit").json[0]
    assert (
        finance.post(f"/work-items/{accept['id']}/complete", {"data": {"decision": "accept"}}).status_code
        == 200
    )
    report = db.session.scalar(select(WorkItem).where(WorkItem.title == "Báo cáo kết quả thực hiện"))
    assert report.due_on == date(2026, 5, 5)
    row = record("work_item", report.id)
    assert (row.method, row.start_on, row.working_days) == ("fixed", None, None)
    assert row.rule == "Hạn xử lý của nhiệm vụ"

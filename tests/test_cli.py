"""The stable set-up and operations commands."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Directive, ProcessModelVersion, Task, Timer, User, WorkItem
from app.services.audit import verify_chain
from tests.conftest import directive_payload


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_init_with_demo_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["init", "--demo"])
    assert first.exit_code == 0, first.output
    assert "Đã nạp dữ liệu mẫu." in first.output
    snapshot = [count(m) for m in (Directive, Task, WorkItem, User, ProcessModelVersion, AuditEvent)]
    assert snapshot[0] == 3
    second = runner.invoke(args=["init", "--demo"])
    assert second.exit_code == 0 and "không đổi" in second.output
    assert [count(m) for m in (Directive, Task, WorkItem, User, ProcessModelVersion, AuditEvent)] == snapshot
    assert verify_chain() == []


def test_users_token_prints_a_token_that_the_api_accepts(app, client):
    result = app.test_cli_runner().invoke(args=["users", "token", "stc.daumoi"])
    token = result.output.strip()
    assert result.exit_code == 0 and token.startswith("dd_") and "\n" not in token
    assert client.get("/api/v1/work-items", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    missing = app.test_cli_runner().invoke(args=["users", "token", "khong-ai"])
    assert missing.exit_code != 0 and "Không có người dùng" in missing.output


def test_clock_set_and_reset_are_refused_unless_allowed(app):
    runner = app.test_cli_runner()
    frozen = runner.invoke(args=["clock", "set", "2026-04-29T08:00:00"])
    assert frozen.exit_code == 0 and frozen.output.strip() == "2026-04-29T01:00:00+00:00"
    assert runner.invoke(args=["clock", "show"]).output.strip() == "2026-04-29T01:00:00+00:00"
    assert runner.invoke(args=["clock", "reset"]).output.strip() != "2026-04-29T01:00:00+00:00"
    app.config["DONDOC_ALLOW_CLOCK_OVERRIDE"] = False
    refused = runner.invoke(args=["clock", "set", "2026-04-29T08:00:00"])
    assert refused.exit_code != 0 and "DONDOC_ALLOW_CLOCK_OVERRIDE" in refused.output


def test_late_classification_timer_fires_once_when_the_clock_passes_the_deadline(app, api, freeze):
    # Issued Wednesday 29/04/2026: 30/04 and 01/05 are holidays, 02-03/05 a weekend, so the two working
    # days are Mon 04/05 and Tue 05/05; the escalation fires once 05/05 has ended.
    freeze("2026-04-29T09:00:00+07:00")
    directive = (
        api("vp.chuyenvien")
        .post(
            "/directives",
            directive_payload(
                issued_on="2026-04-29",
                tasks=[{"content": "Tổng kết công tác quý II", "lead_unit": "stc", "due_on": "2026-06-30"}],
            ),
        )
        .json
    )
    assert directive["classify_due_on"] == "2026-05-05"
    timer = db.session.scalars(select(Timer)).one()
    assert timer.due_at.isoformat() == "2026-05-05T17:00:00+00:00" and timer.state == "waiting"

    runner = app.test_cli_runner()
    freeze("2026-05-05T23:59:00+07:00")
    assert "Đã kích hoạt 0 hẹn giờ" in runner.invoke(args=["timers", "run-due"]).output
    freeze("2026-05-06T00:01:00+07:00")
    assert "Đã kích hoạt 1 hẹn giờ" in runner.invoke(args=["timers", "run-due"]).output
    assert "Đã kích hoạt 0 hẹn giờ" in runner.invoke(args=["timers", "run-due"]).output
    db.session.expire_all()
    assert db.session.get(Timer, timer.id).state == "fired"
    notices = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "model:notify")).all()
    assert len(notices) == 1 and notices[0].details["to_role"] == "office_chief"
    assert notices[0].details["kind"] == "classification_overdue"
    # The classification step itself is still open; the Office chief now has an urging step too.
    open_titles = set(db.session.scalars(select(WorkItem.title).where(WorkItem.state == "open")))
    assert open_titles == {"Phân loại, giao nhiệm vụ", "Đôn đốc phân loại văn bản quá hạn"}

"""The timer sweep: exactly once under concurrency and crashes, failures per row, lateness recorded."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.models import AuditEvent, Directive, Notification, ProcessInstance, Timer, User, WorkItem
from app.services import directives, instance_ops, timer_workers, timers
from app.services.audit import verify_chain
from app.services.timers import run_due
from app.workflow import move_due_date, runtime
from tests.conftest import directive_payload
from tests.staff import client_for
from tests.support import notices_of, run
from tests.test_persistence import login

ROOT = Path(__file__).resolve().parents[1]


def register_many(user, count: int, issued_on: str = "2026-04-29") -> list[int]:
    """`count` directives whose classification deadline (and late timer) is Tue 05/05/2026."""
    officer = user("vp.chuyenvien")
    ids = []
    for number in range(count):
        payload = directive_payload(
            number=str(100 + number),
            issued_on=issued_on,
            tasks=[{"content": "Tổng kết công tác quý II", "lead_unit": "stc", "due_on": "2026-06-30"}],
        )
        ids.append(directives.register_directive(directives.parse_directive(payload), officer).id)
    db.session.commit()
    return ids


def timer_states() -> dict[str, int]:
    rows = db.session.execute(select(Timer.state, func.count(Timer.id)).group_by(Timer.state)).all()
    return {state: count for state, count in rows}


def test_the_late_classification_notice_reaches_the_office_chief_s_bell_once(app, client, user, freeze):
    freeze("2026-04-29T09:00:00+07:00")
    register_many(user, 1)
    freeze("2026-05-06T00:01:00+07:00")
    assert run("timers").summary["fired"] == 1
    assert run("timers").summary["fired"] == 0
    notices = notices_of("vp.chanh")
    assert [(n.kind, n.title) for n in notices] == [
        ("classification_overdue", "Quá hạn phân loại văn bản 100/QĐ-UBND (hạn 05/05/2026)")
    ]
    assert notices_of("vp.chuyenvien") == []  # an officer without the chief's role is not told
    login(client, "vp.chanh")
    page = client.get("/inbox").get_data(as_text=True)
    assert 'aria-label="Thông báo: 1 chưa đọc"' in page and 'data-unread="1"' in page


def test_lateness_and_the_last_sweep_are_shown_to_the_administrator_only(app, client, user, freeze):
    freeze("2026-04-29T09:00:00+07:00")
    register_many(user, 2)
    freeze("2026-05-06T00:01:00+07:00")  # due at 00:00: one minute late
    sweep = run("timers")
    assert sweep.summary == {"fired": 2, "failed": 0, "skipped": 0, "instances": 2, "errors": []}
    fired = db.session.scalars(select(Timer).where(Timer.state == "fired")).all()
    assert [t.lateness_seconds for t in fired] == [60.0, 60.0]

    assert client_for(app, "stc.daumoi").get("/admin/health").status_code == 403
    assert client_for(app, "vp.chanh").get("/admin/health").status_code == 403
    admin = client_for(app, "admin")
    page = admin.get("/admin/health").get_data(as_text=True)
    assert '<tr data-metric="lateness"><td class="num">2</td><td>60.0 giây</td>' in page
    assert 'data-job="timers"' in page and f"{sweep.duration_ms} ms" in page
    assert '<dd data-metric="waiting">0</dd>' in page


def test_a_failing_instance_is_counted_and_logged_without_stopping_the_sweep(
    app, client, user, freeze, caplog
):
    freeze("2026-04-29T09:00:00+07:00")
    first, second, third = register_many(user, 3)
    broken = db.session.scalar(select(ProcessInstance).where(ProcessInstance.directive_id == second))
    broken.state = b"z1 this is not a workflow"
    db.session.commit()
    freeze("2026-05-06T00:01:00+07:00")

    result = run_due()
    assert result.fired == 2 and [i for i, _ in result.failed] == [broken.id]
    assert "timer sweep failed for instance" in caplog.text
    failing = db.session.scalar(select(Timer).where(Timer.instance_id == broken.id))
    assert failing.state == "waiting" and failing.attempts == 1 and failing.last_error
    assert run_due().failed and db.session.get(Timer, failing.id).attempts == 2

    admin = client_for(app, "admin")
    page = admin.get("/admin/health").get_data(as_text=True)
    assert "Hẹn giờ đang lỗi" in page and f"#{broken.id}" in page
    assert '<dd data-metric="failing">1</dd>' in page


def test_sweeps_and_jobs_never_deserialize_a_workflow_unless_a_timer_is_due(
    app, client, user, freeze, monkeypatch
):
    freeze("2026-04-29T09:00:00+07:00")
    register_many(user, 2)

    def forbidden(*_args, **_kwargs):
        raise AssertionError("a sweep or a page deserialized a workflow")

    monkeypatch.setattr(runtime, "decode_state", forbidden)
    monkeypatch.setattr(runtime, "load", forbidden)
    freeze("2026-05-08T09:00:00+07:00")  # Friday: reminders and the weekly table have work to do
    for job in ("reminders", "weekly_overdue", "mail", "digest"):
        run(job)
    assert len(db.session.scalars(select(Notification)).all()) > 0
    admin = client_for(app, "admin")
    for page in ("/admin/health", "/notifications/", "/urging/", "/overdue-reports/"):
        assert admin.get(page).status_code == 200, page


@pytest.mark.slow
def test_a_sweep_shared_among_worker_processes_fires_every_timer_once(app, user, freeze):
    """Two worker processes take the batches. PostgreSQL: SKIP LOCKED keeps them apart; SQLite:
    they step their batches side by side and take turns to write. Either way: each timer once."""
    count = 12
    freeze("2026-04-29T09:00:00+07:00")
    directive_ids = register_many(user, count)
    freeze("2026-05-06T00:01:00+07:00")
    db.session.remove()
    try:
        result = run_due(batch_size=2, workers=2)
        again = run_due(batch_size=2, workers=2)
    finally:
        timer_workers.shutdown()
    db.session.remove()
    assert result.processes == 2
    assert (result.fired, result.failed, again.fired) == (count, [], 0)
    assert timer_states() == {"fired": count}
    chief = db.session.scalar(select(User).where(User.username == "vp.chanh"))
    noticed = db.session.scalars(
        select(Notification.directive_id).where(
            Notification.user_id == chief.id, Notification.kind == "classification_overdue"
        )
    ).all()
    assert sorted(noticed) == sorted(directive_ids)
    assert verify_chain() == []


def test_a_timer_already_due_when_another_step_of_its_instance_runs_fires_in_that_step(app, user, freeze):
    """A step taken after a timer's due instant and before the sweep (here the Office corrects the
    rule the classification deadline cites, at 00:01 the day after it) fires that timer itself:
    the chief is told at once, the escalation step opens, and the sweep then has nothing to do.
    (The engine used to leave such a timer ready but unrun, and the sweep never saw it again.)"""
    freeze("2026-04-29T09:00:00+07:00")
    (directive_id,) = register_many(user, 1)
    freeze("2026-05-06T00:01:00+07:00")
    instance = db.session.scalar(select(ProcessInstance).where(ProcessInstance.directive_id == directive_id))
    old_rule = db.session.get(Directive, directive_id).classify_rule
    move_due_date(instance, "classify_rule", old_rule, "Quy chế sửa đổi", now=clock.now(), actor_id=None)
    db.session.commit()

    assert [n.kind for n in notices_of("vp.chanh")] == ["classification_overdue"]
    open_steps = db.session.scalars(
        select(WorkItem.task_spec).where(WorkItem.instance_id == instance.id, WorkItem.state == "open")
    ).all()
    assert sorted(open_steps) == ["Task_classify", "Task_escalate"]
    assert timer_states() == {"fired": 1}
    assert run_due().fired == 0
    assert len(notices_of("vp.chanh")) == 1


def test_instances_saved_after_the_sweep_listed_them_are_never_saved_from_an_old_state(
    app, user, freeze, monkeypatch
):
    """Saves that land after the sweep read its instances and before it locks them (SQLite: after it
    stepped them in memory, its last moment without the write lock; PostgreSQL: after it listed
    the due instances):
    - a step on the first instance (the rule its classification deadline cites is corrected) fires
      the overdue timer itself, from the corrected data: the sweep skips it;
    - an administrator suspends and resumes the second one: the sweep steps it again and fires it;
    - the third is untouched (SQLite: the sweep saves the step it made before the lock).
    Each directive's chief gets one overdue notice, and the first one's cites the corrected rule."""
    freeze("2026-04-29T09:00:00+07:00")
    corrected, paused, untouched = register_many(user, 3)
    freeze("2026-05-06T00:01:00+07:00")
    old_rule = db.session.get(Directive, corrected).classify_rule
    admin = user("admin")
    before_lock = "_step_unlocked" if db.engine.dialect.name == "sqlite" else "due_instances"
    real = getattr(timers, before_lock)

    def instance_of(directive_id):
        return db.session.scalar(select(ProcessInstance).where(ProcessInstance.directive_id == directive_id))

    def then_others_save(*args):
        found = real(*args)
        move_due_date(
            instance_of(corrected),
            "classify_rule",
            old_rule,
            "Quy chế sửa đổi",
            now=clock.now(),
            actor_id=None,
        )
        instance_ops.suspend(instance_of(paused), actor=admin, reason="Kiểm tra dữ liệu")
        db.session.commit()
        instance_ops.resume(instance_of(paused), actor=admin, reason="Đã kiểm tra")
        db.session.commit()
        return found

    monkeypatch.setattr(timers, before_lock, then_others_save)
    result = run_due()
    assert (result.fired, result.skipped, result.failed) == (2, 1, [])
    cited = db.session.execute(
        select(AuditEvent.directive_id, AuditEvent.details["rule"].as_string())
        .where(AuditEvent.action == "model:notify")
        .order_by(AuditEvent.directive_id)
    ).all()
    assert cited == [(corrected, "Quy chế sửa đổi"), (paused, old_rule), (untouched, old_rule)]
    assert sorted(n.directive_id for n in notices_of("vp.chanh")) == [corrected, paused, untouched]
    assert timer_states() == {"fired": 3}
    assert verify_chain() == []


SWEEPER = textwrap.dedent(
    """
    import json, sys, time
    from datetime import datetime
    from pathlib import Path
    from app.extensions import db
    from app.services import timers
    from tests.conftest import make_app

    db_url, at = sys.argv[1], datetime.fromisoformat(sys.argv[2])
    delay, go = float(sys.argv[3]), Path(sys.argv[4])
    real_fire = timers.fire_timers

    def slow_fire(instance, *, now):
        fired = real_fire(instance, now=now)
        time.sleep(delay)  # inside the transaction: a kill now leaves it uncommitted
        return fired

    real_apply = timers.apply_timers

    def slow_apply(instance, step, *, now):  # SQLite saves a step made before taking the lock
        fired = real_apply(instance, step, now=now)
        time.sleep(delay)
        return fired

    timers.fire_timers, timers.apply_timers = slow_fire, slow_apply
    app = make_app(db_url)
    app.config["DONDOC_TIMER_SWEEP_BATCH"] = 3  # several commits, so a kill lands between two
    with app.app_context():
        print("ready", flush=True)
        while not go.exists():
            time.sleep(0.01)
        result = timers.run_due(at)
        outcome = {"fired": result.fired, "skipped": result.skipped, "failed": result.failed}
        print(json.dumps(outcome), flush=True)
    """
)


def start_sweeper(database_url: str, at: str, delay: float, go: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", SWEEPER, database_url, at, str(delay), str(go)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready", process.stderr.read() if process.stderr else ""
    return process


@pytest.mark.slow
def test_two_sweeps_at_once_one_killed_mid_sweep_every_timer_fires_exactly_once(
    app, user, freeze, database_url, tmp_path
):
    count = 24
    freeze("2026-04-29T09:00:00+07:00")
    directive_ids = register_many(user, count)
    assert timer_states() == {"waiting": count}
    db.session.remove()

    go = tmp_path / "go"
    at = "2026-05-06T00:01:00+07:00"
    doomed = start_sweeper(database_url, at, 0.15, go)
    survivor = start_sweeper(database_url, at, 0.05, go)
    go.touch()
    deadline = time.monotonic() + 60
    while timer_states().get("fired", 0) < 4:
        assert time.monotonic() < deadline, "the sweeps did not start"
        db.session.remove()
        time.sleep(0.02)
    doomed.send_signal(signal.SIGKILL)  # mid-sweep, most likely inside a transaction
    doomed.wait(timeout=30)
    db.session.remove()
    fired_at_kill = timer_states().get("fired", 0)
    out, err = survivor.communicate(timeout=120)
    assert survivor.returncode == 0, err
    survivor_result = json.loads(out.strip().splitlines()[-1])
    assert survivor_result["failed"] == []
    assert fired_at_kill < count, "the killed sweep must die before the work is done"

    from datetime import datetime

    leftover = run_due(datetime.fromisoformat(at))  # the next scheduled sweep
    db.session.remove()
    assert timer_states() == {"fired": count}
    assert survivor_result["fired"] + leftover.fired <= count
    chief = db.session.scalar(select(User).where(User.username == "vp.chanh"))
    per_directive = db.session.execute(
        select(Notification.directive_id, func.count(Notification.id))
        .where(Notification.user_id == chief.id, Notification.kind == "classification_overdue")
        .group_by(Notification.directive_id)
    ).all()
    assert sorted(per_directive) == [(d, 1) for d in sorted(directive_ids)]
    notify_audits = db.session.execute(
        select(AuditEvent.directive_id, func.count(AuditEvent.id))
        .where(AuditEvent.action == "model:notify")
        .group_by(AuditEvent.directive_id)
    ).all()
    assert sorted(notify_audits) == [(d, 1) for d in sorted(directive_ids)]
    assert verify_chain() == []

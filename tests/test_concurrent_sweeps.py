"""Two timer sweeps at once (two scheduler nodes, or an operator beside the scheduler).

Runs on both backends: `FOR UPDATE SKIP LOCKED` on PostgreSQL, the write lock on SQLite.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Timer, WorkItem
from app.services import timers
from app.services.audit import verify_chain
from tests.conftest import directive_payload, make_app

DIRECTIVES = 6


def register_directives(api, freeze) -> None:
    """Directives issued Wed 29/04/2026: classification is due by the end of Tue 05/05 (holidays)."""
    freeze("2026-04-29T09:00:00+07:00")
    office = api("vp.chuyenvien")
    for number in range(DIRECTIVES):
        task = {"content": f"Nhiệm vụ số {number}", "lead_unit": "stc", "due_on": "2026-06-30"}
        response = office.post(
            "/directives", directive_payload(number=str(100 + number), issued_on="2026-04-29", tasks=[task])
        )
        assert response.status_code == 201, response.json


def test_two_sweeps_at_once_fire_each_overdue_classification_reminder_exactly_once(
    app, api, freeze, database_url, monkeypatch
):
    register_directives(api, freeze)
    waiting = db.session.scalars(select(Timer).where(Timer.state == "waiting")).all()
    assert len(waiting) == DIRECTIVES
    db.session.remove()

    both_listed = threading.Barrier(2, timeout=30)
    real_due, real_fire, real_apply = timers.due_instances, timers.fire_timers, timers.apply_timers
    saved: list[int] = []  # instances stepped and saved under a sweep's lock

    def due_then_wait(now):
        found = real_due(now)
        both_listed.wait()  # both sweeps hold the same list of due instances before either fires
        return found

    def slow_fire(instance, *, now):
        saved.append(instance.id)
        time.sleep(0.05)  # keep the lock while the other sweep reaches the same instance
        return real_fire(instance, now=now)

    def slow_apply(instance, step, *, now):  # SQLite: a step made before the lock, saved under it
        saved.append(instance.id)
        time.sleep(0.05)
        return real_apply(instance, step, now=now)

    monkeypatch.setattr(timers, "due_instances", due_then_wait)
    monkeypatch.setattr(timers, "fire_timers", slow_fire)
    monkeypatch.setattr(timers, "apply_timers", slow_apply)
    sweepers = [make_app(database_url) for _ in range(2)]
    results: list[timers.SweepResult] = []
    after_deadline = datetime.fromisoformat("2026-05-06T00:01:00+07:00")

    def sweep(sweeper) -> None:
        with sweeper.app_context():
            results.append(timers.run_due(after_deadline))
            db.session.remove()
            db.engine.dispose()

    threads = [threading.Thread(target=sweep, args=(s,)) for s in sweepers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(results) == 2 and all(r.failed == [] for r in results), results
    assert sum(r.fired for r in results) == DIRECTIVES
    assert sum(r.skipped for r in results) == DIRECTIVES  # each sweep left the other's instances alone
    assert sorted(saved) == sorted({t.instance_id for t in waiting})  # no instance saved twice
    states = db.session.scalars(select(Timer.state)).all()
    assert states == ["fired"] * DIRECTIVES
    notices = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "model:notify")
    )
    assert notices == DIRECTIVES  # one reminder to the Office chief per directive, not two
    escalations = db.session.scalar(
        select(func.count())
        .select_from(WorkItem)
        .where(WorkItem.title == "Đôn đốc phân loại văn bản quá hạn")
    )
    assert escalations == DIRECTIVES  # one escalation step for the Office chief per directive
    assert verify_chain() == []

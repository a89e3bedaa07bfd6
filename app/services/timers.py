"""Fire the timers that are due: a sweep over the `timer` projection, one instance per transaction.

The sweep reads only the indexed `timer` table; an instance is loaded only when one of its
timers is due. A failure on one instance is logged, rolled back and counted on its timer rows
without stopping the others.

Exactly once: firing a timer *is* committing the instance's new engine state, in the same
transaction as the timer row (`fired`), the effects and the notices. Two sweeps that reach the same
instance conflict on its `version` column and the loser rolls back (`StaleInstance`); a sweep that
dies before its commit leaves the timer waiting for the next sweep. Nothing can half-fire.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from app import clock
from app.extensions import db
from app.models import ProcessInstance, ProcessModelVersion, Timer
from app.services.locking import lock_running_instance
from app.workflow import StaleInstance, fire_timers, with_model_version

log = logging.getLogger(__name__)


@dataclass
class SweepResult:
    fired: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)
    skipped: int = 0
    instances: int = 0
    duration_ms: int = 0

    def summary(self) -> dict[str, Any]:
        return {
            "fired": self.fired,
            "failed": len(self.failed),
            "skipped": self.skipped,
            "instances": self.instances,
        }


def due_instances(now: datetime) -> list[int]:
    """Instances with at least one waiting timer due at `now` (one range scan of ix_timer_state_due)."""
    return list(
        db.session.scalars(
            select(Timer.instance_id)
            .where(Timer.state == "waiting", Timer.due_at <= now)
            .group_by(Timer.instance_id)
            .order_by(Timer.instance_id)
        )
    )


def run_due(now: datetime | None = None) -> SweepResult:
    """Fire every timer due at `now` (default: the clock, read again for each instance)."""
    started = time.perf_counter()
    result = SweepResult()
    instance_ids = due_instances(now or clock.now())
    db.session.rollback()  # end the read: each instance gets its own transaction
    session = db.session()
    expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
    pinned: dict[int, ProcessModelVersion] = {}
    try:  # model versions are immutable: keep them loaded (and referenced) across the commits
        for instance_id in instance_ids:
            _fire_one(instance_id, now, result, pinned)
    finally:
        session.expire_on_commit = expire_on_commit
        session.expire_all()
    result.duration_ms = int((time.perf_counter() - started) * 1000)
    return result


def _fire_one(
    instance_id: int, fixed_now: datetime | None, result: SweepResult, pinned: dict[int, ProcessModelVersion]
) -> None:
    at = (fixed_now or clock.now()).astimezone(UTC)
    try:
        instance = _lock_instance(instance_id, at)
        if instance is None:
            result.skipped += 1
            db.session.rollback()
            return
        result.instances += 1
        pinned.setdefault(instance.model_version_id, instance.model_version)
        result.fired += len(fire_timers(instance, now=at))
        db.session.commit()
    except StaleInstance:
        db.session.rollback()  # another sweep or a user's step committed first: it is their firing
        result.skipped += 1
    except Exception as exc:  # noqa: BLE001 - one bad instance must not stop the sweep
        db.session.rollback()
        log.exception("timer sweep failed for instance %s", instance_id)
        result.failed.append((instance_id, str(exc)))
        _count_failure(instance_id, at, exc)


def _lock_instance(instance_id: int, now: datetime) -> ProcessInstance | None:
    """The running instance if a timer of it is still due; on PostgreSQL, skipped if another sweep holds it.

    The re-check (one statement with the load) makes a second sweep arriving after the first one's
    commit skip quietly instead of loading and stepping the instance for nothing.
    """
    if not lock_running_instance(instance_id):  # SQLite: the write lock; PostgreSQL: SKIP LOCKED
        return None
    still_due = (
        select(Timer.id)
        .where(Timer.instance_id == instance_id, Timer.state == "waiting", Timer.due_at <= now)
        .exists()
    )
    instance: ProcessInstance | None = db.session.scalars(
        select(ProcessInstance)
        .where(ProcessInstance.id == instance_id, ProcessInstance.status == "running", still_due)
        .options(with_model_version())  # same query; the compiled spec comes from the cache
        .with_for_update(skip_locked=True, of=ProcessInstance)
        .execution_options(populate_existing=True)  # never a copy kept from an earlier commit
    ).first()
    return instance


def _count_failure(instance_id: int, now: datetime, exc: Exception) -> None:
    """Keep the failure on the due timer rows (attempts, last error) for the health page."""
    try:
        db.session.execute(
            update(Timer)
            .where(Timer.instance_id == instance_id, Timer.state == "waiting", Timer.due_at <= now)
            .values(attempts=Timer.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000])
        )
        db.session.commit()
    except Exception:  # noqa: BLE001 - bookkeeping must not turn one failure into two
        db.session.rollback()
        log.exception("could not record the timer failure of instance %s", instance_id)

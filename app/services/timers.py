"""Fire the timers that are due: a sweep over the `timer` projection, one instance per transaction.

The sweep reads only the indexed `timer` table; an instance is loaded only when one of its
timers is due. A failure on one instance is logged and rolled back without stopping the others.

Several sweepers may run at once (one scheduler per node, or an operator's `flask timers run-due`
beside the scheduler): each instance is locked before it is looked at again
(`locking.lock_running_instance`: `FOR UPDATE SKIP LOCKED` on PostgreSQL, the write lock on
SQLite), and its due timers are re-read under that lock, so a timer fires exactly once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, select

from app import clock
from app.extensions import db
from app.models import ProcessInstance, Timer
from app.services.locking import lock_running_instance
from app.workflow import StaleInstance, WorkflowError, fire_timers

log = logging.getLogger(__name__)


@dataclass
class SweepResult:
    fired: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)
    # Instances another sweeper was handling (locked) or had already handled when we got there.
    skipped: int = 0


def _due(now: datetime) -> list[int]:
    return list(
        db.session.scalars(
            select(Timer.instance_id)
            .where(Timer.state == "waiting", Timer.due_at <= now)
            .group_by(Timer.instance_id)
            .order_by(Timer.instance_id)
        )
    )


def _claim(instance_id: int, now: datetime) -> ProcessInstance | None:
    """The instance, locked, if it still has a due timer once we hold the lock; else None."""
    if not lock_running_instance(instance_id):
        return None
    still_due = db.session.scalar(
        select(
            exists().where(Timer.instance_id == instance_id, Timer.state == "waiting", Timer.due_at <= now)
        )
    )
    if not still_due:
        return None
    return db.session.scalars(
        select(ProcessInstance)
        .where(ProcessInstance.id == instance_id)
        .execution_options(populate_existing=True)
    ).one()


def run_due(now: datetime | None = None) -> SweepResult:
    now = now or clock.now()
    result = SweepResult()
    instance_ids = _due(now)
    db.session.commit()  # each instance below starts its own transaction, its lock first
    for instance_id in instance_ids:
        try:
            instance = _claim(instance_id, now)
            if instance is None:
                db.session.rollback()
                result.skipped += 1
                continue
            result.fired += len(fire_timers(instance, now=now))
            db.session.commit()
        except StaleInstance:
            db.session.rollback()  # a user's step saved first; its next sweep sees the new state
            result.skipped += 1
        except (WorkflowError, Exception) as exc:  # noqa: BLE001 - one bad instance must not stop the sweep
            db.session.rollback()
            log.exception("timer sweep failed for instance %s", instance_id)
            result.failed.append((instance_id, str(exc)))
    return result

"""Fire the timers that are due: a sweep over the `timer` projection, one instance per transaction.

The sweep reads only the indexed `timer` table; an instance is loaded only when one of its
timers is due. A failure on one instance is logged and rolled back without stopping the others.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import ProcessInstance, Timer
from app.workflow import WorkflowError, fire_timers

log = logging.getLogger(__name__)


@dataclass
class SweepResult:
    fired: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)


def run_due(now: datetime | None = None) -> SweepResult:
    now = now or clock.now()
    result = SweepResult()
    instance_ids = list(
        db.session.scalars(
            select(Timer.instance_id)
            .where(Timer.state == "waiting", Timer.due_at <= now)
            .group_by(Timer.instance_id)
            .order_by(Timer.instance_id)
        )
    )
    for instance_id in instance_ids:
        try:
            instance = db.session.get(ProcessInstance, instance_id)
            if instance is None or instance.status != "running":
                continue
            result.fired += len(fire_timers(instance, now=now))
            db.session.commit()
        except (WorkflowError, Exception) as exc:  # noqa: BLE001 - one bad instance must not stop the sweep
            db.session.rollback()
            log.exception("timer sweep failed for instance %s", instance_id)
            result.failed.append((instance_id, str(exc)))
    return result

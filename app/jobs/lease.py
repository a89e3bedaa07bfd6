"""The scheduler lease: a database row that lets one scheduler work while the others wait.

Every scheduler (the embedded one inside `flask run`, `flask scheduler run` processes, a second
web process) asks for the lease before each job. The holder renews it; when the holder stops
renewing (killed, hung, network gone) the lease expires and the next asker takes it over.
Leases run on wall-clock time: a frozen business clock would otherwise keep a dead holder alive.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import SchedulerLease

LEASE_NAME = "scheduler"


def new_holder_id() -> str:
    """Host, process and a random part: a restarted process never mistakes an old lease for its own."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def wall_now() -> datetime:
    return datetime.now(UTC)


def acquire(holder: str, ttl_seconds: int, *, now: datetime | None = None) -> bool:
    """Take or renew the lease for `ttl_seconds`; False while another live holder has it. Commits."""
    now = now or wall_now()
    expires = now + timedelta(seconds=ttl_seconds)
    renewed = db.session.execute(
        update(SchedulerLease)
        .where(SchedulerLease.name == LEASE_NAME, SchedulerLease.holder == holder)
        .values(renewed_at=now, expires_at=expires)
    )
    if _rowcount(renewed) == 0:
        taken = db.session.execute(
            update(SchedulerLease)
            .where(
                SchedulerLease.name == LEASE_NAME,
                or_(SchedulerLease.expires_at < now, SchedulerLease.holder == ""),
            )
            .values(holder=holder, acquired_at=now, renewed_at=now, expires_at=expires)
        )
        if _rowcount(taken) == 0 and not _insert(holder, now, expires):
            db.session.rollback()
            return False
    db.session.commit()
    return True


def _insert(holder: str, now: datetime, expires: datetime) -> bool:
    if db.session.get(SchedulerLease, LEASE_NAME) is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(
                SchedulerLease(
                    name=LEASE_NAME, holder=holder, acquired_at=now, renewed_at=now, expires_at=expires
                )
            )
    except IntegrityError:
        return False  # another scheduler inserted it a moment earlier
    return True


def release(holder: str) -> None:
    """Give the lease up at a clean shutdown so a standby takes over at once. Commits."""
    db.session.execute(
        update(SchedulerLease)
        .where(SchedulerLease.name == LEASE_NAME, SchedulerLease.holder == holder)
        .values(holder="", expires_at=wall_now())
    )
    db.session.commit()


def current() -> SchedulerLease | None:
    return db.session.get(SchedulerLease, LEASE_NAME)


def _rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)

"""The audit trail: every state change records who, when, what, with a hash chain.

Each event hashes its content together with the previous event's hash, so deleting or editing a
row breaks the chain (`verify_chain`). Events are only ever added.

The chain needs appends in one order: two transactions reading the same "previous hash" would
fork it. So `record` only queues the event on the session; just before the commit, the queued
events are chained and inserted under a lock held until the commit ends: a transaction-scoped
advisory lock on PostgreSQL, the database write lock on SQLite. Several web workers then append
one after the other only for those last few statements, not for their whole request. A rollback
drops the queue with everything else.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from app import clock
from app.extensions import db
from app.models import AuditEvent, WorkItem
from app.workflow import StepContext


def record(
    action: str,
    *,
    actor_id: int | None,
    directive_id: int | None = None,
    task_id: int | None = None,
    instance_id: int | None = None,
    work_item_id: int | None = None,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    entry = AuditEvent(
        # In UTC as stored: the hash of an instant given with +07:00 would not verify once read back.
        at=(at or clock.now()).astimezone(UTC),
        actor_id=actor_id,
        action=action,
        directive_id=directive_id,
        task_id=task_id,
        instance_id=instance_id,
        work_item_id=work_item_id,
        details=details or {},
    )
    db.session.info.setdefault(QUEUE_KEY, []).append(entry)
    return entry


QUEUE_KEY = "dondoc.audit_queue"
# Any fixed 64-bit number: the one advisory lock that orders audit appends on PostgreSQL.
APPEND_LOCK_KEY = 0x0D0D0C_A0D17


@sa_event.listens_for(Session, "before_commit")
def _append_queued(session: Session) -> None:
    """Chain and insert this transaction's events, last thing before the commit, under the lock."""
    queued: list[AuditEvent] = session.info.pop(QUEUE_KEY, [])
    if not queued:
        return
    session.flush()  # the rest of the transaction first, as when the events were flushed with it
    _lock_appends(session)
    previous = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    rows = []
    for entry in queued:
        entry.prev_hash = previous
        entry.hash = _digest(entry)
        previous = entry.hash
        rows.append({column: getattr(entry, column) for column in _INSERTED})
    # One executemany of a single-row INSERT, in the chain's order (ids follow it): SQLAlchemy
    # compiles the statement once and the driver sends the rows together (psycopg in one pipeline).
    # A multi-row VALUES was compiled anew for every transaction, and psycopg re-parses such long
    # statements every time. Nothing reads the queued objects back: they need not join the session.
    session.execute(insert(AuditEvent.__table__), rows)


_INSERTED = (
    "at",
    "actor_id",
    "action",
    "directive_id",
    "task_id",
    "instance_id",
    "work_item_id",
    "details",
    "prev_hash",
    "hash",
)


@sa_event.listens_for(Session, "after_rollback")
def _drop_queued(session: Session) -> None:
    session.info.pop(QUEUE_KEY, None)


def _lock_appends(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK_KEY})
    else:
        # A write (matching no row) makes SQLite take its write lock before the read below.
        session.execute(text("UPDATE audit_event SET id = id WHERE id = -1"))


# Any constant works; it names "the audit chain" among PostgreSQL's advisory locks.
AUDIT_CHAIN_LOCK = 6_2015_0001


def _serialize_appends() -> None:
    """Make concurrent transactions append to the chain one after the other.

    Two transactions that both read the last hash before either commits would fork the chain. On
    SQLite the single writer lock already orders them; on PostgreSQL a transaction-level advisory
    lock, held until commit, does.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_CHAIN_LOCK})


def record_item(
    action: str,
    actor_id: int | None,
    item: WorkItem,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Audit an action on a work item, linked to its directive, task and process."""
    return record(
        action,
        actor_id=actor_id,
        directive_id=item.directive_id,
        task_id=item.task_id,
        instance_id=item.instance_id,
        work_item_id=item.id,
        details=details,
        at=at,
    )


def record_step(action: str, context: StepContext, details: dict[str, Any]) -> AuditEvent:
    """Audit something that happened during an engine step, linked to that step's process."""
    instance = context.instance
    return record(
        action,
        actor_id=context.actor_id,
        directive_id=instance.directive_id,
        task_id=instance.task_id,
        instance_id=instance.id,
        details=details,
        at=context.now,
    )


def _digest(event: AuditEvent) -> str:
    body = json.dumps(
        [
            event.prev_hash,
            event.at.astimezone(UTC).isoformat(),  # as stored: an offset must not change the hash
            event.actor_id,
            event.action,
            event.directive_id,
            event.task_id,
            event.instance_id,
            event.work_item_id,
            event.details,
        ],
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def verify_chain() -> list[int]:
    """Ids of events whose hash or link does not match: empty when the trail is intact."""
    broken: list[int] = []
    previous: str | None = None
    for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        if event.prev_hash != previous or event.hash != _digest(event):
            broken.append(event.id)
        previous = event.hash
    return broken


def task_history(task_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(select(AuditEvent).where(AuditEvent.task_id == task_id).order_by(AuditEvent.id))
    )

"""Row locks for jobs that several processes may run at once (timer sweeps, a scheduler per node).

Optimistic locking (`process_instance.version`) already makes a concurrent writer fail; these
locks go further for background jobs, so that two sweepers do not even start the same work:

- PostgreSQL: `SELECT ... FOR UPDATE SKIP LOCKED`: a row another job holds is skipped at once,
  and the lock lasts until the job's transaction ends.
- SQLite has no row locks. The equivalent is its single writer lock: a no-op `UPDATE` of the row
  as the transaction's first statement takes the database write lock (waiting up to the busy
  timeout) and starts the read snapshot at that moment, so whatever the job then reads is the
  latest committed state and no other writer can change it before the commit.

Call these at the start of a fresh transaction (after a commit or a rollback).

`deployment_lock` is coarser: one `flask init` (migrations, model deployment) at a time, when
several containers start together against the same database.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import bindparam, text, update

from app.extensions import db
from app.models import ProcessInstance


def dialect_name() -> str:
    return str(db.session.get_bind().dialect.name)


def take_write_lock(instance_ids: list[int]) -> None:
    """SQLite: take the database write lock for this transaction (a no-op write of these running
    instances), so that what the job reads next is the latest committed state. PostgreSQL: nothing
    to do here; the job's own select locks its rows (`FOR UPDATE SKIP LOCKED`)."""
    if dialect_name() != "postgresql":
        db.session.execute(_TOUCH_RUNNING, {"ids": instance_ids})


# Built once: a statement object keeps its compiled form and cache key across executions.
_TOUCH_RUNNING = (
    update(ProcessInstance)
    .where(ProcessInstance.id.in_(bindparam("ids", expanding=True)), ProcessInstance.status == "running")
    .values(version=ProcessInstance.version)
    .execution_options(synchronize_session=False)
)


# Any fixed 64-bit number, distinct from the audit append lock.
DEPLOYMENT_LOCK_KEY = 0x0D0D0C_1A171


@contextmanager
def deployment_lock() -> Iterator[None]:
    """Serialise `flask init` across processes: a second one waits, then finds nothing to do.

    PostgreSQL: a session-level advisory lock on a connection of its own (the migrations use
    theirs). SQLite: an exclusive `flock` on a file beside the database.
    """
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": DEPLOYMENT_LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": DEPLOYMENT_LOCK_KEY})
                conn.commit()
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    with open(Path(database).with_name(Path(database).name + ".init-lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)

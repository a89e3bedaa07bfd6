"""Fire the timers that are due: a sweep over the `timer` projection, a batch of instances per transaction.

The sweep reads only the indexed `timer` table; an instance is loaded only when one of its
timers is due. Due instances are locked, stepped and committed in batches
(`DONDOC_TIMER_SWEEP_BATCH`, default 50): one lock statement, one audit append and one commit for
the batch instead of one each per instance, which is most of what a minimal timer costs. If
anything in a batch fails, the whole batch is rolled back and done again one instance per
transaction, so a failure stays with its own instance: it is logged, rolled back and counted on
its timer rows without stopping the others.

Exactly once: firing a timer *is* committing the instance's new engine state, in the same
transaction as the timer row (`fired`), the effects and the notices. The batch's instances are
locked first (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so a second sweep takes other instances;
SQLite: the write lock), and the version column still catches any writer that got there first
(`StaleInstance`). A sweep that dies before its commit leaves the batch's timers waiting for the
next sweep. Nothing can half-fire.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, select, update

from app import clock
from app.extensions import db
from app.models import Directive, ProcessInstance, ProcessModelVersion, Task, Timer
from app.services.locking import dialect_name, take_write_lock
from app.services.search_index import keep_referenced
from app.workflow import (
    StaleInstance,
    apply_timers,
    fire_timers,
    locked_batch,
    preload_version,
    step_timers,
    with_model_version,
)
from app.workflow.runtime import StepResult

log = logging.getLogger(__name__)


@dataclass
class SweepResult:
    fired: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)
    skipped: int = 0
    instances: int = 0
    duration_ms: int = 0
    processes: int = 1  # how many processes shared the work (`DONDOC_TIMER_SWEEP_WORKERS`)

    def add(self, other: SweepResult) -> None:
        self.fired += other.fired
        self.failed += other.failed
        self.skipped += other.skipped
        self.instances += other.instances

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


DEFAULT_BATCH = 50


def run_due(
    now: datetime | None = None, batch_size: int | None = None, workers: int | None = None
) -> SweepResult:
    """Fire every timer due at `now` (default: the clock, read again for each batch).

    With `workers` > 1 (default `DONDOC_TIMER_SWEEP_WORKERS`), the batches are shared among that
    many worker processes (`app.services.timer_workers`). On SQLite, which has one writer, they
    step their instances side by side and take turns to write (see `_fire_batch`).
    """
    started = time.perf_counter()
    instance_ids = due_instances(now or clock.now())
    db.session.rollback()  # end the read: each batch gets its own transaction
    config = current_app.config
    size = max(1, batch_size or int(config.get("DONDOC_TIMER_SWEEP_BATCH", DEFAULT_BATCH)))
    batches = [instance_ids[start : start + size] for start in range(0, len(instance_ids), size)]
    processes = workers or int(config.get("DONDOC_TIMER_SWEEP_WORKERS", 1))
    if processes > 1 and len(batches) > 1:
        from app.services import timer_workers

        result = timer_workers.fire_in_workers(batches, now, processes)
    else:
        result = fire_batches(batches, now)
    result.duration_ms = int((time.perf_counter() - started) * 1000)
    return result


def fire_batches(batches: list[list[int]], now: datetime | None) -> SweepResult:
    """Fire the due timers of these instances, a batch per transaction (see the module docstring)."""
    result = SweepResult()
    session = db.session()
    expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
    pinned: dict[int, ProcessModelVersion] = {}
    step_first = dialect_name() != "postgresql"
    try:  # model versions are immutable: keep them loaded (and referenced) across the commits
        for batch in batches:
            if len(batch) == 1 or not _fire_batch(batch, now, result, pinned, step_first):
                for instance_id in batch:  # one instance per transaction: a failure stays with its own
                    _fire_one(instance_id, now, result, pinned)
    finally:
        session.expire_on_commit = expire_on_commit
        session.expire_all()
    return result


def _fire_batch(
    instance_ids: list[int],
    fixed_now: datetime | None,
    result: SweepResult,
    pinned: dict[int, ProcessModelVersion],
    step_first: bool = False,
) -> bool:
    """Fire a batch in one transaction; False (everything rolled back) if any instance failed.

    With `step_first` (SQLite), the instances are stepped in memory before the write lock is
    taken, and under the lock each result is saved only if its instance is still at the version it
    was stepped from (else it is stepped again). SQLite has one writer: the lock is then held for
    the writes alone, so sweep workers step their batches side by side and web requests wait less.
    """
    at = (fixed_now or clock.now()).astimezone(UTC)
    try:
        stepped = _step_unlocked(instance_ids, at, pinned) if step_first else {}
        instances = _lock_instances(instance_ids, at)
        fired = 0
        with locked_batch():
            _load_subjects(instances)
            for instance in instances:
                pinned.setdefault(instance.model_version_id, instance.model_version)
                version, step = stepped.get(instance.id, (None, None))
                if step is not None and version == instance.version:
                    fired += len(apply_timers(instance, step, now=at))
                else:
                    fired += len(fire_timers(instance, now=at))
        db.session.commit()
    except Exception:  # noqa: BLE001 - redone one by one, where the failure is logged and counted
        db.session.rollback()
        return False
    result.instances += len(instances)
    result.fired += fired
    result.skipped += len(instance_ids) - len(instances)
    return True


def _step_unlocked(
    instance_ids: list[int], at: datetime, pinned: dict[int, ProcessModelVersion]
) -> dict[int, tuple[int, StepResult]]:
    """Step the due instances of a batch in memory from the last committed state, without a lock:
    {instance id: (the version it was stepped from, the step)}. An instance that fails here is left
    out and stepped again under the lock, where its failure is handled."""
    stepped: dict[int, tuple[int, StepResult]] = {}
    for instance in db.session.scalars(_DUE_INSTANCES, {"ids": instance_ids, "now": at}).unique():
        pinned.setdefault(instance.model_version_id, instance.model_version)
        try:
            stepped[instance.id] = (instance.version, step_timers(instance, now=at))
        except Exception:  # noqa: BLE001 - see the docstring
            continue
    db.session.commit()  # end the read: the writes start a transaction of their own
    return stepped


def _fire_one(
    instance_id: int, fixed_now: datetime | None, result: SweepResult, pinned: dict[int, ProcessModelVersion]
) -> None:
    at = (fixed_now or clock.now()).astimezone(UTC)
    try:
        instance = next(iter(_lock_instances([instance_id], at)), None)
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


def _lock_instances(instance_ids: list[int], now: datetime) -> list[ProcessInstance]:
    """Those of `instance_ids` still running with a timer still due, locked for this transaction.

    PostgreSQL: the select itself locks, skipping instances another sweep holds. SQLite: a no-op
    write takes the database write lock first, so the select reads the latest committed state.
    The re-check of the due timer (in the same statement) makes a second sweep arriving after the
    first one's commit skip quietly instead of loading and stepping the instance for nothing.
    """
    take_write_lock(instance_ids)
    return list(db.session.scalars(_LOCK_DUE_INSTANCES, {"ids": instance_ids, "now": now}).unique())


# Built once: a statement object keeps its compiled form and cache key across executions.
_DUE_INSTANCES = (
    select(ProcessInstance)
    .where(
        ProcessInstance.id.in_(bindparam("ids", expanding=True)),
        ProcessInstance.status == "running",
        select(Timer.id)
        .where(
            Timer.instance_id == ProcessInstance.id,
            Timer.state == "waiting",
            Timer.due_at <= bindparam("now"),
        )
        .exists(),
    )
    .order_by(ProcessInstance.id)
    .options(with_model_version())  # same query; the compiled spec comes from the cache
    .execution_options(populate_existing=True)  # never a copy kept from an earlier commit
)
_LOCK_DUE_INSTANCES = _DUE_INSTANCES.with_for_update(skip_locked=True, of=ProcessInstance)


def _load_subjects(instances: list[ProcessInstance]) -> None:
    """Load the directives and tasks of a batch's instances, in two queries instead of one or two
    per step (a new work item's search text and most notices read them), and keep them referenced
    until the commit."""
    directive_ids = {i.directive_id for i in instances if i.directive_id is not None}
    task_ids = {i.task_id for i in instances if i.task_id is not None}
    loaded: list[Any] = []
    if directive_ids:
        loaded += db.session.scalars(select(Directive).where(Directive.id.in_(directive_ids))).all()
    if task_ids:
        loaded += db.session.scalars(select(Task).where(Task.id.in_(task_ids))).all()
    keep_referenced(db.session(), loaded)


def preload_models() -> int:
    """Compile the model versions whose instances wait on a timer (a sweep worker at its start)."""
    waiting = (
        select(ProcessInstance.model_version_id)
        .join(Timer, Timer.instance_id == ProcessInstance.id)
        .where(Timer.state == "waiting")
        .distinct()
    )
    versions = db.session.scalars(
        select(ProcessModelVersion).where(ProcessModelVersion.id.in_(waiting))
    ).all()
    for version in versions:
        preload_version(version)
    return len(versions)


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

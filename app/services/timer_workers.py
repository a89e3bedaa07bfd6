"""The timer sweep in several processes at once.

Firing a timer is CPU work in Python (SpiffWorkflow restores, steps and serializes the instance;
the ORM writes the projections), so one process uses one core however many the server has. With
`DONDOC_TIMER_SWEEP_WORKERS` > 1 the scheduler process keeps a pool of that many worker
processes, each with its own application and database connection, and gives each a share of the
sweep's batches (every N-th batch). Nothing else changes: each worker commits its batch as one
transaction, so a worker that dies leaves its uncommitted batch waiting for the next sweep.

- PostgreSQL: each worker locks its batch with `FOR UPDATE SKIP LOCKED`; two workers never fire
  the same timer, and they write side by side.
- SQLite has a single writer. Each worker steps its batch in memory first, from the last committed
  state and without a lock (the larger part of the work), then takes the write lock and saves
  each step whose instance is still at the version it was stepped from (`timers._fire_batch`):
  the workers step side by side and take turns only to write.

The pool is created on the first parallel sweep and kept for the life of the process (a worker
starts in about a second: the application, SpiffWorkflow and the deployed models are loaded
once, at its start, not per sweep). A pool whose worker was killed is replaced at the next sweep.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

from app.extensions import db

if TYPE_CHECKING:
    from app.services.timers import SweepResult

log = logging.getLogger(__name__)

_pool: ProcessPoolExecutor | None = None
_pool_key: tuple[str, int] | None = None
_worker_app: Flask | None = None

# What a worker needs of the scheduler's configuration (the rest comes from the same environment).
PASSED_SETTINGS = (
    "SQLALCHEMY_DATABASE_URI",
    "SECRET_KEY",
    "DONDOC_TIMER_SWEEP_BATCH",
    "DONDOC_ALLOW_CLOCK_OVERRIDE",
    "DONDOC_BASE_URL",
    "DONDOC_MAIL_FROM",
)


def fire_in_workers(batches: list[list[int]], now: datetime | None, workers: int) -> SweepResult:
    """Share `batches` among `workers` processes; the merged `SweepResult`."""
    from app.services.timers import SweepResult

    pool = _worker_pool(workers)
    shares = [batches[k::workers] for k in range(workers)]
    futures: list[Future[SweepResult]] = [pool.submit(_fire_share, share, now) for share in shares if share]
    result = SweepResult(processes=len(futures))
    try:
        for future in futures:
            result.add(future.result())
    except BrokenProcessPool:
        shutdown()  # a worker died: its batch was not committed; the next sweep starts a new pool
        raise
    return result


def _worker_pool(workers: int) -> ProcessPoolExecutor:
    global _pool, _pool_key
    config = current_app.config
    key = (str(config["SQLALCHEMY_DATABASE_URI"]), workers)
    if _pool is None or _pool_key != key:
        shutdown()
        settings = {name: config[name] for name in PASSED_SETTINGS if name in config}
        _pool = ProcessPoolExecutor(
            max_workers=workers,
            # A fresh interpreter, not a fork of this one: a forked copy would share its open
            # database connections and the scheduler's threads.
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(settings,),
        )
        _pool_key = key
    return _pool


def warm(workers: int) -> None:
    """Start the pool now and wait until every worker has loaded (a scheduler calls it at start)."""
    pool = _worker_pool(workers)
    for future in [pool.submit(_ready) for _ in range(workers)]:
        future.result()


def shutdown() -> None:
    global _pool, _pool_key
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
    _pool, _pool_key = None, None


atexit.register(shutdown)


def _start_worker(settings: dict[str, Any]) -> None:
    """In the worker: its own application, never a scheduler of its own, the models compiled."""
    global _worker_app
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    from app import create_app
    from app.services.timers import preload_models

    _worker_app = create_app({**settings, "DONDOC_SCHEDULER": "off"})
    with _worker_app.app_context():
        preload_models()
        db.session.remove()


def _exit_with_parent(parent: int) -> None:
    """A scheduler killed outright (SIGKILL, OOM) cannot stop its pool: its workers notice and exit."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _ready() -> bool:
    return _worker_app is not None


def _fire_share(batches: list[list[int]], now: datetime | None) -> SweepResult:
    from app.services.timers import fire_batches

    assert _worker_app is not None, "the pool initializer creates the application"
    with _worker_app.app_context():
        try:
            return fire_batches(batches, now)
        finally:
            db.session.remove()

"""APScheduler wiring: one function registers every job; embedded in `flask run` or its own process.

- `register_jobs` is the single place that lists the jobs with their stable ids and intervals.
- `start_embedded` runs a BackgroundScheduler inside the `flask run` server (what `make run`
  does), never in the reloader's parent process, never in tests, never in other CLI commands.
- `run_blocking` is `flask scheduler run`, the production entry point, in its own process.

Whatever runs where, a job only works while its scheduler holds the database lease, so two
schedulers never sweep at the same time; the sweeps are idempotent anyway.
"""

from __future__ import annotations

import atexit
import logging
import signal
import threading
from typing import Any

import click
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from flask.helpers import get_debug_flag
from werkzeug.serving import is_running_from_reloader

from app.jobs import JOBS, JOBS_BY_ID, run_job
from app.jobs import lease as leases
from app.jobs.lease import wall_now

log = logging.getLogger(__name__)
LEASE_JOB_ID = "lease"


def register_jobs(scheduler: BaseScheduler, app: Flask, holder: str) -> list[str]:
    """Add the lease heartbeat and every job of `JOBS` with its configured interval; returns the ids."""
    ttl = int(app.config["DONDOC_SCHEDULER_LEASE_SECONDS"])
    first = wall_now()
    scheduler.add_job(
        _heartbeat,
        "interval",
        seconds=max(1, ttl // 3),
        id=LEASE_JOB_ID,
        args=(app, holder),
        replace_existing=True,
        next_run_time=first,
    )
    for job in JOBS:
        scheduler.add_job(
            _guarded,
            "interval",
            seconds=int(app.config[job.interval_key]),
            id=job.id,
            name=job.description,
            args=(app, job.id, holder),
            replace_existing=True,
            next_run_time=first,
        )
    return [LEASE_JOB_ID, *(job.id for job in JOBS)]


def _scheduler_options() -> dict[str, Any]:
    # One run per job at a time; runs missed while busy collapse into one (a sweep catches up anyway).
    return {
        "timezone": "UTC",
        "job_defaults": {"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
    }


def _heartbeat(app: Flask, holder: str) -> None:
    with app.app_context():
        try:
            held = leases.acquire(holder, int(app.config["DONDOC_SCHEDULER_LEASE_SECONDS"]))
            log.debug("lease %s by %s", "held" if held else "waiting", holder)
        except Exception:  # noqa: BLE001 - a database hiccup must not kill the heartbeat
            log.exception("could not renew the scheduler lease")


def _guarded(app: Flask, job_id: str, holder: str) -> None:
    """Run a job if this scheduler holds (or can take) the lease; otherwise do nothing this time."""
    with app.app_context():
        try:
            if not leases.acquire(holder, int(app.config["DONDOC_SCHEDULER_LEASE_SECONDS"])):
                return
        except Exception:  # noqa: BLE001
            log.exception("could not check the scheduler lease before %s", job_id)
            return
        run = run_job(JOBS_BY_ID[job_id], holder)
        log.info(
            "job %s: %s in %s ms %s", job_id, "ok" if run.is_ok else "FAILED", run.duration_ms, run.summary
        )


def should_start_embedded(app: Flask) -> bool:
    """Only the serving process of `flask run` embeds the scheduler (not tests, not other commands)."""
    if app.config.get("TESTING") or app.config.get("DONDOC_SCHEDULER") != "embedded":
        return False
    ctx = click.get_current_context(silent=True)
    if ctx is None or ctx.info_name != "run":
        return False
    reload = ctx.params.get("reload")
    if reload is None:
        reload = get_debug_flag()
    return not reload or is_running_from_reloader()


def start_embedded(app: Flask) -> BackgroundScheduler | None:
    if not should_start_embedded(app):
        return None
    holder = leases.new_holder_id()
    scheduler = BackgroundScheduler(daemon=True, **_scheduler_options())
    register_jobs(scheduler, app, holder)
    scheduler.start()
    app.extensions["dondoc_scheduler"] = scheduler
    atexit.register(_stop, app, scheduler, holder)
    _exit_cleanly_on_sigterm(scheduler)
    log.info("embedded scheduler started as %s", holder)
    return scheduler


def _exit_cleanly_on_sigterm(scheduler: BaseScheduler) -> None:
    """`flask run` dies on SIGTERM without running `atexit`, so its lease would stay held until it
    expires: turn the signal into a normal exit (only where nobody else handles it). The scheduler
    stops first, so that no job starts while the interpreter is shutting down."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return

    def stop(signum: int, _frame: Any) -> None:
        log.info("signal %s: stopping the embedded scheduler and the server", signum)
        scheduler.shutdown(wait=True)
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)


def _stop(app: Flask, scheduler: BaseScheduler, holder: str) -> None:
    try:
        scheduler.shutdown(wait=False)
    except Exception:  # noqa: BLE001 - already stopped
        pass
    with app.app_context():
        try:
            leases.release(holder)
        except Exception:  # noqa: BLE001 - the lease simply expires
            log.warning("could not release the scheduler lease at exit")


def _start_sweep_workers(app: Flask) -> None:
    """Start the timer sweep's worker processes now rather than in the first sweep."""
    from app.services import timer_workers

    workers = int(app.config.get("DONDOC_TIMER_SWEEP_WORKERS", 1))
    with app.app_context():
        if workers > 1:
            timer_workers.warm(workers)
            log.info("timer sweep workers started: %s", workers)


def run_blocking(app: Flask, holder: str | None = None) -> None:
    """`flask scheduler run`: work while holding the lease, wait while another scheduler holds it."""
    holder = holder or leases.new_holder_id()
    scheduler = BlockingScheduler(**_scheduler_options())
    ids = register_jobs(scheduler, app, holder)

    def stop(signum: int, _frame: Any) -> None:
        log.info("signal %s: stopping the scheduler", signum)
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("scheduler %s starting jobs %s", holder, ", ".join(ids))
    _start_sweep_workers(app)
    try:
        scheduler.start()
    finally:
        _stop(app, scheduler, holder)

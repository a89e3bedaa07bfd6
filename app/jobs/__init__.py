"""Background jobs: sweeps over due rows, each committing per row, each run recorded.

Jobs are plain functions returning a summary dict. `run_job` wraps one run: it times it, turns
an exception into a failed run instead of a dead scheduler thread, and records a `job_run` row for
the health page. The scheduler wiring (APScheduler, the lease) is in `app.jobs.scheduler`; tests
and operators call `run_job` directly (`flask scheduler run-once`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete

from app.extensions import db
from app.i18n_marker import N_
from app.jobs.lease import wall_now
from app.models import JobRun

log = logging.getLogger(__name__)
KEEP_RUNS = timedelta(days=3)


@dataclass(frozen=True)
class Job:
    id: str
    interval_key: str
    description: str
    run: Callable[[], dict[str, Any]]


def _timers() -> dict[str, Any]:
    from app.services.timers import run_due

    result = run_due()
    return {**result.summary(), "errors": [f"#{i}: {m}"[:300] for i, m in result.failed[:10]]}


def _reminders() -> dict[str, Any]:
    from app.jobs.reminders import run

    return run()


def _mail() -> dict[str, Any]:
    from app.jobs.outbox import run

    return run()


def _digest() -> dict[str, Any]:
    from app.jobs.digest import run

    return run()


def _weekly() -> dict[str, Any]:
    from app.jobs.weekly import run

    return run()


def _report_periods() -> dict[str, Any]:
    """Open the periodic reports due today under the active profile (idempotent: one per key)."""
    from app import clock
    from app.services.reports.periods import start_due_report_periods

    opened = start_due_report_periods(clock.now())
    db.session.commit()
    return {"opened": len(opened), "periods": [p.title for p in opened][:10]}


JOBS: tuple[Job, ...] = (
    Job("timers", "DONDOC_TIMER_SWEEP_SECONDS", N_("Kích hoạt hẹn giờ đến hạn của các quy trình"), _timers),
    Job(
        "reminders",
        "DONDOC_REMINDER_SWEEP_SECONDS",
        N_("Nhắc hạn, báo quá hạn, báo cáo lên trên"),
        _reminders,
    ),
    Job("mail", "DONDOC_MAIL_SECONDS", N_("Gửi thư điện tử trong hàng đợi, gửi lại thư lỗi"), _mail),
    Job("digest", "DONDOC_DIGEST_SWEEP_SECONDS", N_("Thư tổng hợp thông báo hằng ngày"), _digest),
    Job("weekly_overdue", "DONDOC_WEEKLY_SWEEP_SECONDS", N_("Bảng nhiệm vụ quá hạn hằng tuần"), _weekly),
    Job(
        "report_periods", "DONDOC_REPORT_SWEEP_SECONDS", N_("Mở kỳ báo cáo định kỳ đến hạn"), _report_periods
    ),
)
JOBS_BY_ID = {job.id: job for job in JOBS}


def run_job(job: Job, holder: str | None = None) -> JobRun:
    """Run one job once, record how it went, commit. Never raises: a failure is a failed run."""
    started = wall_now()
    clock_start = time.perf_counter()
    summary: dict[str, Any] = {}
    error: str | None = None
    try:
        summary = job.run()
    except Exception as exc:  # noqa: BLE001 - a job failure is recorded, the scheduler goes on
        db.session.rollback()
        log.exception("background job %s failed", job.id)
        error = f"{type(exc).__name__}: {exc}"[:4000]
    duration = int((time.perf_counter() - clock_start) * 1000)
    run = JobRun(
        job_id=job.id,
        holder=holder,
        started_at=started,
        finished_at=wall_now(),
        duration_ms=duration,
        is_ok=error is None,
        summary=summary,
        error=error,
    )
    db.session.add(run)
    db.session.execute(delete(JobRun).where(JobRun.job_id == job.id, JobRun.started_at < started - KEEP_RUNS))
    db.session.commit()
    return run

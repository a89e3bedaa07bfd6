"""What the administrator's health page shows: the scheduler lease, each job's last runs, the timer
backlog and failures, the lateness of fired timers (fired_at - due_at), the e-mail outbox.

Everything is read from small tables and indexed ranges; nothing deserializes a workflow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select

from app.extensions import db
from app.i18n_marker import N_
from app.jobs import JOBS
from app.jobs.lease import current as current_lease
from app.jobs.lease import wall_now
from app.models import JobRun, MailOutbox, SchedulerLease, Timer
from app.models.types import aggregate_instant

LATENESS_SAMPLE = 1000
LATENESS_BUCKETS: tuple[tuple[str, float], ...] = (
    (N_("≤ 30 giây"), 30),
    (N_("≤ 1 phút"), 60),
    (N_("≤ 5 phút"), 300),
    (N_("≤ 1 giờ"), 3600),
    (N_("> 1 giờ"), float("inf")),
)


@dataclass
class JobHealth:
    id: str
    description: str
    interval_seconds: int
    last: JobRun | None
    runs: int
    failures: int
    max_ms: int
    avg_ms: float


@dataclass
class Lateness:
    count: int = 0
    p50: float | None = None
    p90: float | None = None
    p99: float | None = None
    max: float | None = None
    buckets: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Health:
    now: datetime
    lease: SchedulerLease | None
    lease_live: bool
    jobs: list[JobHealth]
    waiting_timers: int
    due_backlog: int
    oldest_due: datetime | None
    failing_timers: list[Timer]
    lateness: Lateness
    outbox: dict[str, int]
    outbox_errors: list[MailOutbox]


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list (no interpolation: a real observed value)."""
    rank = max(1, int(round(fraction * len(sorted_values) + 0.5)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def lateness_of(values: list[float]) -> Lateness:
    if not values:
        return Lateness(buckets=[(label, 0) for label, _ in LATENESS_BUCKETS])
    ordered = sorted(values)
    buckets: list[tuple[str, int]] = []
    lower = float("-inf")
    for label, upper in LATENESS_BUCKETS:
        buckets.append((label, sum(1 for v in ordered if lower < v <= upper)))
        lower = upper
    return Lateness(
        count=len(ordered),
        p50=percentile(ordered, 0.50),
        p90=percentile(ordered, 0.90),
        p99=percentile(ordered, 0.99),
        max=ordered[-1],
        buckets=buckets,
    )


def recent_lateness(since: datetime) -> Lateness:
    """Lateness of the last fired timers (state `fired`, newest first, via ix_timer_state_fired)."""
    rows = db.session.execute(
        select(Timer.due_at, Timer.fired_at)
        .where(Timer.state == "fired", Timer.fired_at >= since)
        .order_by(Timer.fired_at.desc())
        .limit(LATENESS_SAMPLE)
    ).all()
    return lateness_of([(fired - due).total_seconds() for due, fired in rows if fired is not None])


def _job_health(config: dict[str, Any], since: datetime) -> list[JobHealth]:
    result = []
    for job in JOBS:
        last = db.session.scalars(
            select(JobRun).where(JobRun.job_id == job.id).order_by(JobRun.started_at.desc()).limit(1)
        ).first()
        runs, failures, max_ms, avg_ms = db.session.execute(
            select(
                func.count(JobRun.id),
                func.sum(case((JobRun.is_ok.is_(False), 1), else_=0)),
                func.max(JobRun.duration_ms),
                func.avg(JobRun.duration_ms),
            ).where(JobRun.job_id == job.id, JobRun.started_at >= since)
        ).one()
        result.append(
            JobHealth(
                job.id,
                job.description,
                int(config[job.interval_key]),
                last,
                int(runs or 0),
                int(failures or 0),
                int(max_ms or 0),
                float(avg_ms or 0),
            )
        )
    return result


def snapshot(config: dict[str, Any], business_now: datetime) -> Health:
    now = wall_now()
    since = now - timedelta(days=1)
    lease = current_lease()
    waiting = Timer.state == "waiting"
    backlog, oldest = db.session.execute(
        select(func.count(Timer.id), func.min(Timer.due_at)).where(waiting, Timer.due_at <= business_now)
    ).one()
    by_state = select(MailOutbox.state, func.count(MailOutbox.id)).group_by(MailOutbox.state)
    outbox = dict(db.session.execute(by_state).all())
    return Health(
        now=now,
        lease=lease,
        lease_live=bool(lease and lease.holder and lease.expires_at > now),
        jobs=_job_health(config, since),
        waiting_timers=int(db.session.scalar(select(func.count(Timer.id)).where(waiting)) or 0),
        due_backlog=int(backlog or 0),
        oldest_due=aggregate_instant(oldest),
        failing_timers=list(
            db.session.scalars(
                select(Timer).where(waiting, Timer.attempts > 0).order_by(Timer.due_at).limit(20)
            )
        ),
        lateness=recent_lateness(business_now - timedelta(days=7)),
        outbox={str(k): int(v) for k, v in outbox.items()},
        outbox_errors=list(
            db.session.scalars(
                select(MailOutbox)
                .where(MailOutbox.last_error.is_not(None), MailOutbox.state != "sent")
                .order_by(MailOutbox.id.desc())
                .limit(5)
            )
        ),
    )

"""Rows the background jobs keep: who may run them (the lease) and how their runs went."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime


class SchedulerLease(db.Model):  # type: ignore[name-defined,misc]
    """One row per lease name: the scheduler holding it works, every other one waits.

    The holder renews `expires_at` while it runs; when it dies the row simply expires and the
    next scheduler that asks takes it over. Times here are wall-clock time, never the frozen
    business clock, because they measure whether a process is still alive.
    """

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime())
    renewed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<SchedulerLease {self.name} {self.holder} until {self.expires_at:%H:%M:%S}>"


class JobRun(db.Model):  # type: ignore[name-defined,misc]
    """One run of one background job: when, how long, what it did (kept a few days for the health page)."""

    __tablename__ = "job_run"
    __table_args__ = (Index("ix_job_run_job_started", "job_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(60))
    holder: Mapped[str | None] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime())
    duration_ms: Mapped[int] = mapped_column(default=0)
    is_ok: Mapped[bool] = mapped_column(default=True)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<JobRun {self.job_id} {self.started_at:%Y-%m-%d %H:%M:%S} {self.duration_ms} ms>"

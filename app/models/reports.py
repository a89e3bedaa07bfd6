"""Periodic and ad hoc reports (R13): one row per report period, one per agency's report in it.

The figures of a report are computed from the task register at the period's cut-off; what the
agencies and the Office write (assessment, obstacles, proposals) and the figures they signed off
are kept here as snapshots, so an approved report reads the same years later.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.org import Unit, User
from app.models.types import UTCDateTime


class ReportPeriod(db.Model):  # type: ignore[name-defined,misc]
    """One report the Office consolidates: a quarter, half-year, 9 months, year, month or ad hoc.

    `period_key` makes the scheduled start idempotent: the same period of the same Office is
    never opened twice, however often the job runs.
    """

    __tablename__ = "report_period"
    __table_args__ = (Index("ix_report_period_office_status", "office_unit_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column()
    seq: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(255))
    period_start: Mapped[date] = mapped_column(Date)
    cutoff_on: Mapped[date] = mapped_column(Date)
    agency_due_on: Mapped[date | None] = mapped_column(Date)
    office_due_on: Mapped[date | None] = mapped_column(Date)
    approval_due_on: Mapped[date | None] = mapped_column(Date)
    citation: Mapped[str | None] = mapped_column(String(255))
    profile: Mapped[str | None] = mapped_column(String(60))
    office_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    scope_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    status: Mapped[str] = mapped_column(String(30), default="opening")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    request_note: Mapped[str | None] = mapped_column(Text)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    consolidated: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    is_published: Mapped[bool] = mapped_column(default=False)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    office_unit: Mapped[Unit] = relationship(foreign_keys=[office_unit_id])
    scope_unit: Mapped[Unit] = relationship(foreign_keys=[scope_unit_id])
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    agency_reports: Mapped[list[AgencyReport]] = relationship(
        back_populates="period", order_by="AgencyReport.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<ReportPeriod {self.period_key}>"


class AgencyReport(db.Model):  # type: ignore[name-defined,misc]
    """An agency's own report for a period: its work item, its text and the figures it sent."""

    __tablename__ = "agency_report"
    __table_args__ = (UniqueConstraint("period_id", "unit_id", name="uq_agency_report_period_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("report_period.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    due_on: Mapped[date | None] = mapped_column(Date)
    is_late: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))

    period: Mapped[ReportPeriod] = relationship(back_populates="agency_reports")
    unit: Mapped[Unit] = relationship()

    def __repr__(self) -> str:
        return f"<AgencyReport period={self.period_id} unit={self.unit_id} {self.status}>"

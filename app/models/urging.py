"""Urging (đôn đốc, R11): urging notices and documents, and the weekly overdue table (Appendix 01)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.directives import Task
from app.models.org import Unit, User
from app.models.types import UTCDateTime


class Urging(db.Model):  # type: ignore[name-defined,misc]
    """An urging notice, or an urging document (number, date, signer, file), about one or many tasks."""

    __tablename__ = "urging"
    __table_args__ = (Index("ix_urging_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    kind: Mapped[str] = mapped_column(String(20), default="notice")
    source: Mapped[str] = mapped_column(String(20), default="office")
    message: Mapped[str] = mapped_column(Text)
    doc_reference: Mapped[str | None] = mapped_column(String(100))
    doc_date: Mapped[date | None] = mapped_column(Date)
    doc_signer: Mapped[str | None] = mapped_column(String(255))
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_key: Mapped[str | None] = mapped_column(String(100))
    file_size: Mapped[int | None] = mapped_column()
    file_type: Mapped[str | None] = mapped_column(String(100))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    created_by: Mapped[User | None] = relationship()
    office_unit: Mapped[Unit] = relationship()
    links: Mapped[list[UrgingTask]] = relationship(back_populates="urging", cascade="all, delete-orphan")

    @property
    def tasks(self) -> list[Task]:
        return [link.task for link in self.links]

    @property
    def is_document(self) -> bool:
        return self.kind == "document"

    def __repr__(self) -> str:
        return f"<Urging {self.id} {self.kind} {self.doc_reference or ''}>"


class UrgingTask(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "urging_task"

    urging_id: Mapped[int] = mapped_column(ForeignKey("urging.id"), primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), primary_key=True, index=True)

    urging: Mapped[Urging] = relationship(back_populates="links")
    task: Mapped[Task] = relationship()


class OverdueReport(db.Model):  # type: ignore[name-defined,misc]
    """One unit's weekly table of overdue tasks (Appendix 01 of the Lào Cai text), one per week."""

    __tablename__ = "overdue_report"
    __table_args__ = (UniqueConstraint("unit_id", "week_start", name="uq_overdue_report_unit_week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    week_start: Mapped[date] = mapped_column(Date, index=True)
    week_end: Mapped[date] = mapped_column(Date)
    report_on: Mapped[date] = mapped_column(Date)
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    row_count: Mapped[int] = mapped_column(default=0)

    unit: Mapped[Unit] = relationship()
    rows: Mapped[list[OverdueReportRow]] = relationship(
        back_populates="report", order_by="OverdueReportRow.seq", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<OverdueReport unit {self.unit_id} week {self.week_start}>"


class OverdueReportRow(db.Model):  # type: ignore[name-defined,misc]
    """Columns 1-8 are the Office's snapshot; 9-14 (situation, cause, dates, confirmation) the unit's."""

    __tablename__ = "overdue_report_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("overdue_report.id"), index=True)
    seq: Mapped[int] = mapped_column()
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"))
    reference: Mapped[str] = mapped_column(String(130))
    summary: Mapped[str] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
    doc_date: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    days_overdue: Mapped[int] = mapped_column()
    unit_name: Mapped[str] = mapped_column(String(255))
    situation: Mapped[str | None] = mapped_column(String(20))
    cause: Mapped[str | None] = mapped_column(Text)
    expected_on: Mapped[date | None] = mapped_column(Date)
    confirmation: Mapped[str | None] = mapped_column(Text)
    related_documents: Mapped[str | None] = mapped_column(Text)
    filled_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    filled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    report: Mapped[OverdueReport] = relationship(back_populates="rows")
    filled_by: Mapped[User | None] = relationship()

"""Domain rows: directive documents and the tasks (nhiệm vụ) they assign.

These are projections kept by the services in the same transaction as every engine step; list
pages and reports read them and never the serialized workflows.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.org import Unit, User
from app.models.types import UTCDateTime


class Directive(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "directive"
    __table_args__ = (
        Index("ix_directive_issued_on", "issued_on"),
        Index("ix_directive_office_issued", "office_unit_id", "issued_on"),
        # R14: the few separate-register directives, read by every authorisation filter of a user
        # not cleared for them; without it each inbox page scanned the whole directive table.
        Index(
            "ix_directive_separate_register",
            "id",
            "confidentiality",
            sqlite_where=text("register = 'separate'"),
            postgresql_where=text("register = 'separate'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(40))
    number: Mapped[str] = mapped_column(String(40))
    symbol: Mapped[str] = mapped_column(String(80))
    summary: Mapped[str] = mapped_column(Text)
    issued_on: Mapped[date] = mapped_column(Date)
    signer: Mapped[str] = mapped_column(String(255))
    # R1: the agency that submitted the draft (cơ quan trình), when the document names one.
    submitting_agency: Mapped[str | None] = mapped_column(String(255))
    confidentiality: Mapped[str] = mapped_column(String(20), default="normal")
    is_urgent: Mapped[bool] = mapped_column(default=False)
    origin_level: Mapped[str | None] = mapped_column(String(20))
    # "Many tasks, many agencies or many opinions": the Office's call, it may lengthen R5's deadline.
    is_complex: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="registered")
    office_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    classify_due_on: Mapped[date | None] = mapped_column(Date)
    classify_rule: Mapped[str | None] = mapped_column(String(200))
    # The regulation profile in force when the directive was registered: its processes keep it.
    profile: Mapped[str | None] = mapped_column(String(40))
    # R14: "main" register, or the "separate" one kept for cleared users only.
    register: Mapped[str] = mapped_column(String(20), default="main")
    # R14 "redacted": summary and task contents were not stored, only counts, deadlines, outcomes.
    is_redacted: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Reference, summary, signer and task contents folded (no diacritics, lower case): see app/text.py.
    search_text: Mapped[str] = mapped_column(Text, default="")

    tasks: Mapped[list[Task]] = relationship(back_populates="directive", order_by="Task.seq")
    office_unit: Mapped[Unit] = relationship()

    @property
    def reference(self) -> str:
        """Số/ký hiệu as written on the document, e.g. "12/QĐ-UBND"."""
        return f"{self.number}/{self.symbol}"


class Task(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "task"
    __table_args__ = (
        Index("ix_task_lead_status", "lead_unit_id", "status"),
        Index("ix_task_status_due", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("directive.id"), index=True)
    seq: Mapped[int] = mapped_column(default=1)
    content: Mapped[str] = mapped_column(Text)
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    # Lĩnh vực (finance, construction...): a free label the Office gives, used to filter inboxes.
    field: Mapped[str | None] = mapped_column(String(100), index=True)
    # Lãnh đạo phụ trách: the leader who follows this task; dashboards filter by it.
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    # Công khai: only a task marked public may show its content on the public page (never when
    # its directive is confidential).
    is_public: Mapped[bool] = mapped_column(default=False)
    due_on: Mapped[date | None] = mapped_column(Date)
    # Which rule produced due_on and on which calendar revision: deadlines must be explainable.
    due_rule: Mapped[str | None] = mapped_column(String(200))
    # The deadline as first assigned, before any extension or leadership adjustment.
    original_due_on: Mapped[date | None] = mapped_column(Date)
    # R3: what the task must produce: "submit" (phải trình), "report" (phải báo cáo) or "none".
    deliverable: Mapped[str] = mapped_column(String(20), default="none")
    # R3/R8: fixed by the Government, a ministry or the Party committee: no local extension.
    deadline_fixed_by_higher: Mapped[bool] = mapped_column(default=False)
    # R7: the day by which status and results must be in the system (deadline + the profile's window).
    result_due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(40), default="not_received")
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    progress_note: Mapped[str | None] = mapped_column(Text)
    expected_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    result_summary: Mapped[str | None] = mapped_column(Text)
    result_document: Mapped[str | None] = mapped_column(String(255))
    # R9: the confirmer's evaluation of quality and effectiveness.
    quality: Mapped[str | None] = mapped_column(String(20))
    effectiveness: Mapped[str | None] = mapped_column(String(20))
    evaluation_note: Mapped[str | None] = mapped_column(Text)
    evaluated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    evaluated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    directive: Mapped[Directive] = relationship(back_populates="tasks")
    lead_unit: Mapped[Unit] = relationship()
    leader: Mapped[User | None] = relationship(foreign_keys=[leader_id])
    coordinators: Mapped[list[TaskCoordinator]] = relationship(cascade="all, delete-orphan")

    @property
    def coordinating_units(self) -> list[Unit]:
        return [c.unit for c in self.coordinators]


class TaskCoordinator(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "task_coordinator"

    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True, index=True)

    unit: Mapped[Unit] = relationship()

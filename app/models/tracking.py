"""What happens around a task while it is carried out: extension requests, coordination requests,
obstacle reports and internal assignments (urging is `app/models/urging.py`).

Each row is written by a model effect in the same transaction as the engine step that caused it,
so reports and the task page read them without deserializing any workflow.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.org import Unit
from app.models.types import UTCDateTime


class ExtensionRequest(db.Model):  # type: ignore[name-defined,misc]
    """R8: an agency's written request for more time, the Office's submission, the decision."""

    __tablename__ = "extension_request"
    __table_args__ = (Index("ix_extension_request_task", "task_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"))
    status: Mapped[str] = mapped_column(String(20), default="filed")  # filed, forwarded, approved, refused
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_on_before: Mapped[date] = mapped_column(Date)
    proposed_due_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    request_document: Mapped[str | None] = mapped_column(String(255))
    forward_due_on: Mapped[date | None] = mapped_column(Date)
    rule: Mapped[str | None] = mapped_column(String(200))
    office_opinion: Mapped[str | None] = mapped_column(Text)
    forwarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    forwarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    new_due_on: Mapped[date | None] = mapped_column(Date)
    decision_note: Mapped[str | None] = mapped_column(Text)
    answer_document: Mapped[str | None] = mapped_column(String(255))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CoordinationRequest(db.Model):  # type: ignore[name-defined,misc]
    """R10: the lead agency asks one coordinating agency for input by a date it sets."""

    __tablename__ = "coordination_request"
    __table_args__ = (Index("ix_coordination_request_task", "task_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, answered, escalated, closed
    request_text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answer_text: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    leadership_instruction: Mapped[str | None] = mapped_column(Text)

    unit: Mapped[Unit] = relationship()


class ObstacleReport(db.Model):  # type: ignore[name-defined,misc]
    """R10: difficulties reported by the agency, the Office's proposal, the leadership's decision."""

    __tablename__ = "obstacle_report"
    __table_args__ = (Index("ix_obstacle_report_task", "task_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"))
    status: Mapped[str] = mapped_column(String(20), default="reported")  # reported, proposed, decided
    description: Mapped[str] = mapped_column(Text)
    cause: Mapped[str | None] = mapped_column(Text)
    agency_proposal: Mapped[str | None] = mapped_column(Text)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    office_proposal: Mapped[str | None] = mapped_column(String(30))
    office_note: Mapped[str | None] = mapped_column(Text)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision: Mapped[str | None] = mapped_column(String(30))
    decision_note: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class InternalAssignment(db.Model):  # type: ignore[name-defined,misc]
    """R15: inside the lead agency, the head gives the task to a section, which gives it to an officer."""

    __tablename__ = "internal_assignment"
    __table_args__ = (Index("ix_internal_assignment_task", "task_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"))
    section_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="requested")
    # requested (by the focal officer), assigned (by the head), received (by the section), reported, approved
    request_note: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    instructions: Mapped[str | None] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    section_instructions: Mapped[str | None] = mapped_column(Text)
    result_text: Mapped[str | None] = mapped_column(Text)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    section_unit: Mapped[Unit | None] = relationship()

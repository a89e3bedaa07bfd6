"""Inspection (kiểm tra, R12): yearly plans, inspections, their teams, inspected units, conclusions,
recommendations and the dossier (hồ sơ kiểm tra).

The `inspection` BPMN process is the source of truth for where an inspection stands; these rows are
its projection, written by the `update_inspection(...)` effect in the same transaction as each engine
step, so that lists, the signals view and the public page never deserialize a workflow.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.org import Unit, User
from app.models.types import UTCDateTime


class InspectionPlan(db.Model):  # type: ignore[name-defined,misc]
    """The yearly inspection plan the Office drafts and the leader approves (000:9.1.a, 001:12.1.a)."""

    __tablename__ = "inspection_plan"
    __table_args__ = (Index("ix_inspection_plan_owner_year", "owner_unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(500))
    content: Mapped[str] = mapped_column(Text)
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    approved_on: Mapped[date | None] = mapped_column(Date)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    owner_unit: Mapped[Unit] = relationship()
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])

    def __repr__(self) -> str:
        return f"<InspectionPlan {self.year} {self.status}>"


class Inspection(db.Model):  # type: ignore[name-defined,misc]
    """One inspection (đợt kiểm tra), periodic under a plan or ad hoc, from proposal to closed dossier."""

    __tablename__ = "inspection"
    __table_args__ = (
        Index("ix_inspection_owner_status", "owner_unit_id", "status"),
        Index("ix_inspection_report_due", "status", "report_due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # periodic | ad_hoc
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_plan.id"), index=True)
    trigger: Mapped[str | None] = mapped_column(String(40))  # ad hoc: leader_request | signals | other
    reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(30), default="drafting")
    title: Mapped[str] = mapped_column(String(500))
    # Who conducts it (the Office, or an agency inspecting its own scope), who decides, who is told.
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    leader_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    leader_role: Mapped[str] = mapped_column(String(40))
    office_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    # The five items of the inspection decision (000:12.2, 001:15.3); team members are rows below.
    legal_basis: Mapped[str | None] = mapped_column(Text)
    scope: Mapped[str | None] = mapped_column(Text)
    content: Mapped[str | None] = mapped_column(Text)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    documents_due_on: Mapped[date | None] = mapped_column(Date)
    decision_number: Mapped[str | None] = mapped_column(String(40))
    decision_symbol: Mapped[str | None] = mapped_column(String(80))
    decision_signed_on: Mapped[date | None] = mapped_column(Date)
    decision_signer: Mapped[str | None] = mapped_column(String(255))
    decision_signer_title: Mapped[str | None] = mapped_column(String(255))
    # Carrying out and reporting (000:13-14, 001:16-17).
    ended_on: Mapped[date | None] = mapped_column(Date)
    minutes_summary: Mapped[str | None] = mapped_column(Text)
    report_days: Mapped[int | None] = mapped_column()
    report_due_on: Mapped[date | None] = mapped_column(Date)
    is_report_overdue: Mapped[bool] = mapped_column(default=False)
    report_number: Mapped[str | None] = mapped_column(String(40))
    report_symbol: Mapped[str | None] = mapped_column(String(80))
    reported_on: Mapped[date | None] = mapped_column(Date)
    evaluation: Mapped[str | None] = mapped_column(Text)
    is_publish_required: Mapped[bool] = mapped_column(default=False)
    concluded_on: Mapped[date | None] = mapped_column(Date)
    last_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    plan: Mapped[InspectionPlan | None] = relationship()
    owner_unit: Mapped[Unit] = relationship(foreign_keys=[owner_unit_id])
    leader_unit: Mapped[Unit] = relationship(foreign_keys=[leader_unit_id])
    office_unit: Mapped[Unit] = relationship(foreign_keys=[office_unit_id])
    subjects: Mapped[list[InspectionSubject]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="InspectionSubject.id"
    )
    members: Mapped[list[InspectionMember]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="InspectionMember.id"
    )
    conclusions: Mapped[list[InspectionConclusion]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="InspectionConclusion.id"
    )
    recommendations: Mapped[list[InspectionRecommendation]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="InspectionRecommendation.seq"
    )
    documents: Mapped[list[InspectionDocument]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="InspectionDocument.id"
    )

    @property
    def decision_reference(self) -> str | None:
        if not self.decision_number:
            return None
        return f"{self.decision_number}/{self.decision_symbol}"

    @property
    def report_reference(self) -> str | None:
        if not self.report_number:
            return None
        return f"{self.report_number}/{self.report_symbol}"

    @property
    def team_head(self) -> InspectionMember | None:
        return next((m for m in self.members if m.role == "head"), None)

    def __repr__(self) -> str:
        return f"<Inspection {self.id} {self.kind} {self.status}>"


class InspectionSubject(db.Model):  # type: ignore[name-defined,misc]
    """An inspected unit and what it reported and handed over (000:13.3, 001:16.3)."""

    __tablename__ = "inspection_subject"
    __table_args__ = (UniqueConstraint("inspection_id", "unit_id", name="uq_inspection_subject_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    report_summary: Mapped[str | None] = mapped_column(Text)
    documents: Mapped[str | None] = mapped_column(Text)

    inspection: Mapped[Inspection] = relationship(back_populates="subjects")
    unit: Mapped[Unit] = relationship()


class InspectionMember(db.Model):  # type: ignore[name-defined,misc]
    """A team member: proposed with the plan, or invited by the team head later (000:13.2, 001:16.2)."""

    __tablename__ = "inspection_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(255))
    position: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))  # head | member | invited
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())

    inspection: Mapped[Inspection] = relationship(back_populates="members")
    user: Mapped[User | None] = relationship()


class InspectionConclusion(db.Model):  # type: ignore[name-defined,misc]
    """A conclusion on one inspected unit: nature, severity, cause, responsibility (000:14.2.b)."""

    __tablename__ = "inspection_conclusion"
    __table_args__ = (Index("ix_inspection_conclusion_published", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    finding: Mapped[str] = mapped_column(Text)
    nature: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(20))
    cause: Mapped[str | None] = mapped_column(Text)
    responsibility: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    inspection: Mapped[Inspection] = relationship(back_populates="conclusions")
    unit: Mapped[Unit] = relationship()


class InspectionRecommendation(db.Model):  # type: ignore[name-defined,misc]
    """A recommendation; once turned into a follow-up directive it points at the task tracking it."""

    __tablename__ = "inspection_recommendation"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"), index=True)
    seq: Mapped[int] = mapped_column(default=1)
    content: Mapped[str] = mapped_column(Text)
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    due_on: Mapped[date | None] = mapped_column(Date)
    directive_id: Mapped[int | None] = mapped_column(ForeignKey("directive.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"))

    inspection: Mapped[Inspection] = relationship(back_populates="recommendations")
    lead_unit: Mapped[Unit] = relationship()


class InspectionDocument(db.Model):  # type: ignore[name-defined,misc]
    """One document of the dossier, filed under one of its eight items (000:15, 001:18).

    Files live outside the web root under a generated name; only metadata is kept here.
    """

    __tablename__ = "inspection_document"
    __table_args__ = (Index("ix_inspection_document_item", "inspection_id", "item_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"))
    item_no: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(500))
    file_name: Mapped[str | None] = mapped_column(String(255))
    stored_name: Mapped[str | None] = mapped_column(String(80))
    content_type: Mapped[str | None] = mapped_column(String(120))
    size: Mapped[int | None] = mapped_column()
    sha256: Mapped[str | None] = mapped_column(String(64))
    is_generated: Mapped[bool] = mapped_column(default=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    inspection: Mapped[Inspection] = relationship(back_populates="documents")
    uploaded_by: Mapped[User | None] = relationship()

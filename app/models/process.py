"""Engine state and its read models.

`ProcessInstance.state` is the single source of truth for a running process. `WorkItem` and
`Timer` are projections of it, rewritten by the engine adapter in the same transaction as every
step, so that inboxes and timer sweeps never deserialize a workflow.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.directives import Directive, Task
from app.models.org import Unit, User
from app.models.types import UTCDateTime


class ProcessModelVersion(db.Model):  # type: ignore[name-defined,misc]
    """One deployed version of one BPMN process, compiled with the decision tables and forms it uses.

    `sha256` covers the BPMN file and every dependency in `bundle`, so a changed DMN row or form
    yields a new version while an unchanged redeploy does not. `spec` is the compiled process
    specification, stored once here instead of inside every instance's state.
    """

    __tablename__ = "process_model_version"
    __table_args__ = (
        UniqueConstraint("process_id", "version", name="uq_process_model_version_process_version"),
        Index("ix_process_model_version_active", "process_id", "is_active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(255))
    version: Mapped[int] = mapped_column()
    file_name: Mapped[str] = mapped_column(String(255))
    content: Mapped[str] = mapped_column(Text)
    bundle: Mapped[dict[str, Any]] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    spec: Mapped[str] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(default=True)
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deployed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    change_note: Mapped[str | None] = mapped_column(Text)

    deployed_by: Mapped[User | None] = relationship()


class ProcessInstance(db.Model):  # type: ignore[name-defined,misc]
    """A running process. `version` guards against lost updates (optimistic locking)."""

    __tablename__ = "process_instance"

    id: Mapped[int] = mapped_column(primary_key=True)
    model_version_id: Mapped[int] = mapped_column(ForeignKey("process_model_version.id"), index=True)
    process_id: Mapped[str] = mapped_column(String(100))
    state: Mapped[bytes] = mapped_column(LargeBinary)
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(20), default="running")
    directive_id: Mapped[int | None] = mapped_column(ForeignKey("directive.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"), index=True)
    error_message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    model_version: Mapped[ProcessModelVersion] = relationship()

    __mapper_args__ = {"version_id_col": version}


class WorkItem(db.Model):  # type: ignore[name-defined,misc]
    """A ready user task, projected for the inbox: who may take it, until when, with which form."""

    __tablename__ = "work_item"
    __table_args__ = (
        UniqueConstraint("instance_id", "spiff_task_id", name="uq_work_item_instance_task"),
        Index("ix_work_item_candidates", "state", "candidate_unit_id", "candidate_role"),
        # The inbox reads two streams in due-date order and stops after one page (see
        # services/inbox.py): "my items" and "unclaimed items of my unit and role". Each index
        # holds everything those queries filter and sort on, so a page costs ~25 index entries.
        # task_id rides along so that the task filters (field, status) need no row lookups either.
        Index("ix_work_item_mine", "assignee_id", "state", "due_sort", "id", "task_id"),
        Index(
            "ix_work_item_queue",
            "candidate_unit_id",
            "candidate_role",
            "state",
            "assignee_id",
            "due_sort",
            "id",
            "task_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    spiff_task_id: Mapped[str] = mapped_column(String(36))
    task_spec: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(255))
    lane: Mapped[str | None] = mapped_column(String(100))
    candidate_role: Mapped[str] = mapped_column(String(40))
    candidate_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    form: Mapped[str | None] = mapped_column(String(255))
    ui_form: Mapped[str | None] = mapped_column(String(255))
    instructions: Mapped[str | None] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    # due_on, or 9999-12-31 when there is none: "no deadline" sorts last in the same index order
    # on SQLite and PostgreSQL (NULL ordering differs between them). Kept by services/search_index.
    due_sort: Mapped[date] = mapped_column(Date, default=date(9999, 12, 31))
    # The step's model sends its own reminders (task property reminders="model"): the generic
    # work-item reminders of the scheduler skip it, so nobody is reminded twice.
    reminded_by_model: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    state: Mapped[str] = mapped_column(String(20), default="open")
    directive_id: Mapped[int | None] = mapped_column(ForeignKey("directive.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # Title, task content, directive reference and summary folded for diacritic-free search;
    # kept on write by app/services/search_index.py.
    search_text: Mapped[str] = mapped_column(Text, default="")

    instance: Mapped[ProcessInstance] = relationship()
    candidate_unit: Mapped[Unit] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    task: Mapped[Task | None] = relationship(viewonly=True)
    directive: Mapped[Directive | None] = relationship(viewonly=True)


class Timer(db.Model):  # type: ignore[name-defined,misc]
    """A waiting timer event, projected so the sweep finds due timers with one indexed query."""

    __tablename__ = "timer"
    __table_args__ = (
        UniqueConstraint("instance_id", "spiff_task_id", name="uq_timer_instance_task"),
        Index("ix_timer_state_due", "state", "due_at"),
        Index("ix_timer_state_fired", "state", "fired_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    spiff_task_id: Mapped[str] = mapped_column(String(36))
    task_spec: Mapped[str] = mapped_column(String(100))
    name: Mapped[str | None] = mapped_column(String(255))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(20), default="waiting")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A sweep that fails on this timer's instance counts it here; the health page lists them.
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)

    @property
    def lateness_seconds(self) -> float | None:
        """How long after its due time the timer fired (the sweep interval plus the work)."""
        if self.fired_at is None or self.state != "fired":
            return None
        return (self.fired_at - self.due_at).total_seconds()


class ModelFile(db.Model):  # type: ignore[name-defined,misc]
    """One file of the model workspace (BPMN, DMN, form, lanes): what the modeler opens and deploys.

    `content` is the file as last deployed; `draft` is an analyst's saved, not yet deployed work.
    `origin_sha256` is the hash of the file last imported from the `bpmn/` directory, so that
    `flask init` re-imports a file only when the directory changed, never undoing browser edits.
    """

    __tablename__ = "model_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    content: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    origin_sha256: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    draft: Mapped[str | None] = mapped_column(Text)
    draft_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    draft_saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    draft_saved_by: Mapped[User | None] = relationship(foreign_keys=[draft_saved_by_id])

    def __repr__(self) -> str:
        return f"<ModelFile {self.path}>"

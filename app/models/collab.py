"""What people add around a task: attachments, comments, and form drafts not yet submitted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.org import User
from app.models.types import UTCDateTime


class Attachment(db.Model):  # type: ignore[name-defined,misc]
    """A file stored outside the web root under a random name; only its metadata lives here.

    It belongs to the work item it was uploaded on (and through it to the task and directive),
    so downloading it is checked like viewing that work item.
    """

    __tablename__ = "attachment"
    __table_args__ = (Index("ix_attachment_task", "task_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_item_id: Mapped[int | None] = mapped_column(ForeignKey("work_item.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"))
    directive_id: Mapped[int | None] = mapped_column(ForeignKey("directive.id"), index=True)
    field_name: Mapped[str | None] = mapped_column(String(100))
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    uploaded_by: Mapped[User] = relationship()


class Comment(db.Model):  # type: ignore[name-defined,misc]
    """One message in a task's thread (or a directive's, for Office-internal steps)."""

    __tablename__ = "comment"
    __table_args__ = (Index("ix_comment_task", "task_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"))
    directive_id: Mapped[int | None] = mapped_column(ForeignKey("directive.id"), index=True)
    work_item_id: Mapped[int | None] = mapped_column(ForeignKey("work_item.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    author: Mapped[User] = relationship()


class FormDraft(db.Model):  # type: ignore[name-defined,misc]
    """The raw values of a form a user saved without submitting; one draft per user and item."""

    __tablename__ = "form_draft"
    __table_args__ = (UniqueConstraint("work_item_id", "user_id", name="uq_form_draft_work_item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_item_id: Mapped[int] = mapped_column(ForeignKey("work_item.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime())

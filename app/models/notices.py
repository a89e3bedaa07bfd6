"""Notifications: in-app notices, each user's delivery choice, the e-mail outbox, sent reminders."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.org import User
from app.models.types import UTCDateTime


class Notification(db.Model):  # type: ignore[name-defined,misc]
    """One notice to one user (the bell). `dedup_key` makes a repeated job create it only once."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_user_read", "user_id", "read_at", "id"),
        UniqueConstraint("dedup_key", name="uq_notification_dedup_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    kind: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(300))
    directive_id: Mapped[int | None] = mapped_column(ForeignKey("directive.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"), index=True)
    work_item_id: Mapped[int | None] = mapped_column(ForeignKey("work_item.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    dedup_key: Mapped[str | None] = mapped_column(String(200))

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Notification {self.kind} to user {self.user_id}>"


class NotificationPreference(db.Model):  # type: ignore[name-defined,misc]
    """How a user wants e-mail: each notice at once, one daily digest, or none (the bell always works)."""

    __tablename__ = "notification_preference"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    email_mode: Mapped[str] = mapped_column(String(20), default="immediate")
    digest_through: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MailOutbox(db.Model):  # type: ignore[name-defined,misc]
    """An e-mail waiting to be sent, written in the same transaction as what caused it.

    A job sends it after the commit, so a slow or failing mail server never blocks a user's
    action; failures are counted and retried later (`next_attempt_at`), then given up (`failed`).
    """

    __tablename__ = "mail_outbox"
    __table_args__ = (
        Index("ix_mail_outbox_state_next", "state", "next_attempt_at"),
        UniqueConstraint("dedup_key", name="uq_mail_outbox_dedup_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    to_address: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="notice")
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notification.id"))
    dedup_key: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    notification: Mapped[Notification | None] = relationship()

    def __repr__(self) -> str:
        return f"<MailOutbox {self.id} {self.state} to {self.to_address}>"


class Reminder(db.Model):  # type: ignore[name-defined,misc]
    """A deadline reminder or escalation that was sent: at most one per object, rule and deadline.

    The unique key is what makes the reminder sweep idempotent: a second sweep (or a second
    scheduler) inserting the same row fails and sends nothing. A changed deadline is a new key.
    """

    __tablename__ = "reminder"
    __table_args__ = (
        UniqueConstraint(
            "subject", "object_id", "rule_code", "due_on", name="uq_reminder_subject_object_rule"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column()
    rule_code: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(40))
    due_on: Mapped[date] = mapped_column(Date)
    remind_on: Mapped[date] = mapped_column(Date)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"), index=True)
    profile: Mapped[str] = mapped_column(String(60))
    recipients: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())

"""The working-day calendar's stored side: the administrator's overrides, snapshots of each calendar
revision, and the record behind every computed deadline.

The arithmetic itself lives in `app/calendar` and never reads these tables: the services build an
immutable `WorkingCalendar` from them and hand it around.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.org import User
from app.models.types import UTCDateTime


class CalendarOverride(db.Model):  # type: ignore[name-defined,misc]
    """One date the administrator decided: a day off (`off`) or a make-up working day (`work`).

    One row per date. Removing an override keeps the row with `is_active` false, so that a line
    shipped with DonDoc that the administrator removed is not brought back by the next set-up, and
    the removal's own reference stays next to the date.
    """

    __tablename__ = "calendar_override"
    __table_args__ = (CheckConstraint("kind IN ('off', 'work')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    kind: Mapped[str] = mapped_column(String(4))
    name: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str] = mapped_column(String(300))
    # "shipped" (seeded from app/calendar/data), "admin" (typed on the page), "import" (CSV).
    origin: Mapped[str] = mapped_column(String(20), default="admin")
    is_active: Mapped[bool] = mapped_column(default=True)
    removal_reference: Mapped[str | None] = mapped_column(String(300))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    changed_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        state = self.kind if self.is_active else "removed"
        return f"<CalendarOverride {self.day.isoformat()} {state}>"


class CalendarRevision(db.Model):  # type: ignore[name-defined,misc]
    """The overrides a calendar revision was built from, kept so that a moved deadline can say which
    days changed between the revision that produced it and the one in force now."""

    __tablename__ = "calendar_revision"

    revision: Mapped[str] = mapped_column(String(40), primary_key=True)
    source: Mapped[str] = mapped_column(String(100))
    # [[iso date, kind, name, reference], ...] sorted by date.
    overrides: Mapped[list[list[str]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Deadline(db.Model):  # type: ignore[name-defined,misc]
    """How one stored due date was obtained, so it can be explained and recomputed.

    `method` is "working_days" (the `working_days`-th working day after `start_on`, Civil Code
    art. 147), "roll_forward" (`start_on`, or the next working day, art. 148) or "fixed" (a date
    typed by a person, e.g. the deadline written in a directive: it never moves). When the deadline
    is also held by a running process, `instance_id` and `variable` name it so that a recomputation
    moves the engine's reminders too.
    """

    __tablename__ = "deadline"
    __table_args__ = (
        UniqueConstraint("object_type", "object_id", "field", name="uq_deadline_object"),
        Index("ix_deadline_method_revision", "method", "calendar_revision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int] = mapped_column()
    field: Mapped[str] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(20))
    start_on: Mapped[date | None] = mapped_column(Date)
    working_days: Mapped[int | None] = mapped_column()
    rule: Mapped[str] = mapped_column(String(400))
    calendar_revision: Mapped[str | None] = mapped_column(String(40))
    due_on: Mapped[date] = mapped_column(Date)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    variable: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    @property
    def basis(self) -> dict[str, Any]:
        """The JSON shape of the record (API, audit details)."""
        return {
            "method": self.method,
            "start_on": self.start_on.isoformat() if self.start_on else None,
            "working_days": self.working_days,
            "rule": self.rule,
            "calendar_revision": self.calendar_revision,
            "due_on": self.due_on.isoformat(),
        }

    def __repr__(self) -> str:
        return f"<Deadline {self.object_type}#{self.object_id}.{self.field} {self.due_on.isoformat()}>"

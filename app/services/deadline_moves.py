"""Recomputing open deadlines after a calendar change: a preview first, the moves only on request.

`preview` recomputes the open deadlines recorded under another calendar revision and lists those
whose date would change, with the days whose status changed; `apply` moves them when the
administrator asks, refusing if the calendar changed since the preview. Each move writes the new
date on its object, moves the process variable and the reminders computed from it, and leaves an
audit entry saying why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import or_, select

from app import clock
from app.calendar import WorkingCalendar
from app.extensions import db
from app.models import Deadline, ProcessInstance, User
from app.services import audit
from app.services.calendar_service import calendar_of_revision, current_calendar
from app.services.deadline_targets import TARGETS
from app.services.deadlines import FIXED, ROLL_FORWARD, WORKING_DAYS
from app.workflow import move_due_date


class CalendarChanged(ValueError):
    """The calendar changed between the preview and the apply: look again before moving."""


@dataclass(frozen=True)
class DeadlineMove:
    deadline: Deadline
    old: date
    new: date
    label: str
    reasons: tuple[str, ...]


@dataclass
class Preview:
    """What recomputing the open deadlines under `revision` would do."""

    revision: str
    moves: list[DeadlineMove] = field(default_factory=list)
    unchanged: list[Deadline] = field(default_factory=list)


def recompute(calendar: WorkingCalendar, row: Deadline) -> date | None:
    if row.start_on is None:
        return None
    if row.method == WORKING_DAYS and row.working_days:
        return calendar.add_working_days(row.start_on, row.working_days)
    if row.method == ROLL_FORWARD:
        return calendar.roll_forward(row.start_on)
    return None


def _open_stale(calendar: WorkingCalendar) -> list[Deadline]:
    rows = list(
        db.session.scalars(
            select(Deadline)
            .where(
                Deadline.method != FIXED,
                or_(Deadline.calendar_revision.is_(None), Deadline.calendar_revision != calendar.revision),
            )
            .order_by(Deadline.due_on, Deadline.id)
        )
    )
    by_type: dict[str, list[int]] = {}
    for row in rows:
        by_type.setdefault(row.object_type, []).append(row.object_id)
    open_ids = {
        kind: TARGETS[kind].open_ids(ids) if kind in TARGETS else set() for kind, ids in by_type.items()
    }
    return [row for row in rows if row.object_id in open_ids[row.object_type]]


def preview(calendar: WorkingCalendar | None = None) -> Preview:
    """Open deadlines computed under another calendar revision, recomputed under `calendar`."""
    calendar = calendar or current_calendar()
    result = Preview(revision=calendar.revision)
    old_calendars: dict[str | None, WorkingCalendar | None] = {}
    for row in _open_stale(calendar):
        new = recompute(calendar, row)
        if new is None or new == row.due_on:
            result.unchanged.append(row)
            continue
        if row.calendar_revision not in old_calendars:
            old_calendars[row.calendar_revision] = calendar_of_revision(row.calendar_revision)
        reasons = changed_days(old_calendars[row.calendar_revision], calendar, row, new)
        label = TARGETS[row.object_type].describe(row.object_id)
        result.moves.append(DeadlineMove(row, row.due_on, new, label, reasons))
    return result


def changed_days(
    old: WorkingCalendar | None, new: WorkingCalendar, row: Deadline, new_due: date
) -> tuple[str, ...]:
    """The days between the start and the later of the two dates whose status changed, in words."""
    if old is None or row.start_on is None:
        return ("Lịch ngày làm việc đã thay đổi so với phiên bản đã dùng để tính hạn.",)
    first = row.start_on if row.method == ROLL_FORWARD else row.start_on + timedelta(days=1)
    last = max(row.due_on, new_due)
    reasons: list[str] = []
    day = first
    while day <= last:
        if old.is_working_day(day) != new.is_working_day(day):
            reasons.append(_day_change_text(new, day))
        day += timedelta(days=1)
    return tuple(reasons) or ("Lịch ngày làm việc đã thay đổi so với phiên bản đã dùng để tính hạn.",)


def _day_change_text(calendar: WorkingCalendar, day: date) -> str:
    reason = calendar.day_off_reason(day)
    if reason is not None:
        return f"{day:%d/%m/%Y} nay là ngày nghỉ: {reason.name} ({reason.reference})"
    override = next((o for o in calendar.overrides if o.date == day), None)
    if override is not None:
        return f"{day:%d/%m/%Y} nay là ngày làm việc: {override.name} ({override.reference})"
    return f"{day:%d/%m/%Y} nay là ngày làm việc"


def apply(actor: User, expected_revision: str) -> Preview:
    """Move every open deadline the preview under `expected_revision` listed; audit each move."""
    calendar = current_calendar()
    if calendar.revision != expected_revision:
        raise CalendarChanged(
            "Lịch ngày làm việc vừa thay đổi sau khi anh/chị xem trước; "
            "vui lòng xem lại danh sách hạn sẽ thay đổi."
        )
    result = preview(calendar)
    now = clock.now()
    moved_variables: set[tuple[int, str]] = set()
    for move in result.moves:
        _move_one(actor, move, calendar, moved_variables)
    for row in result.unchanged:
        row.calendar_revision = calendar.revision
        row.updated_at = now
    audit.record(
        "deadlines_recomputed",
        actor_id=actor.id,
        details={
            "revision": calendar.revision,
            "moved": len(result.moves),
            "unchanged": len(result.unchanged),
        },
        at=now,
    )
    return result


def _move_one(
    actor: User, move: DeadlineMove, calendar: WorkingCalendar, moved_variables: set[tuple[int, str]]
) -> None:
    row, now = move.deadline, clock.now()
    target = TARGETS[row.object_type]
    target.move(row.object_id, row.field, move.new)
    if (
        row.instance_id is not None
        and row.variable
        and (row.instance_id, row.variable) not in moved_variables
    ):
        moved_variables.add((row.instance_id, row.variable))
        instance = db.session.get(ProcessInstance, row.instance_id)
        if instance is not None:
            move_due_date(
                instance, row.variable, move.old.isoformat(), move.new.isoformat(), now=now, actor_id=actor.id
            )
    details = {
        "object": row.object_type,
        "object_id": row.object_id,
        "field": row.field,
        "label": move.label,
        "from": move.old.isoformat(),
        "to": move.new.isoformat(),
        "rule": row.rule,
        "revision_from": row.calendar_revision,
        "revision_to": calendar.revision,
        "reasons": list(move.reasons),
    }
    links = target.links(row.object_id)
    audit.record(
        "deadline_moved",
        actor_id=actor.id,
        directive_id=links.get("directive_id"),
        task_id=links.get("task_id"),
        instance_id=links.get("instance_id"),
        work_item_id=links.get("work_item_id"),
        details=details,
        at=now,
    )
    row.due_on = move.new
    row.calendar_revision = calendar.revision
    row.updated_at = now

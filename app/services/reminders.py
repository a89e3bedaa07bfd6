"""Deadline reminders and escalation, computed from the projections and the `reminder_policy` table.

For every open task and every open step with a deadline, each rule of its directive's profile (the
one the directive was registered under: switching the active profile changes new directives only;
the active profile for objects of no directive) gives a reminder day: `offset` working days before
the deadline, the deadline day itself, or after it.
From that day on (after the morning hour, DONDOC_REMINDER_TIME) the reminder is due; it is sent
once, guarded by the unique `reminder` row (object, rule, deadline). A changed deadline gives new
reminders; a closed task gets no more. No workflow is deserialized here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from app import clock
from app.calendar import WorkingCalendar
from app.extensions import db
from app.models import Directive, Reminder, Task, User, WorkItem
from app.services import audit, notice_texts, notifications
from app.services.calendar_service import current_calendar
from app.services.effects import task_process_data
from app.services.rule_tables import ReminderRule, active_profile, reminder_rules
from app.services.rules import profiles as profile_catalogue
from app.services.task_status import TaskStatus

REMINDED_STATUSES = (
    TaskStatus.NOT_RECEIVED,
    TaskStatus.NOT_STARTED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.IN_PROGRESS_WITH_OBSTACLES,
)
# A reminder missed (the server was down) is still sent within this many days, then dropped.
CATCH_UP = timedelta(days=7)


@dataclass(frozen=True)
class DueReminder:
    subject: str
    object_id: int
    rule: ReminderRule
    due_on: date
    remind_on: date
    profile: str

    @property
    def dedup(self) -> str:
        return f"rem:{self.subject}:{self.object_id}:{self.rule.code}:{self.due_on.isoformat()}"


def reminder_day(calendar: WorkingCalendar, due_on: date, offset: int) -> date:
    """The working day a rule with `offset` working days fires for a deadline `due_on`.

    Before the deadline it counts back over working days; "on the day" of a deadline that falls on
    a day off is the last working day before it (people must hear of it while at work); after it,
    the n-th working day after the deadline (Civil Code art. 147).
    """
    if offset > 0:
        return calendar.add_working_days(due_on, offset)
    day = due_on
    if offset == 0:
        while not calendar.is_working_day(day):
            day -= timedelta(days=1)
        return day
    counted = 0
    while counted < -offset:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day


def reminder_today(now: datetime | None = None) -> date:
    """The day whose reminders may go out: today once the morning hour has passed, else yesterday."""
    local = (now or clock.now()).astimezone(clock.VIETNAM)
    start = time.fromisoformat(current_app.config["DONDOC_REMINDER_TIME"])
    return local.date() if local.time() >= start else local.date() - timedelta(days=1)


def _applies(rule: ReminderRule, remind_on: date, due_on: date, today: date) -> bool:
    if today < remind_on or today > remind_on + CATCH_UP:
        return False
    if rule.offset < 0:
        return today < due_on  # "due soon" is not caught up on the day itself: "due today" says it
    return rule.offset > 0 or today <= due_on


def _window(rules: list[ReminderRule], today: date) -> tuple[date, date]:
    """Deadlines that some rule could concern today (working days span at most 2 days each + Tết)."""
    latest_before = max([-r.offset for r in rules if r.offset < 0], default=0)
    latest_after = max([r.offset for r in rules if r.offset > 0], default=0)
    return (
        today - timedelta(days=2 * latest_after + 14) - CATCH_UP,
        today + timedelta(days=2 * latest_before + 14),
    )


def due_reminders(today: date) -> list[DueReminder]:
    """Every reminder due `today` and not sent yet, for tasks and for steps."""
    fallback = active_profile()
    calendar = current_calendar()
    found: list[DueReminder] = []
    for subject, rows in (("task", _task_deadlines), ("work_item", _item_deadlines)):
        rules_of = _rules_by_profile(subject, fallback)
        if not any(rules_of.values()):
            continue
        low, high = _window([r for rules in rules_of.values() for r in rules], today)
        deadlines = rows(low, high)
        sent = _sent_keys(subject, [object_id for object_id, _, _ in deadlines])
        for object_id, due_on, profile in deadlines:
            profile = profile or fallback
            rules = rules_of.get(profile)
            if rules is None:  # a profile no longer in the catalogue: its own rows, else defaults
                rules = rules_of[profile] = reminder_rules(subject, profile)
            for rule in rules:
                remind_on = reminder_day(calendar, due_on, rule.offset)
                key = (object_id, rule.code, due_on)
                if key not in sent and _applies(rule, remind_on, due_on, today):
                    found.append(DueReminder(subject, object_id, rule, due_on, remind_on, profile))
    return found


def _rules_by_profile(subject: str, fallback: str) -> dict[str, list[ReminderRule]]:
    known = {p.id for p in profile_catalogue()} | {fallback}
    return {profile: reminder_rules(subject, profile) for profile in sorted(known)}


def _task_deadlines(low: date, high: date) -> list[tuple[int, date, str | None]]:
    rows = db.session.execute(
        select(Task.id, Task.due_on, Directive.profile)
        .join(Directive, Directive.id == Task.directive_id)
        .where(Task.status.in_([str(s) for s in REMINDED_STATUSES]), Task.due_on.between(low, high))
    ).all()
    return [(task_id, due_on, profile) for task_id, due_on, profile in rows if due_on is not None]


def _item_deadlines(low: date, high: date) -> list[tuple[int, date, str | None]]:
    """Open steps with their own deadline; a step due on its task's deadline is reminded as the task,
    and a step whose model sends its own reminders (`reminders="model"`) is left to its model."""
    rows = db.session.execute(
        select(WorkItem.id, WorkItem.due_on, Task.due_on, Directive.profile)
        .outerjoin(Task, Task.id == WorkItem.task_id)
        .outerjoin(Directive, Directive.id == WorkItem.directive_id)
        .where(
            WorkItem.state == "open",
            WorkItem.due_on.between(low, high),
            WorkItem.reminded_by_model.is_(False),  # its model reminds it itself
        )
    ).all()
    return [
        (item_id, due_on, profile)
        for item_id, due_on, task_due, profile in rows
        if due_on and due_on != task_due
    ]


def _sent_keys(subject: str, object_ids: list[int]) -> set[tuple[int, str, date]]:
    keys: set[tuple[int, str, date]] = set()
    for start in range(0, len(object_ids), 500):
        chunk = object_ids[start : start + 500]
        keys.update(
            (object_id, code, due_on)
            for object_id, code, due_on in db.session.execute(
                select(Reminder.object_id, Reminder.rule_code, Reminder.due_on).where(
                    Reminder.subject == subject, Reminder.object_id.in_(chunk)
                )
            )
        )
    return keys


def send(reminder: DueReminder, *, now: datetime | None = None) -> Reminder | None:
    """Record and send one reminder; None when its object closed or moved since it was found.

    The `reminder` row is flushed first: a concurrent sweep that sent it already makes this insert
    fail (unique key) before any notice is written, and the caller rolls back.
    """
    now = now or clock.now()
    target = _Target.load(reminder)
    if target is None:
        return None
    row = Reminder(
        subject=reminder.subject,
        object_id=reminder.object_id,
        rule_code=reminder.rule.code,
        kind=reminder.rule.kind,
        due_on=reminder.due_on,
        remind_on=reminder.remind_on,
        task_id=target.task.id if target.task else None,
        profile=reminder.profile,
        sent_at=now,
    )
    db.session.add(row)
    db.session.flush()
    users = list(target.recipients(reminder.rule.recipients))
    created = notifications.notify_users(users, target.notice(reminder), dedup=reminder.dedup, now=now)
    row.recipients = len(created)
    told = {n.user_id for n in created}
    audit.record(
        "reminder_sent",
        actor_id=None,
        directive_id=target.directive.id if target.directive else None,
        task_id=target.task.id if target.task else None,
        work_item_id=target.item.id if target.item else None,
        details={
            "kind": reminder.rule.kind,
            "rule": reminder.rule.code,
            "due_on": reminder.due_on.isoformat(),
            "recipients": sorted({u.username for u in users if u.id in told}),
            "citation": reminder.rule.citation,
        },
        at=now,
    )
    return row


@dataclass
class _Target:
    """The task or step a reminder is about, with what is needed to word it and address it."""

    task: Task | None
    item: WorkItem | None
    directive: Directive | None

    @classmethod
    def load(cls, reminder: DueReminder) -> _Target | None:
        if reminder.subject == "task":
            task = db.session.get(Task, reminder.object_id)
            if task is None or task.status not in REMINDED_STATUSES or task.due_on != reminder.due_on:
                return None
            return cls(task, None, task.directive)
        item = db.session.get(WorkItem, reminder.object_id)
        if item is None or item.state != "open" or item.due_on != reminder.due_on:
            return None
        task = db.session.get(Task, item.task_id) if item.task_id else None
        directive = db.session.get(Directive, item.directive_id) if item.directive_id else None
        return cls(task, item, directive)

    def _data(self) -> dict[str, Any]:
        if self.task is not None:
            return task_process_data(self.task)
        if self.directive is not None:
            office = self.directive.office_unit
            return {"office_unit_id": office.id, "province_unit_id": office.parent_id or office.id}
        return {}

    def recipients(self, codes: tuple[str, ...]) -> Iterator[User]:
        data = self._data()
        for code in codes:
            if code == "assignee":
                yield from self._assignees()
            else:
                yield from notifications.lane_users(code, data)

    def _assignees(self) -> Iterator[User]:
        items = (
            [self.item]
            if self.item is not None
            else db.session.scalars(
                select(WorkItem).where(WorkItem.task_id == self.task.id, WorkItem.state == "open")
            ).all()
            if self.task is not None
            else []
        )
        for item in items:
            if item.assignee is not None:
                yield item.assignee
            else:
                yield from notifications.users_with_role(item.candidate_role, item.candidate_unit_id)

    def notice(self, reminder: DueReminder) -> notifications.Notice:
        rule = reminder.rule
        if self.item is not None:
            subject_text = self.item.title
            if self.task is not None:
                subject_text += f" — {notice_texts.short(self.task.content, 70)}"
            elif self.directive is not None:
                subject_text += f" — văn bản {self.directive.reference}"
            body = notice_texts.work_item_body(self.item, rule.citation)
            link = notice_texts.work_item_link(self.item.id)
        else:
            assert self.task is not None
            subject_text = notice_texts.short(self.task.content)
            body = notice_texts.task_body(self.task, rule.citation)
            link = notice_texts.task_link(self.task.id, self.task.directive_id)
        return notifications.Notice(
            kind=rule.kind,
            title=notice_texts.reminder_title(rule.kind, subject_text, reminder.due_on, max(rule.offset, 0)),
            body=body,
            link=link,
            directive_id=self.directive.id if self.directive else None,
            task_id=self.task.id if self.task else None,
            work_item_id=self.item.id if self.item else None,
        )

"""Explainable deadlines: how each computed due date was obtained, and moving them when the
calendar changes.

Every due date a service or a model computes is stored with a `Deadline` record: the rule (text
with its citation), the start date, the number of working days and the calendar revision. A date
typed by a person (the deadline written in a directive) is recorded as "fixed" and never moves.

When an administrator edits the calendar, `preview` recomputes the open deadlines under the
calendar in force and lists those whose date would change, with the days that changed; nothing
moves until `apply` is called explicitly. Each moved deadline gets an audit entry saying why.

Objects holding deadlines are registered as targets (`register_target`): another module that
stores a computed deadline on its own table registers how to tell whether it is open and how to
move it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import or_, select

from app import clock
from app.calendar import DayOff, WorkingCalendar
from app.extensions import db
from app.models import Deadline, Directive, ProcessInstance, Task, User, WorkItem
from app.services import audit
from app.services.calendar_service import calendar_of_revision, current_calendar, ensure_snapshot
from app.workflow import DueTrace, FunctionCall, StepContext, move_due_date

WORKING_DAYS = "working_days"
ROLL_FORWARD = "roll_forward"
FIXED = "fixed"
CIVIL_CODE_147 = "Bộ luật Dân sự 2015 điều 147"
CIVIL_CODE_148 = "Bộ luật Dân sự 2015 điều 148"
RULE_LENGTH = 400  # the column's size: a long `dueRule` text is cut, never refused
FIXED_RULE = "Ngày cố định do quy trình hoặc người dùng đặt (không tính lại theo lịch)"
DIRECTIVE_DEADLINE_RULE = "Hạn ghi trong văn bản chỉ đạo (ngày cố định)"
# The helpers whose result is a deadline that can be recomputed, and how to read their arguments.
_COUNTING_CALLS = {"add_working_days", "working_days_after", "next_working_day"}
_ROLLING_CALLS = {"roll_forward"}


class CalendarChanged(ValueError):
    """The calendar changed between the preview and the apply: look again before moving."""


# -- targets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineTarget:
    """How to treat the deadlines stored on one kind of object.

    `open_ids` keeps the ids whose deadline still matters (an open work item, an unclassified
    directive); `move` writes the new date on the object; `describe` names it for the preview;
    `links` gives the audit columns (directive_id, task_id, instance_id, work_item_id).
    """

    label: str
    open_ids: Callable[[Sequence[int]], set[int]]
    move: Callable[[int, str, date], None]
    describe: Callable[[int], str]
    links: Callable[[int], dict[str, int | None]]


TARGETS: dict[str, DeadlineTarget] = {}


def register_target(object_type: str, target: DeadlineTarget) -> None:
    TARGETS[object_type] = target


def _ids(query: Any) -> set[int]:
    return set(db.session.scalars(query))


def _set_field(model: Any) -> Callable[[int, str, date], None]:
    def move(object_id: int, field_name: str, new: date) -> None:
        setattr(db.session.get(model, object_id), field_name, new)

    return move


def _work_item_text(item_id: int) -> str:
    item = db.session.get(WorkItem, item_id)
    directive = db.session.get(Directive, item.directive_id) if item and item.directive_id else None
    where = f" — văn bản {directive.reference}" if directive else ""
    return f"Bước «{item.title}» ({item.candidate_unit.name}){where}" if item else f"Công việc #{item_id}"


def _work_item_links(item_id: int) -> dict[str, int | None]:
    item = db.session.get(WorkItem, item_id)
    if item is None:
        return {}
    return {
        "directive_id": item.directive_id,
        "task_id": item.task_id,
        "instance_id": item.instance_id,
        "work_item_id": item.id,
    }


def _directive_text(directive_id: int) -> str:
    directive = db.session.get(Directive, directive_id)
    return f"Hạn phân loại văn bản {directive.reference}" if directive else f"Văn bản #{directive_id}"


def _task_text(task_id: int) -> str:
    task = db.session.get(Task, task_id)
    if task is None:
        return f"Nhiệm vụ #{task_id}"
    return f"Nhiệm vụ {task.seq} của văn bản {task.directive.reference} ({task.lead_unit.name})"


def _task_links(task_id: int) -> dict[str, int | None]:
    task = db.session.get(Task, task_id)
    return {"directive_id": task.directive_id, "task_id": task.id} if task else {}


register_target(
    "work_item",
    DeadlineTarget(
        label="Bước công việc",
        open_ids=lambda ids: _ids(select(WorkItem.id).where(WorkItem.id.in_(ids), WorkItem.state == "open")),
        move=_set_field(WorkItem),
        describe=_work_item_text,
        links=_work_item_links,
    ),
)
register_target(
    "directive",
    DeadlineTarget(
        label="Văn bản chỉ đạo",
        open_ids=lambda ids: _ids(
            select(Directive.id).where(Directive.id.in_(ids), Directive.status == "registered")
        ),
        move=_set_field(Directive),
        describe=_directive_text,
        links=lambda directive_id: {"directive_id": directive_id},
    ),
)
register_target(
    "task",
    DeadlineTarget(
        label="Nhiệm vụ",
        open_ids=lambda ids: _ids(
            select(Task.id).where(Task.id.in_(ids), Task.status.not_in(("completed", "cancelled")))
        ),
        move=_set_field(Task),
        describe=_task_text,
        links=_task_links,
    ),
)


# -- recording ----------------------------------------------------------------------------------


def working_days_rule(start: date, days: int) -> str:
    return f"{days:02d} ngày làm việc kể từ ngày {start:%d/%m/%Y} ({CIVIL_CODE_147})"


def roll_forward_rule(day: date) -> str:
    return f"Ngày {day:%d/%m/%Y}, lùi sang ngày làm việc kế tiếp nếu là ngày nghỉ ({CIVIL_CODE_148})"


def find(object_type: str, object_id: int, field_name: str) -> Deadline | None:
    found: Deadline | None = db.session.scalar(
        select(Deadline).where(
            Deadline.object_type == object_type,
            Deadline.object_id == object_id,
            Deadline.field == field_name,
        )
    )
    return found


def _store(object_type: str, object_id: int, field_name: str, **values: Any) -> Deadline:
    now = clock.now()
    row = find(object_type, object_id, field_name)
    if row is None:
        row = Deadline(object_type=object_type, object_id=object_id, field=field_name, created_at=now)
        db.session.add(row)
    for key, value in values.items():
        setattr(row, key, value)
    row.rule = row.rule[:RULE_LENGTH]
    row.updated_at = now
    return row


def record_working_days(
    object_type: str,
    object_id: int,
    field_name: str,
    start: date,
    days: int,
    rule: str | None = None,
    *,
    instance_id: int | None = None,
    variable: str | None = None,
) -> Deadline:
    """Compute "the `days`-th working day after `start`" now and store how (returns the record).

    The caller writes `record.due_on` on its own object; the record lets it be explained and moved.
    """
    calendar = current_calendar()
    ensure_snapshot(calendar)
    return _store(
        object_type,
        object_id,
        field_name,
        method=WORKING_DAYS,
        start_on=start,
        working_days=days,
        rule=rule or working_days_rule(start, days),
        calendar_revision=calendar.revision,
        due_on=calendar.add_working_days(start, days),
        instance_id=instance_id,
        variable=variable,
    )


def record_roll_forward(
    object_type: str, object_id: int, field_name: str, day: date, rule: str | None = None
) -> Deadline:
    """A calendar date that ends on the next working day when it falls on a day off (art. 148)."""
    calendar = current_calendar()
    ensure_snapshot(calendar)
    return _store(
        object_type,
        object_id,
        field_name,
        method=ROLL_FORWARD,
        start_on=day,
        working_days=None,
        rule=rule or roll_forward_rule(day),
        calendar_revision=calendar.revision,
        due_on=calendar.roll_forward(day),
        instance_id=None,
        variable=None,
    )


def record_fixed(object_type: str, object_id: int, field_name: str, due_on: date, rule: str) -> Deadline:
    """A date a person decided (e.g. written in the directive): explained, never recomputed."""
    return _store(
        object_type,
        object_id,
        field_name,
        method=FIXED,
        start_on=None,
        working_days=None,
        rule=rule,
        calendar_revision=None,
        due_on=due_on,
        instance_id=None,
        variable=None,
    )


def copy_record(source: Deadline, object_type: str, object_id: int, field_name: str) -> Deadline:
    """The same deadline held by a second object (e.g. a directive's classification deadline is its
    classification step's); both move together, the process variable once."""
    return _store(
        object_type,
        object_id,
        field_name,
        **{
            key: getattr(source, key)
            for key in (
                "method",
                "start_on",
                "working_days",
                "rule",
                "calendar_revision",
                "due_on",
                "instance_id",
                "variable",
            )
        },
    )


def record_work_item_due(item: WorkItem, trace: DueTrace, context: StepContext) -> Deadline | None:
    """Engine hook: a new work item got a due date from its model's `dueOn` expression."""
    if item.due_on is None:
        return None
    method, start, days = basis_from_calls(item.due_on, trace)
    expression = (trace.expression or "").strip()
    variable = expression if expression.isidentifier() else None
    if method == FIXED or start is None:
        return record_fixed("work_item", item.id, "due_on", item.due_on, trace.rule or FIXED_RULE)
    calendar = current_calendar()
    ensure_snapshot(calendar)
    default_rule = working_days_rule(start, days or 0) if method == WORKING_DAYS else roll_forward_rule(start)
    return _store(
        "work_item",
        item.id,
        "due_on",
        method=method,
        start_on=start,
        working_days=days,
        rule=trace.rule or default_rule,
        calendar_revision=calendar.revision,
        due_on=item.due_on,
        instance_id=item.instance_id,
        variable=variable,
    )


def basis_from_calls(due: date, trace: DueTrace) -> tuple[str, date | None, int | None]:
    """(method, start, working days) of the calendar call that produced `due`, else "fixed".

    Calls made while evaluating the `dueOn` expression come first; when the expression is a plain
    variable, the calls of the same step are searched, latest first, for one that returned `due`.
    """
    candidates: Sequence[FunctionCall] = trace.calls
    if not candidates and (trace.expression or "").strip().isidentifier():
        candidates = trace.step_calls
    for call in reversed(candidates):
        if str(call.result)[:10] != due.isoformat():
            continue
        parsed = _parse_call(call)
        if parsed is not None:
            return parsed
    return FIXED, None, None


def _argument(call: FunctionCall, index: int, name: str) -> Any:
    return call.args[index] if len(call.args) > index else call.kwargs.get(name)


def _parse_call(call: FunctionCall) -> tuple[str, date | None, int | None] | None:
    try:
        if call.name == "next_working_day":
            return WORKING_DAYS, _iso_date(_argument(call, 0, "day")), 1
        if call.name in _COUNTING_CALLS:
            return WORKING_DAYS, _iso_date(_argument(call, 0, "start")), int(_argument(call, 1, "days"))
        if call.name in _ROLLING_CALLS:
            return ROLL_FORWARD, _iso_date(_argument(call, 0, "day")), None
    except (TypeError, ValueError):
        return None
    return None


def _iso_date(value: Any) -> date:
    return date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class Explanation:
    """A stored deadline in words: its record and the days off that pushed it (for the pages)."""

    record: Deadline
    skipped: tuple[DayOff, ...]


def explain(object_type: str, object_id: int, field_name: str = "due_on") -> Explanation | None:
    """The record behind a stored due date and, for a count in working days, the days off between
    the start and the deadline under the calendar revision that produced it."""
    row = find(object_type, object_id, field_name)
    if row is None:
        return None
    if row.method != WORKING_DAYS or row.start_on is None or not row.working_days:
        return Explanation(row, ())
    calendar = current_calendar()
    if calendar.revision != row.calendar_revision:
        calendar = calendar_of_revision(row.calendar_revision) or calendar
    return Explanation(row, calendar.explain_deadline(row.start_on, row.working_days).skipped)


# -- recomputation ------------------------------------------------------------------------------


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

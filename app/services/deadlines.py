"""Explainable deadlines: how each computed due date was obtained.

Every due date a service or a model computes is stored with a `Deadline` record: the rule (text
with its citation), the start date, the number of working days and the calendar revision. A date
typed by a person (the deadline written in a directive) is recorded as "fixed" and never moves.
Recomputing after a calendar change is `deadline_moves`; the objects that hold deadlines are
registered in `deadline_targets`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from app import clock
from app.calendar import DayOff
from app.extensions import db
from app.models import Deadline, WorkItem
from app.services.calendar_service import calendar_of_revision, current_calendar, ensure_snapshot
from app.workflow import DueTrace, FunctionCall, StepContext

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
        if call.name == "working_day_deadline":  # 0 days: the same day, rolled to a working day
            days = int(_argument(call, 1, "days"))
            start = _iso_date(_argument(call, 0, "start"))
            return (ROLL_FORWARD, start, None) if days == 0 else (WORKING_DAYS, start, days)
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

"""The working calendar in force, and the calendar helpers model scripts may call.

The calendar in force is the shipped swaps (`app/calendar/data/swaps_vn.csv`) under the
administrator's rows in `calendar_override`: a stored row, even a removed one, beats the shipped
line for its date. Building it reads the database once; the arithmetic never does.

Every process keeps the calendar it built and the revision stamp it was built for. A change of
overrides writes a new stamp into `app_setting`; each process compares stamps (one primary-key read
per database transaction) and rebuilds only when they differ.

Timer expressions must yield ISO instants: `working_days_after(start, n)` gives 08:00 Vietnam
time on the n-th working day after `start` (when a reminder is read), `end_of_day(d)` the moment
a deadline day has ended (when a task becomes overdue).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from app import clock
from app.calendar import Override, OverrideKind, WorkingCalendar, shipped_overrides
from app.extensions import db
from app.models import AppSetting, CalendarOverride, CalendarRevision

VIETNAM = clock.VIETNAM
WORKDAY_START = time(8, 0)
STAMP_KEY = "calendar.stamp"
_SESSION_KEY = "dondoc_calendar"

_cache_lock = threading.Lock()
_cached: tuple[str | None, WorkingCalendar] | None = None


def current_calendar() -> WorkingCalendar:
    """The calendar in force (shipped swaps under the administrator's overrides), cached.

    One stamp read per database transaction: every deadline computed in one request or one job
    step uses the same calendar, and a change committed by another process is seen by the next
    transaction.
    """
    session = db.session()
    cached = session.info.get(_SESSION_KEY)
    transaction = session.get_transaction()
    if cached is not None and transaction is not None and cached[0] is transaction:
        calendar: WorkingCalendar = cached[1]
        return calendar
    calendar = _calendar_for_stamp()
    session.info[_SESSION_KEY] = (session.get_transaction(), calendar)
    return calendar


def _calendar_for_stamp() -> WorkingCalendar:
    global _cached
    stamp = read_stamp()
    cached = _cached
    if cached is not None and cached[0] == stamp:
        return cached[1]
    calendar = build_calendar(stored_overrides())
    with _cache_lock:
        _cached = (stamp, calendar)
    return calendar


def read_stamp() -> str | None:
    """The revision stamp last written by a change of overrides (None before any)."""
    with db.session.no_autoflush:  # may run inside an engine step: never flush half a step here
        value = db.session.execute(select(AppSetting.value).where(AppSetting.key == STAMP_KEY)).scalar()
    return str(value) if value else None


def stored_overrides() -> list[CalendarOverride]:
    with db.session.no_autoflush:
        return list(db.session.scalars(select(CalendarOverride).order_by(CalendarOverride.day)))


def overrides_in_force(rows: Iterable[CalendarOverride]) -> list[Override]:
    """Shipped lines for dates without a stored row, then the active stored rows."""
    rows = list(rows)
    stored_days = {row.day for row in rows}
    merged = [o for o in shipped_overrides() if o.date not in stored_days]
    merged += [as_override(row) for row in rows if row.is_active]
    return sorted(merged, key=lambda o: o.date)


def as_override(row: CalendarOverride) -> Override:
    return Override(row.day, _kind(row.kind), row.name, row.reference)


def _kind(text: str) -> OverrideKind:
    return "work" if text == "work" else "off"


def build_calendar(rows: Iterable[CalendarOverride]) -> WorkingCalendar:
    return WorkingCalendar(overrides_in_force(rows))


def calendar_changed() -> WorkingCalendar:
    """Call after overrides changed (before the commit): write the new stamp, keep a snapshot of
    the new revision, and make this process use the new calendar at once."""
    global _cached
    db.session.flush()
    calendar = build_calendar(stored_overrides())
    setting = db.session.get(AppSetting, STAMP_KEY)
    if setting is None:
        db.session.add(AppSetting(key=STAMP_KEY, value=calendar.revision))
    else:
        setting.value = calendar.revision
    ensure_snapshot(calendar)
    with _cache_lock:
        _cached = (calendar.revision, calendar)
    session = db.session()
    session.info[_SESSION_KEY] = (session.get_transaction(), calendar)
    return calendar


def ensure_snapshot(calendar: WorkingCalendar) -> None:
    """Store the overrides behind `calendar.revision` once, so moves can later be explained."""
    if db.session.get(CalendarRevision, calendar.revision) is not None:
        return
    db.session.add(
        CalendarRevision(
            revision=calendar.revision,
            source=calendar.source.revision,
            overrides=[[o.date.isoformat(), o.kind, o.name, o.reference] for o in calendar.overrides],
            created_at=clock.now(),
        )
    )


def calendar_of_revision(revision: str | None) -> WorkingCalendar | None:
    """The calendar a stored revision was built from, if its snapshot is known."""
    if revision is None:
        return None
    snapshot = db.session.get(CalendarRevision, revision)
    if snapshot is None:
        return None
    overrides = [
        Override(date.fromisoformat(day), _kind(kind), name, reference)
        for day, kind, name, reference in snapshot.overrides
    ]
    return WorkingCalendar(overrides)


# -- helpers for model scripts and expressions (names and signatures are a contract) ------------


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.astimezone(VIETNAM).date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def add_working_days(start: Any, days: int) -> str:
    """ISO date of the `days`-th working day after `start` (start excluded, Civil Code art. 147)."""
    return current_calendar().add_working_days(_as_date(start), int(days)).isoformat()


def working_days_after(start: Any, days: int) -> str:
    """ISO instant at 08:00 Vietnam time on the `days`-th working day after `start`."""
    day = current_calendar().add_working_days(_as_date(start), int(days))
    return datetime.combine(day, WORKDAY_START, VIETNAM).isoformat()


def end_of_day(day: Any) -> str:
    """ISO instant when the Vietnam day `day` ends: a deadline on that day is then missed."""
    following = _as_date(day) + timedelta(days=1)
    return datetime.combine(following, time(0, 0), VIETNAM).isoformat()


def roll_forward(day: Any) -> str:
    """A period ending on a day off ends on the next working day (Civil Code art. 148)."""
    return current_calendar().roll_forward(_as_date(day)).isoformat()


def working_day_deadline(start: Any, days: int) -> str:
    """ISO date of "within `days` working days from `start`"; 0 means the same day (R5 urgent).

    A same-day deadline on a day off moves to the next working day (Civil Code art. 148).
    """
    if int(days) == 0:
        return roll_forward(start)
    return add_working_days(start, days)


def working_days_before(day: Any, days: int) -> str:
    """ISO instant at 08:00 Vietnam time on the `days`-th working day before `day` (0: `day` itself).

    Reminders are read at the start of a working day, so a reminder "1 working day before the
    deadline" of a Monday falls on the Friday morning, or earlier across a holiday.
    """
    calendar = current_calendar()
    current = _as_date(day)
    remaining = int(days)
    while remaining > 0:
        current -= timedelta(days=1)
        if calendar.is_working_day(current):
            remaining -= 1
    return datetime.combine(current, WORKDAY_START, VIETNAM).isoformat()


def _period_end_date(day: date, months: int) -> date:
    if months not in (1, 2, 3, 4, 6, 12):
        raise ValueError(f"a reporting period must divide the year, got {months} months")
    last_month = ((day.month - 1) // months + 1) * months
    following = date(day.year + (last_month == 12), last_month % 12 + 1, 1)
    return following - timedelta(days=1)


def period_end(day: Any, months: int) -> str:
    """ISO date of the last day of the `months`-long period holding `day` (month, quarter, half,
    year, aligned on the calendar year), moved to the next working day when it is a day off."""
    return roll_forward(_period_end_date(_as_date(day), int(months)))


def next_period_end(day: Any, months: int) -> str:
    """Like `period_end`, for the period after the one holding `day` (the next periodic update)."""
    following = _period_end_date(_as_date(day), int(months)) + timedelta(days=1)
    return period_end(following, months)


def dmy(day: Any) -> str:
    """dd/mm/yyyy, as every date a clerk reads (messages composed by model scripts)."""
    return _as_date(day).strftime("%d/%m/%Y")


def next_working_day(day: Any) -> str:
    """ISO date of the first working day strictly after `day`."""
    return current_calendar().next_working_day(_as_date(day)).isoformat()


def working_days_between(start: Any, end: Any) -> int:
    """Working days d with start < d <= end; negative when `end` is before `start` (days overdue)."""
    return current_calendar().working_days_between(_as_date(start), _as_date(end))


def is_working_day(day: Any) -> bool:
    """True when state agencies work on `day` (overrides, holidays, weekends considered)."""
    return current_calendar().is_working_day(_as_date(day))


def today_iso() -> str:
    return clock.today().isoformat()


def now_iso() -> str:
    """The application clock's instant in Vietnam time, to the second, e.g. when a timer was
    (re-)armed. Every instant a script sees carries the same +07:00 offset, so comparing two of
    them as ISO strings compares the instants."""
    return clock.now().astimezone(VIETNAM).replace(microsecond=0).isoformat()


SCRIPT_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "add_working_days": add_working_days,
    "working_days_after": working_days_after,
    "working_day_deadline": working_day_deadline,
    "working_days_before": working_days_before,
    "working_days_between": working_days_between,
    "end_of_day": end_of_day,
    "roll_forward": roll_forward,
    "period_end": period_end,
    "next_period_end": next_period_end,
    "dmy": dmy,
    "next_working_day": next_working_day,
    "is_working_day": is_working_day,
    "today": today_iso,
    "now": now_iso,
}

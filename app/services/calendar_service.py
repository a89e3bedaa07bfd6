"""The working calendar in force, and the calendar helpers model scripts may call.

Timer expressions must yield ISO instants: `working_days_after(start, n)` gives 08:00 Vietnam
time on the n-th working day after `start` (when a reminder is read), `end_of_day(d)` the moment
a deadline day has ended (when a task becomes overdue).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from app import clock
from app.calendar import WorkingCalendar, default_calendar

VIETNAM = clock.VIETNAM
WORKDAY_START = time(8, 0)


def current_calendar() -> WorkingCalendar:
    return default_calendar()


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


def working_days_between(start: Any, end: Any) -> int:
    """Working days d with start < d <= end (negative when `end` is before `start`)."""
    return current_calendar().working_days_between(_as_date(start), _as_date(end))


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
    "today": today_iso,
    "now": now_iso,
}

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


def today_iso() -> str:
    return clock.today().isoformat()


SCRIPT_FUNCTIONS: dict[str, Callable[..., str]] = {
    "add_working_days": add_working_days,
    "working_days_after": working_days_after,
    "end_of_day": end_of_day,
    "roll_forward": roll_forward,
    "today": today_iso,
}

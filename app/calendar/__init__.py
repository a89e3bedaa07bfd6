"""Working-day calendar of Vietnamese state agencies (pure functions over `datetime.date`).

Deadlines assigned by People's Committees are counted in working days (Civil Code 2015 art. 147-148)
over a calendar made of administrator overrides, public holidays (Labour Code 2019 art. 112) and
weekends. See docs/calendar.md.

Typical use::

    from app.calendar import default_calendar
    cal = default_calendar()
    deadline = cal.add_working_days(issued_on, 5)
    stored_revision = cal.revision
"""

from __future__ import annotations

from functools import cache

from app.calendar.core import (
    CalendarRangeError,
    DayOff,
    DeadlineExplanation,
    Override,
    OverrideKind,
    Source,
    WorkingCalendar,
    add_working_days,
    day_off_reason,
    days_off,
    default_holiday_source,
    explain_deadline,
    is_working_day,
    next_working_day,
    roll_forward,
    working_days_between,
)
from app.calendar.overrides_csv import (
    CSV_COLUMNS,
    OverrideCSVError,
    dump_overrides_csv,
    load_overrides_csv,
    parse_overrides_csv,
    shipped_overrides,
)
from app.calendar.sources import HolidaySource, PackageHolidays, StaticHolidays, YearHolidays, no_holidays

__all__ = [
    "CSV_COLUMNS",
    "CalendarRangeError",
    "DayOff",
    "DeadlineExplanation",
    "HolidaySource",
    "Override",
    "OverrideCSVError",
    "OverrideKind",
    "PackageHolidays",
    "Source",
    "StaticHolidays",
    "WorkingCalendar",
    "YearHolidays",
    "add_working_days",
    "day_off_reason",
    "days_off",
    "default_calendar",
    "default_holiday_source",
    "dump_overrides_csv",
    "explain_deadline",
    "is_working_day",
    "load_overrides_csv",
    "next_working_day",
    "no_holidays",
    "parse_overrides_csv",
    "roll_forward",
    "shipped_overrides",
    "working_days_between",
]


@cache
def default_calendar() -> WorkingCalendar:
    """The shipped overrides over the `holidays` package: what DonDoc uses until an administrator
    saves their own list (then build `WorkingCalendar(admin_overrides)` instead)."""
    return WorkingCalendar(shipped_overrides())

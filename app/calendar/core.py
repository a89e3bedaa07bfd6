"""Working-day arithmetic for deadlines set by People's Committees.

A deadline such as "trong 05 ngày làm việc kể từ ngày ký" is counted in working days of state
agencies. Three sources decide whether a date is a working day, strongest first:

1. administrator overrides (`Override`): the swaps and extra days off the Government announces each
   year, and make-up Saturdays ("work"), which also cancel a holiday a source listed wrongly;
2. public holidays (Labour Code 2019 art. 112, with the compensating day of art. 111(3)), taken from
   the `holidays` package by default (see `sources`);
3. the weekly rest: Saturday and Sunday (Labour Code 2019 art. 111; Decision 188/1999/QĐ-TTg on the
   40-hour week of state agencies).

Counting follows the Civil Code 2015: art. 147 - a period counted in days starts on the day after
the event (the start day is excluded); art. 148 - a period whose last day is a day off ends on the
next working day.

Everything here is pure: dates in, dates out, no database, no Flask. A `WorkingCalendar` is
immutable; it fills per-year lookup tables lazily (under a lock) so that each call costs a couple of
list lookups.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final, Literal, NamedTuple

from app.calendar.sources import HolidaySource, PackageHolidays

__all__ = [
    "CalendarRangeError",
    "DayOff",
    "DeadlineExplanation",
    "Override",
    "OverrideKind",
    "Source",
    "WorkingCalendar",
    "add_working_days",
    "day_off_reason",
    "days_off",
    "default_holiday_source",
    "explain_deadline",
    "is_working_day",
    "next_working_day",
    "roll_forward",
    "working_days_between",
]

OverrideKind = Literal["off", "work"]
Source = Literal["override", "holidays", "weekend"]

OVERRIDE_KINDS: Final[tuple[str, ...]] = ("off", "work")
MIN_YEAR: Final = 1990
MAX_YEAR: Final = 2100
# Bump when a counting rule changes: it changes every revision string.
_RULES_VERSION: Final = "vn-wd-1"
WEEKEND_REFERENCE: Final = "Bộ luật Lao động 2019 điều 111; Quyết định 188/1999/QĐ-TTg (tuần làm việc 40 giờ)"
_WEEKDAY_NAMES: Final = {5: "Thứ Bảy", 6: "Chủ nhật"}


class CalendarRangeError(ValueError):
    """A date outside the years the calendar supports (1990-2100 by default)."""


@dataclass(frozen=True, slots=True)
class Override:
    """An administrator's decision for one date, which beats every other source.

    kind "off": a swapped weekday or an extra day off announced for civil servants.
    kind "work": a make-up working day (usually a Saturday); it also cancels a holiday that the
    holidays source lists by mistake. `reference` (the announcing document) is mandatory because
    every deadline must be explainable to the person it binds.
    """

    date: date
    kind: OverrideKind
    name: str
    reference: str

    def __post_init__(self) -> None:
        if not isinstance(self.date, date) or isinstance(self.date, datetime):
            raise TypeError(f"override date must be a datetime.date, got {self.date!r}")
        if self.kind not in OVERRIDE_KINDS:
            raise ValueError(f"override kind must be 'off' or 'work', got {self.kind!r}")
        if not self.name.strip():
            raise ValueError(f"override for {self.date.isoformat()}: name is required")
        if not self.reference.strip():
            raise ValueError(
                f"override for {self.date.isoformat()}: reference is required "
                "(the document announcing it, e.g. 'Thông báo 6150/TB-LĐTBXH ngày 03/12/2024')"
            )


class DayOff(NamedTuple):
    """Why a date is not a working day: (date, name, source, reference)."""

    date: date
    name: str
    source: Source
    reference: str


@dataclass(frozen=True, slots=True)
class DeadlineExplanation:
    """An explainable deadline: the result and every day off that pushed it later.

    `counted` are the n working days that were counted (the last one is `deadline`); `skipped` are
    the days off between `start` (excluded, Civil Code art. 147) and `deadline`.
    """

    start: date
    n: int
    deadline: date
    counted: tuple[date, ...]
    skipped: tuple[DayOff, ...]
    revision: str


class _YearTable:
    """Lookup tables for one year, indexed by `ordinal - first_ordinal`.

    `working` is the sorted list of ordinals of working days; `rank[i]` is how many working days of
    the year fall on or before day i, which is also the index in `working` of the first working day
    strictly after day i. Both turn each query into O(1) list indexing.
    """

    __slots__ = ("first", "flags", "rank", "working")

    def __init__(self, first: int, flags: bytes) -> None:
        self.first = first
        self.flags = flags
        working: list[int] = []
        rank: list[int] = []
        for i, flag in enumerate(flags):
            if flag:
                working.append(first + i)
            rank.append(len(working))
        self.working = working
        self.rank = rank


_default_source_lock = threading.Lock()
_default_source: PackageHolidays | None = None


def default_holiday_source() -> PackageHolidays:
    """The process-wide `holidays` package source (shared so each year is computed once)."""
    global _default_source
    with _default_source_lock:
        if _default_source is None:
            _default_source = PackageHolidays("VN", language="vi")
        return _default_source


def _check_date(d: object) -> date:
    # datetime is a subclass of date: refuse it so that a UTC timestamp never silently becomes
    # a Vietnamese (UTC+7) calendar day.
    if not isinstance(d, date) or isinstance(d, datetime):
        raise TypeError(f"expected a datetime.date, got {type(d).__name__}: {d!r}")
    return d


class WorkingCalendar:
    """Immutable working-day calendar: overrides > holidays source > weekends.

    Build it once (e.g. at start-up from the administrator's overrides) and share it; the per-year
    tables are computed on first use and are safe to read from several threads.
    """

    __slots__ = (
        "_lock",
        "_max_year",
        "_min_year",
        "_overrides",
        "_revision",
        "_source",
        "_tables",
    )

    def __init__(
        self,
        overrides: Iterable[Override] = (),
        *,
        source: HolidaySource | None = None,
        min_year: int = MIN_YEAR,
        max_year: int = MAX_YEAR,
    ) -> None:
        if min_year > max_year:
            raise ValueError(f"min_year {min_year} is after max_year {max_year}")
        by_date: dict[date, Override] = {}
        for override in overrides:
            if not isinstance(override, Override):
                raise TypeError(f"expected Override, got {override!r}")
            previous = by_date.get(override.date)
            if previous is not None:
                raise ValueError(
                    f"two overrides for {override.date.isoformat()}: "
                    f"{previous.kind} ({previous.name}) and {override.kind} ({override.name})"
                )
            by_date[override.date] = override
        init = object.__setattr__
        init(self, "_overrides", dict(sorted(by_date.items())))
        init(self, "_source", source if source is not None else default_holiday_source())
        init(self, "_min_year", min_year)
        init(self, "_max_year", max_year)
        init(self, "_tables", {})
        init(self, "_lock", threading.Lock())
        init(self, "_revision", self._compute_revision())

    _overrides: dict[date, Override]
    _source: HolidaySource
    _min_year: int
    _max_year: int
    _tables: dict[int, _YearTable]
    _lock: threading.Lock
    _revision: str

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"WorkingCalendar is immutable (cannot set {name!r}); build a new one")

    # -- identity ---------------------------------------------------------------------------

    @property
    def overrides(self) -> tuple[Override, ...]:
        """The overrides, sorted by date."""
        return tuple(self._overrides.values())

    @property
    def source(self) -> HolidaySource:
        return self._source

    @property
    def revision(self) -> str:
        """A stable hash of the counting rules, the holidays source version and the overrides.

        Store it next to every computed deadline: if the administrator edits a swap or the holidays
        package is upgraded, the revision changes and stale deadlines can be found and recomputed.
        """
        return self._revision

    def _compute_revision(self) -> str:
        digest = hashlib.sha256()
        digest.update(f"{_RULES_VERSION}\n{self._source.revision}\n".encode())
        for o in self._overrides.values():
            digest.update(f"{o.date.isoformat()}\t{o.kind}\t{o.name}\t{o.reference}\n".encode())
        return f"{_RULES_VERSION}-{digest.hexdigest()[:16]}"

    def __repr__(self) -> str:
        return f"WorkingCalendar(overrides={len(self._overrides)}, revision={self._revision!r})"

    # -- tables -----------------------------------------------------------------------------

    def _table(self, year: int) -> _YearTable:
        table = self._tables.get(year)
        if table is not None:
            return table
        if not self._min_year <= year <= self._max_year:
            raise CalendarRangeError(
                f"year {year} is outside the supported range {self._min_year}-{self._max_year}"
            )
        with self._lock:
            table = self._tables.get(year)
            if table is None:
                table = self._build(year)
                self._tables[year] = table
        return table

    def _build(self, year: int) -> _YearTable:
        first = date(year, 1, 1).toordinal()
        last = date(year, 12, 31).toordinal()
        flags = bytearray(last - first + 1)
        for i in range(len(flags)):
            flags[i] = self._reason(date.fromordinal(first + i)) is None
        return _YearTable(first, bytes(flags))

    def _reason(self, d: date) -> DayOff | None:
        """The precedence rule itself (uncached; `_build` and `day_off_reason` use it)."""
        override = self._overrides.get(d)
        if override is not None:
            if override.kind == "work":
                return None
            return DayOff(d, override.name, "override", override.reference)
        year = self._source.year(d.year)
        name = year.days_off.get(d)
        if name is not None:
            return DayOff(d, name, "holidays", self._source.reference)
        if d in year.working_weekend_days:
            return None
        weekday = d.weekday()
        if weekday >= 5:
            return DayOff(d, _WEEKDAY_NAMES[weekday], "weekend", WEEKEND_REFERENCE)
        return None

    def build_years(self, first: int, last: int) -> None:
        """Compute the tables of `first`..`last` now (e.g. at start-up) instead of on first use."""
        for year in range(first, last + 1):
            self._table(year)

    # -- queries ----------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        """True when state agencies work on `d` (after overrides, holidays and weekends)."""
        _check_date(d)
        table = self._tables.get(d.year) or self._table(d.year)
        return bool(table.flags[d.toordinal() - table.first])

    def day_off_reason(self, d: date) -> DayOff | None:
        """Why `d` is a day off (name, source, reference), or None when it is a working day."""
        _check_date(d)
        self._table(d.year)  # range check
        return self._reason(d)

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after `d`: the deadline of "within n working days from d".

        Civil Code 2015 art. 147: the day of the event is not counted, counting starts the next day,
        so a start on a day off is harmless. The result is always a working day, which makes the
        art. 148 roll-forward unnecessary here. `n` must be at least 1.
        """
        if n < 1:
            raise ValueError(f"n must be at least 1 working day, got {n}")
        _check_date(d)
        table = self._tables.get(d.year) or self._table(d.year)
        # rank = number of working days on or before d in its year = index of the first after d.
        k = table.rank[d.toordinal() - table.first] + n - 1
        working = table.working
        year = d.year
        while k >= len(working):
            k -= len(working)
            year += 1
            working = self._table(year).working
        return date.fromordinal(working[k])

    def working_days_between(self, a: date, b: date) -> int:
        """Number of working days d with a < d <= b (a excluded as in art. 147, b included).

        Antisymmetric: 0 when a == b and -working_days_between(b, a) when b < a, so that
        `working_days_between(d, add_working_days(d, n)) == n` and a negative result reads as
        "overdue by that many working days".
        """
        _check_date(a)
        _check_date(b)
        if b < a:
            return -self.working_days_between(b, a)
        ta = self._tables.get(a.year) or self._table(a.year)
        tb = self._tables.get(b.year) or self._table(b.year)
        rank_a = ta.rank[a.toordinal() - ta.first]
        rank_b = tb.rank[b.toordinal() - tb.first]
        if a.year == b.year:
            return rank_b - rank_a
        total = len(ta.working) - rank_a + rank_b
        for year in range(a.year + 1, b.year):
            total += len(self._table(year).working)
        return total

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after `d`."""
        return self.add_working_days(d, 1)

    def roll_forward(self, d: date) -> date:
        """`d` itself if it is a working day, else the next one (Civil Code 2015 art. 148).

        Use it for deadlines given as a calendar date (e.g. "trước ngày 30/4"), which end on the
        next working day when they fall on a day off.
        """
        if self.is_working_day(d):
            return d
        return self.add_working_days(d, 1)

    def days_off(self, year: int, *, include_weekends: bool = False) -> list[DayOff]:
        """The days off of `year` in date order, for a year view.

        Ordinary Saturdays and Sundays are left out unless `include_weekends`; a holiday falling on a
        weekend is listed (with the holiday as its reason) either way.
        """
        table = self._table(year)
        result: list[DayOff] = []
        for i, flag in enumerate(table.flags):
            if flag:
                continue
            reason = self._reason(date.fromordinal(table.first + i))
            if reason is not None and (include_weekends or reason.source != "weekend"):
                result.append(reason)
        return result

    def explain_deadline(self, start: date, n: int) -> DeadlineExplanation:
        """`add_working_days(start, n)` together with the days counted and the days off skipped.

        This is what the interface shows under a deadline ("hạn xử lý được tính như sau"), so that a
        department can check it against the announcement that caused each skipped day.
        """
        deadline = self.add_working_days(start, n)
        counted: list[date] = []
        skipped: list[DayOff] = []
        day = start + timedelta(days=1)
        while day <= deadline:
            reason = None if self.is_working_day(day) else self._reason(day)
            if reason is None:
                counted.append(day)
            else:
                skipped.append(reason)
            day += timedelta(days=1)
        return DeadlineExplanation(start, n, deadline, tuple(counted), tuple(skipped), self._revision)


# -- module-level conveniences (same semantics as the methods) ----------------------------------


def is_working_day(calendar: WorkingCalendar, d: date) -> bool:
    """See `WorkingCalendar.is_working_day`."""
    return calendar.is_working_day(d)


def add_working_days(calendar: WorkingCalendar, d: date, n: int) -> date:
    """See `WorkingCalendar.add_working_days` (Civil Code 2015 art. 147)."""
    return calendar.add_working_days(d, n)


def working_days_between(calendar: WorkingCalendar, a: date, b: date) -> int:
    """See `WorkingCalendar.working_days_between`."""
    return calendar.working_days_between(a, b)


def next_working_day(calendar: WorkingCalendar, d: date) -> date:
    """See `WorkingCalendar.next_working_day`."""
    return calendar.next_working_day(d)


def roll_forward(calendar: WorkingCalendar, d: date) -> date:
    """See `WorkingCalendar.roll_forward` (Civil Code 2015 art. 148)."""
    return calendar.roll_forward(d)


def day_off_reason(calendar: WorkingCalendar, d: date) -> DayOff | None:
    """See `WorkingCalendar.day_off_reason`."""
    return calendar.day_off_reason(d)


def days_off(calendar: WorkingCalendar, year: int, *, include_weekends: bool = False) -> list[DayOff]:
    """See `WorkingCalendar.days_off`."""
    return calendar.days_off(year, include_weekends=include_weekends)


def explain_deadline(calendar: WorkingCalendar, start: date, n: int) -> DeadlineExplanation:
    """See `WorkingCalendar.explain_deadline`."""
    return calendar.explain_deadline(start, n)

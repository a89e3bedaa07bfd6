"""Where public holidays come from, behind a small protocol.

The default source is the `holidays` package (Vacanza), which encodes Labour Code 2019 art. 112,
the compensating days of art. 111(3) and the swaps it knows about. It is wrapped so that:

* the arithmetic in `core` never imports it directly (tests can inject a fixed source);
* each year is computed once per process and shared by every `WorkingCalendar` built on it;
* the package version takes part in the calendar revision: a package upgrade that moves a holiday
  changes the revision stored next to each deadline.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

__all__ = ["HolidaySource", "PackageHolidays", "StaticHolidays", "YearHolidays", "no_holidays"]


@dataclass(frozen=True, slots=True)
class YearHolidays:
    """What a source says about one Gregorian year.

    `days_off` maps a date to its (Vietnamese) name. `working_weekend_days` lists the weekend days
    the source turns into working days (the Saturdays worked in exchange for a swapped weekday).
    """

    days_off: Mapping[date, str]
    working_weekend_days: frozenset[date] = frozenset()


class HolidaySource(Protocol):
    """A provider of public holidays for one country."""

    @property
    def revision(self) -> str:
        """A stable identifier of the data, e.g. the package version; part of the calendar revision."""
        ...

    @property
    def reference(self) -> str:
        """The legal basis shown to users next to a day off from this source."""
        ...

    def year(self, year: int) -> YearHolidays:
        """Holidays whose date falls inside `year` (only those)."""
        ...


class PackageHolidays:
    """The `holidays` package's calendar for a country (Vietnam by default, names in Vietnamese).

    One year is computed from the package's data for the year before, the year itself and the year
    after, because the package files a swap under one year while its make-up Saturday may fall in the
    neighbouring one (e.g. Monday 31/12/2018 off, Saturday 05/01/2019 worked).
    """

    def __init__(self, country: str = "VN", language: str = "vi") -> None:
        from importlib.metadata import version

        self._country = country
        self._language = language
        self._version: str = version("holidays")
        self._cache: dict[int, YearHolidays] = {}
        self._lock = threading.Lock()

    @property
    def revision(self) -> str:
        return f"holidays=={self._version}/{self._country}/{self._language}"

    @property
    def reference(self) -> str:
        return f"Bộ luật Lao động 2019 điều 111-112 (thư viện holidays {self._version})"

    def year(self, year: int) -> YearHolidays:
        cached = self._cache.get(year)
        if cached is not None:
            return cached
        with self._lock:
            cached = self._cache.get(year)
            if cached is None:
                cached = self._compute(year)
                self._cache[year] = cached
            return cached

    def _compute(self, year: int) -> YearHolidays:
        import holidays

        table = holidays.country_holidays(
            self._country, years=(year - 1, year, year + 1), language=self._language
        )
        days_off: dict[date, str] = {}
        for day in sorted(table):
            if day.year == year:
                # Several names on one date come back joined by "; " (get_list splits them).
                days_off[day] = "; ".join(table.get_list(day))
        # `weekend_workdays` exists since holidays 0.5x; older versions simply have no make-up days.
        workdays: set[date] = set(getattr(table, "weekend_workdays", set()))
        return YearHolidays(
            days_off=days_off,
            working_weekend_days=frozenset(d for d in workdays if d.year == year),
        )


@dataclass(frozen=True, slots=True)
class StaticHolidays:
    """A fixed table of holidays: for tests and for installations that do not trust the package."""

    days_off: Mapping[date, str] = field(default_factory=dict)
    working_weekend_days: frozenset[date] = frozenset()
    name: str = "static"
    legal_reference: str = "Bảng ngày nghỉ cố định"

    @property
    def revision(self) -> str:
        items = ",".join(f"{d.isoformat()}={n}" for d, n in sorted(self.days_off.items()))
        works = ",".join(sorted(d.isoformat() for d in self.working_weekend_days))
        return f"{self.name}[{items}|{works}]"

    @property
    def reference(self) -> str:
        return self.legal_reference

    def year(self, year: int) -> YearHolidays:
        return YearHolidays(
            days_off={d: n for d, n in self.days_off.items() if d.year == year},
            working_weekend_days=frozenset(d for d in self.working_weekend_days if d.year == year),
        )


def no_holidays() -> StaticHolidays:
    """No public holidays at all: weekends and overrides only."""
    return StaticHolidays(name="none", legal_reference="")

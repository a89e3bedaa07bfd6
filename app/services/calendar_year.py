"""The administrator's year view: twelve month grids and the list of days that are not ordinary.

Built from a `WorkingCalendar` and the stored override rows only; the page shows every special day
with its name, where it comes from and the document behind it, in words (not colour alone).
"""

from __future__ import annotations

import calendar as gregorian
from dataclasses import dataclass
from datetime import date

from app.calendar import Override, WorkingCalendar, shipped_overrides
from app.models import CalendarOverride

WEEKDAYS = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")
WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
# kind -> (short mark shown in the cell, legend text, short label for the list)
MARKS = {
    "off": ("N", "Ngày nghỉ lễ, Tết, nghỉ hoán đổi", "Nghỉ"),
    "makeup": ("B", "Ngày làm việc theo điều chỉnh (làm bù)", "Làm việc"),
    "weekend": ("", "Nghỉ cuối tuần", "Cuối tuần"),
    "work": ("", "Ngày làm việc", "Làm việc"),
}
ORIGIN_LABELS = {
    "shipped": "Danh sách kèm phần mềm",
    "admin": "Quản trị viên nhập",
    "import": "Nhập từ tệp CSV",
}
SOURCE_LABELS = {
    "holidays": "Bộ luật Lao động 2019 (thư viện holidays)",
    "weekend": "Nghỉ cuối tuần",
}


@dataclass(frozen=True)
class DayCell:
    day: date
    kind: str  # off | makeup | weekend | work
    mark: str
    title: str


@dataclass(frozen=True)
class MonthGrid:
    month: int
    weeks: list[list[DayCell | None]]
    working_days: int


@dataclass(frozen=True)
class SpecialDay:
    """One line of the list under the grids: a day off (not an ordinary weekend) or a working day
    set by an override. `is_override` lines can be removed; `row` is the stored row, if any."""

    day: date
    weekday: str
    kind: str
    name: str
    source: str
    reference: str
    is_override: bool
    row: CalendarOverride | None


def _classify(calendar: WorkingCalendar, day: date, overrides: dict[date, Override]) -> tuple[str, str]:
    """(kind, title) of one day."""
    reason = calendar.day_off_reason(day)
    if reason is None:
        override = overrides.get(day)
        if override is not None and override.kind == "work":
            return "makeup", f"{override.name} — {override.reference}"
        return "work", "Ngày làm việc"
    if reason.source == "weekend":
        return "weekend", reason.name
    return "off", f"{reason.name} — {reason.reference}"


def month_grids(calendar: WorkingCalendar, year: int) -> list[MonthGrid]:
    overrides = {o.date: o for o in calendar.overrides if o.date.year == year}
    grids = []
    for month in range(1, 13):
        weeks: list[list[DayCell | None]] = []
        working = 0
        for week in gregorian.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells: list[DayCell | None] = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                kind, title = _classify(calendar, day, overrides)
                working += kind in ("work", "makeup")
                cells.append(DayCell(day, kind, MARKS[kind][0], title))
            weeks.append(cells)
        grids.append(MonthGrid(month, weeks, working))
    return grids


def special_days(calendar: WorkingCalendar, year: int, rows: list[CalendarOverride]) -> list[SpecialDay]:
    """Days off other than ordinary weekends, and the working days set by an override, by date."""
    stored = {row.day: row for row in rows if row.day.year == year}
    shipped = {o.date for o in shipped_overrides()}
    result: list[SpecialDay] = []
    for off in calendar.days_off(year):
        is_override = off.source == "override"
        row = stored.get(off.date) if is_override else None
        source = _override_source(row, off.date in shipped) if is_override else SOURCE_LABELS[off.source]
        weekday = WEEKDAY_NAMES[off.date.weekday()]
        result.append(SpecialDay(off.date, weekday, "off", off.name, source, off.reference, is_override, row))
    for o in calendar.overrides:
        if o.date.year == year and o.kind == "work":
            row = stored.get(o.date)
            source = _override_source(row, o.date in shipped)
            weekday = WEEKDAY_NAMES[o.date.weekday()]
            result.append(SpecialDay(o.date, weekday, "makeup", o.name, source, o.reference, True, row))
    return sorted(result, key=lambda s: s.day)


def _override_source(row: CalendarOverride | None, shipped: bool) -> str:
    if row is None:
        return ORIGIN_LABELS["shipped"] if shipped else ORIGIN_LABELS["admin"]
    return ORIGIN_LABELS.get(row.origin, row.origin)


def removed_rows(rows: list[CalendarOverride], year: int) -> list[CalendarOverride]:
    return [row for row in rows if row.day.year == year and not row.is_active]

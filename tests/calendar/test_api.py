"""API contract: argument checks, range, revision, immutability, module-level functions."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

import app.calendar as wc
from app.calendar import (
    CalendarRangeError,
    Override,
    StaticHolidays,
    WorkingCalendar,
    default_calendar,
    no_holidays,
    shipped_overrides,
)

PLAIN = WorkingCalendar(source=no_holidays())


def test_n_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        PLAIN.add_working_days(date(2025, 3, 3), 0)
    with pytest.raises(ValueError):
        PLAIN.add_working_days(date(2025, 3, 3), -2)


def test_datetime_is_refused() -> None:
    with pytest.raises(TypeError, match="datetime.date"):
        PLAIN.is_working_day(datetime(2025, 3, 3, 9, 0))


def test_supported_range() -> None:
    assert PLAIN.add_working_days(date(1990, 1, 1), 1) == date(1990, 1, 2)
    assert PLAIN.is_working_day(date(2100, 12, 31))
    with pytest.raises(CalendarRangeError, match="1989"):
        PLAIN.is_working_day(date(1989, 12, 29))
    with pytest.raises(CalendarRangeError, match="2101"):
        PLAIN.add_working_days(date(2100, 12, 31), 1)


def test_weekends_only_and_long_spans() -> None:
    # Friday + 1 = Monday; 261 working days in 2025 without holidays; across several years.
    assert PLAIN.add_working_days(date(2025, 3, 7), 1) == date(2025, 3, 10)
    assert PLAIN.working_days_between(date(2024, 12, 31), date(2025, 12, 31)) == 261
    span = PLAIN.working_days_between(date(2020, 1, 1), date(2030, 1, 1))
    assert PLAIN.add_working_days(date(2020, 1, 1), span) == date(2030, 1, 1)
    assert PLAIN.working_days_between(date(2025, 3, 7), date(2025, 3, 7)) == 0


def test_work_override_cancels_a_wrong_holiday() -> None:
    wrong = StaticHolidays({date(2025, 3, 5): "Ngày nghỉ nhầm"}, name="wrong")
    assert not WorkingCalendar(source=wrong).is_working_day(date(2025, 3, 5))
    fixed = WorkingCalendar([Override(date(2025, 3, 5), "work", "Đi làm", "TB 2")], source=wrong)
    assert fixed.is_working_day(date(2025, 3, 5))


def test_source_workdays_count_but_overrides_win() -> None:
    src = StaticHolidays({date(2025, 3, 3): "Nghỉ"}, frozenset({date(2025, 3, 8)}), name="s")
    cal = WorkingCalendar(source=src)
    assert cal.is_working_day(date(2025, 3, 8))
    reason = cal.day_off_reason(date(2025, 3, 3))
    assert reason is not None and reason.source == "holidays"
    cal2 = WorkingCalendar([Override(date(2025, 3, 8), "off", "Nghỉ", "TB 3")], source=src)
    assert not cal2.is_working_day(date(2025, 3, 8))


def test_revision_is_stable_and_sensitive() -> None:
    rows = shipped_overrides()
    assert WorkingCalendar(rows).revision == WorkingCalendar(list(reversed(rows))).revision
    assert WorkingCalendar(rows).revision == default_calendar().revision
    assert WorkingCalendar(rows[:-1]).revision != default_calendar().revision
    assert WorkingCalendar(rows, source=no_holidays()).revision != default_calendar().revision
    edited = [dataclasses.replace(rows[0], reference=rows[0].reference + " (sửa)"), *rows[1:]]
    assert WorkingCalendar(edited).revision != default_calendar().revision
    assert default_calendar().revision.startswith("vn-wd-1-")


def test_duplicate_overrides_refused() -> None:
    a = Override(date(2025, 5, 2), "off", "Nghỉ", "TB 1")
    b = Override(date(2025, 5, 2), "work", "Làm", "TB 2")
    with pytest.raises(ValueError, match="two overrides for 2025-05-02"):
        WorkingCalendar([a, b])


def test_calendar_and_values_are_immutable() -> None:
    cal = default_calendar()
    with pytest.raises(AttributeError):
        cal._revision = "x"
    with pytest.raises(dataclasses.FrozenInstanceError):
        cal.overrides[0].kind = "work"  # type: ignore[misc]


def test_module_level_functions_match_methods() -> None:
    cal = default_calendar()
    d = date(2024, 2, 7)
    assert wc.add_working_days(cal, d, 2) == cal.add_working_days(d, 2) == date(2024, 2, 16)
    assert wc.is_working_day(cal, d) is True
    assert wc.working_days_between(cal, d, date(2024, 2, 16)) == 2
    assert wc.next_working_day(cal, d) == date(2024, 2, 15)
    assert wc.roll_forward(cal, date(2024, 2, 10)) == date(2024, 2, 15)
    assert wc.day_off_reason(cal, date(2024, 2, 12)) == cal.day_off_reason(date(2024, 2, 12))
    assert wc.days_off(cal, 2025) == cal.days_off(2025)
    assert wc.explain_deadline(cal, d, 2) == cal.explain_deadline(d, 2)


def test_day_off_is_a_plain_tuple() -> None:
    off = default_calendar().days_off(2025)[0]
    day, name, source, reference = off
    assert (day, source) == (date(2025, 1, 1), "override")
    assert name == "Tết Dương lịch" and "112" in reference

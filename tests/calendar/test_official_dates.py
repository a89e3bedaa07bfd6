"""Real announced days off for civil servants, 2024-2026 (see docs/calendar.md for the sources).

Each case is checked on three calendars: the shipped one (shipped overrides over the holidays
package), the shipped overrides over weekends only (the CSV must stand on its own for these years),
and, where the package is known to agree, the holidays package alone.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.calendar import WorkingCalendar, default_calendar, no_holidays, shipped_overrides

D = date

# (date, working?, why) - consecutive days around each holiday, including the working days that frame it.
DAYS: list[tuple[date, bool, str]] = [
    # Tết Giáp Thìn 2024: Thu 08/02 - Wed 14/02 (5 Tết days + 2 compensated weekend days).
    (D(2024, 2, 7), True, "Wed before Tết 2024"),
    (D(2024, 2, 8), False, "29 Chạp"),
    (D(2024, 2, 9), False, "30 Chạp"),
    (D(2024, 2, 10), False, "mùng 1, Saturday"),
    (D(2024, 2, 11), False, "mùng 2, Sunday"),
    (D(2024, 2, 12), False, "mùng 3"),
    (D(2024, 2, 13), False, "mùng 4"),
    (D(2024, 2, 14), False, "mùng 5"),
    (D(2024, 2, 15), True, "back to work after Tết 2024"),
    # Giỗ Tổ 2024 on Thursday 18/04.
    (D(2024, 4, 18), False, "Giỗ Tổ 2024"),
    (D(2024, 4, 19), True, "Fri after Giỗ Tổ 2024"),
    # 30/4-1/5 2024: Sat 27/04 - Wed 01/05, Mon 29/04 swapped with Sat 04/05.
    (D(2024, 4, 26), True, "Fri before 30/4 2024"),
    (D(2024, 4, 27), False, "Saturday"),
    (D(2024, 4, 28), False, "Sunday"),
    (D(2024, 4, 29), False, "swapped Monday"),
    (D(2024, 4, 30), False, "30/4"),
    (D(2024, 5, 1), False, "1/5"),
    (D(2024, 5, 2), True, "Thu after 1/5 2024"),
    (D(2024, 5, 4), True, "make-up Saturday 04/05/2024"),
    (D(2024, 5, 5), False, "Sunday after the make-up Saturday"),
    # 2/9 2024: Sat 31/08 - Tue 03/09.
    (D(2024, 8, 30), True, "Fri before 2/9 2024"),
    (D(2024, 9, 2), False, "Quốc khánh"),
    (D(2024, 9, 3), False, "adjacent day after 2/9"),
    (D(2024, 9, 4), True, "Wed after 2/9 2024"),
    # Tết Ất Tỵ 2025: Sat 25/01 - Sun 02/02 (9 days, no swap).
    (D(2025, 1, 1), False, "Tết Dương lịch 2025"),
    (D(2025, 1, 24), True, "Fri before Tết 2025"),
    (D(2025, 1, 25), False, "26 Chạp, Saturday"),
    (D(2025, 1, 27), False, "28 Chạp"),
    (D(2025, 1, 28), False, "29 Chạp (giao thừa)"),
    (D(2025, 1, 29), False, "mùng 1"),
    (D(2025, 1, 31), False, "mùng 3"),
    (D(2025, 2, 1), False, "mùng 4, Saturday"),
    (D(2025, 2, 2), False, "mùng 5, Sunday"),
    (D(2025, 2, 3), True, "back to work after Tết 2025"),
    # Giỗ Tổ 2025 on Monday 07/04.
    (D(2025, 4, 7), False, "Giỗ Tổ 2025"),
    # 30/4-1/5 2025: Wed 30/04 - Sun 04/05, Fri 02/05 swapped with Sat 26/04.
    (D(2025, 4, 25), True, "Fri before the make-up Saturday"),
    (D(2025, 4, 26), True, "make-up Saturday 26/04/2025"),
    (D(2025, 4, 27), False, "Sunday"),
    (D(2025, 4, 29), True, "Tue before 30/4 2025"),
    (D(2025, 4, 30), False, "30/4"),
    (D(2025, 5, 1), False, "1/5"),
    (D(2025, 5, 2), False, "swapped Friday"),
    (D(2025, 5, 5), True, "Mon after 30/4 2025"),
    # 2/9 2025: Sat 30/08 - Tue 02/09, Monday 01/09 is the adjacent day.
    (D(2025, 8, 29), True, "Fri before 2/9 2025"),
    (D(2025, 9, 1), False, "adjacent day before 2/9"),
    (D(2025, 9, 2), False, "Quốc khánh"),
    (D(2025, 9, 3), True, "Wed after 2/9 2025"),
    # Tết Dương lịch 2026: Thu 01/01 - Sun 04/01, Fri 02/01 swapped with Sat 10/01.
    (D(2025, 12, 31), True, "Wed before 1/1/2026"),
    (D(2026, 1, 1), False, "Tết Dương lịch 2026"),
    (D(2026, 1, 2), False, "swapped Friday"),
    (D(2026, 1, 5), True, "Mon after 1/1/2026"),
    (D(2026, 1, 10), True, "make-up Saturday 10/01/2026"),
    (D(2026, 1, 11), False, "Sunday"),
    # Tết Bính Ngọ 2026: Sat 14/02 - Sun 22/02 (9 days, no swap).
    (D(2026, 2, 13), True, "Fri before Tết 2026"),
    (D(2026, 2, 14), False, "27 Chạp, Saturday"),
    (D(2026, 2, 16), False, "29 Chạp"),
    (D(2026, 2, 17), False, "mùng 1"),
    (D(2026, 2, 20), False, "mùng 4"),
    (D(2026, 2, 22), False, "mùng 6, Sunday"),
    (D(2026, 2, 23), True, "back to work after Tết 2026"),
    # Giỗ Tổ 2026 on Sunday 26/04: Monday 27/04 off (Labour Code art. 111(3)).
    (D(2026, 4, 24), True, "Fri before Giỗ Tổ 2026"),
    (D(2026, 4, 26), False, "Giỗ Tổ on Sunday"),
    (D(2026, 4, 27), False, "compensating Monday"),
    (D(2026, 4, 28), True, "Tue after Giỗ Tổ 2026"),
    # 30/4-1/5 2026: Thu-Fri, no swap.
    (D(2026, 4, 29), True, "Wed before 30/4 2026"),
    (D(2026, 4, 30), False, "30/4"),
    (D(2026, 5, 1), False, "1/5"),
    (D(2026, 5, 4), True, "Mon after 1/5 2026"),
    # 2/9 2026: Sat 29/08 - Wed 02/09, Mon 31/08 swapped with Sat 22/08.
    (D(2026, 8, 22), True, "make-up Saturday 22/08/2026"),
    (D(2026, 8, 28), True, "Fri before 2/9 2026"),
    (D(2026, 8, 31), False, "swapped Monday"),
    (D(2026, 9, 1), False, "adjacent day before 2/9"),
    (D(2026, 9, 2), False, "Quốc khánh"),
    (D(2026, 9, 3), True, "Thu after 2/9 2026"),
]

# Where the holidays package (0.108) does not know the announcement.
PACKAGE_MISSES = {D(2026, 1, 2), D(2026, 1, 10)}

# (start, n, expected, story)
DEADLINES: list[tuple[date, int, date, str]] = [
    (D(2024, 2, 7), 1, D(2024, 2, 15), "1 working day from 07/02/2024 skips all of Tết"),
    (D(2024, 2, 7), 2, D(2024, 2, 16), "2 working days from the issue date 07/02/2024"),
    (D(2024, 2, 10), 1, D(2024, 2, 15), "issued on a day off: counting still starts the next day"),
    (D(2025, 1, 24), 1, D(2025, 2, 3), "last working day before Tết 2025"),
    (D(2025, 1, 24), 5, D(2025, 2, 7), "a working week across Tết 2025"),
    (D(2026, 2, 13), 3, D(2026, 2, 25), "across Tết 2026"),
    (D(2026, 4, 24), 1, D(2026, 4, 28), "across Giỗ Tổ 2026 (Sunday) and its Monday off"),
    (D(2024, 4, 26), 3, D(2024, 5, 4), "the make-up Saturday 04/05/2024 counts"),
    (D(2024, 4, 26), 1, D(2024, 5, 2), "across 27/04-01/05/2024"),
    (D(2025, 4, 25), 1, D(2025, 4, 26), "the make-up Saturday 26/04/2025 counts"),
    (D(2025, 4, 29), 1, D(2025, 5, 5), "across 30/04-04/05/2025"),
    (D(2024, 8, 30), 1, D(2024, 9, 4), "across 2/9 2024"),
    (D(2025, 8, 29), 2, D(2025, 9, 4), "across 2/9 2025"),
    (D(2025, 12, 29), 5, D(2026, 1, 7), "across the year boundary and 1-2/1/2026"),
    (D(2025, 12, 31), 6, D(2026, 1, 10), "the make-up Saturday 10/01/2026 counts"),
    (D(2026, 8, 21), 1, D(2026, 8, 22), "the make-up Saturday 22/08/2026 counts"),
    (D(2026, 8, 28), 1, D(2026, 9, 3), "across 29/08-02/09/2026"),
    (D(2023, 12, 29), 1, D(2024, 1, 2), "1/1/2024 (Monday) off"),
]


@pytest.fixture(scope="module")
def shipped() -> WorkingCalendar:
    return default_calendar()


@pytest.fixture(scope="module")
def csv_only() -> WorkingCalendar:
    return WorkingCalendar(shipped_overrides(), source=no_holidays())


@pytest.fixture(scope="module")
def package_only() -> WorkingCalendar:
    return WorkingCalendar()


@pytest.mark.parametrize(("day", "working", "why"), DAYS, ids=[f"{d.isoformat()}-{w}" for d, w, _ in DAYS])
def test_is_working_day(
    shipped: WorkingCalendar, csv_only: WorkingCalendar, day: date, working: bool, why: str
) -> None:
    assert shipped.is_working_day(day) is working, why
    assert csv_only.is_working_day(day) is working, f"{why} (shipped CSV alone)"


@pytest.mark.parametrize(("day", "working", "why"), DAYS, ids=[f"{d.isoformat()}-{w}" for d, w, _ in DAYS])
def test_holidays_package_agrees_except_known_gaps(
    package_only: WorkingCalendar, day: date, working: bool, why: str
) -> None:
    if day in PACKAGE_MISSES:
        assert package_only.is_working_day(day) is not working, f"package now knows {why}: update docs"
    else:
        assert package_only.is_working_day(day) is working, why


@pytest.mark.parametrize(("start", "n", "expected", "story"), DEADLINES, ids=[s for *_, s in DEADLINES])
def test_add_working_days(
    shipped: WorkingCalendar, csv_only: WorkingCalendar, start: date, n: int, expected: date, story: str
) -> None:
    assert shipped.add_working_days(start, n) == expected
    assert csv_only.add_working_days(start, n) == expected
    assert shipped.working_days_between(start, expected) == n
    assert shipped.working_days_between(expected, start) == -n


def test_reasons_name_their_source(shipped: WorkingCalendar) -> None:
    swap = shipped.day_off_reason(D(2025, 5, 2))
    assert swap is not None
    assert swap.source == "override"
    assert "6150/TB-LĐTBXH" in swap.reference
    sunday_holiday = shipped.day_off_reason(D(2026, 4, 26))
    assert sunday_holiday is not None
    assert sunday_holiday.source == "holidays"
    assert "Giỗ Tổ" in sunday_holiday.name
    weekend = shipped.day_off_reason(D(2024, 3, 2))
    assert weekend is not None
    assert (weekend.source, weekend.name) == ("weekend", "Thứ Bảy")
    assert shipped.day_off_reason(D(2024, 5, 4)) is None  # make-up Saturday


def test_explain_deadline_after_tet_2024(shipped: WorkingCalendar) -> None:
    explanation = shipped.explain_deadline(D(2024, 2, 7), 2)
    assert explanation.deadline == D(2024, 2, 16)
    assert explanation.counted == (D(2024, 2, 15), D(2024, 2, 16))
    assert [s.date for s in explanation.skipped] == [D(2024, 2, d) for d in range(8, 15)]
    assert {s.source for s in explanation.skipped} == {"override", "holidays"}
    assert explanation.revision == shipped.revision


def test_days_off_2026_year_view(shipped: WorkingCalendar) -> None:
    listed = {d.date for d in shipped.days_off(2026)}
    assert {D(2026, 1, 2), D(2026, 2, 16), D(2026, 4, 26), D(2026, 4, 27), D(2026, 8, 31)} <= listed
    assert D(2026, 1, 10) not in listed and D(2026, 3, 7) not in listed  # make-up / plain Saturday
    with_weekends = shipped.days_off(2026, include_weekends=True)
    assert D(2026, 3, 7) in {d.date for d in with_weekends}
    assert len(with_weekends) == 365 - sum(
        shipped.is_working_day(D(2026, 1, 1).fromordinal(o))
        for o in range(D(2026, 1, 1).toordinal(), D(2027, 1, 1).toordinal())
    )


@pytest.mark.parametrize(
    ("year", "vietnamese_tet", "chinese_new_year"),
    [(2007, D(2007, 2, 17), D(2007, 2, 18)), (2030, D(2030, 2, 2), D(2030, 2, 3))],
)
def test_tet_follows_the_vietnamese_lunar_calendar(
    package_only: WorkingCalendar, year: int, vietnamese_tet: date, chinese_new_year: date
) -> None:
    # The Vietnamese calendar (UTC+7) puts the new moon a day earlier than the Chinese one (UTC+8)
    # in these years; the holidays package must use the former.
    reason = package_only.day_off_reason(vietnamese_tet)
    assert reason is not None and reason.name == "Tết Nguyên Đán"
    other = package_only.day_off_reason(chinese_new_year)
    assert other is not None and other.name != "Tết Nguyên Đán"

"""Properties of the working-day arithmetic, checked with hypothesis against a day-by-day model."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.calendar import Override, WorkingCalendar, default_calendar, shipped_overrides

CAL = default_calendar()
DATES = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
NS = st.integers(min_value=1, max_value=60)
KINDS = st.sampled_from(["off", "work"])


def _naive_add(cal: WorkingCalendar, d: date, n: int) -> date:
    day = d
    while n:
        day += timedelta(days=1)
        n -= cal.is_working_day(day)
    return day


@given(DATES, NS)
def test_result_is_a_later_working_day_matching_the_model(d: date, n: int) -> None:
    result = CAL.add_working_days(d, n)
    assert result > d
    assert CAL.is_working_day(result)
    assert result == _naive_add(CAL, d, n)


@given(DATES, NS)
def test_strictly_increasing_in_n(d: date, n: int) -> None:
    assert CAL.add_working_days(d, n) < CAL.add_working_days(d, n + 1)


@given(DATES, st.integers(min_value=1, max_value=400))
def test_between_inverts_add(d: date, n: int) -> None:
    assert CAL.working_days_between(d, CAL.add_working_days(d, n)) == n


@given(DATES, DATES)
def test_between_matches_counting_and_is_antisymmetric(a: date, b: date) -> None:
    lo, hi = min(a, b), max(a, b)
    count = sum(CAL.is_working_day(lo + timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
    assert CAL.working_days_between(lo, hi) == count
    assert CAL.working_days_between(a, b) == -CAL.working_days_between(b, a)


@given(DATES, DATES, DATES)
def test_between_is_additive(a: date, b: date, c: date) -> None:
    assert CAL.working_days_between(a, b) + CAL.working_days_between(b, c) == CAL.working_days_between(a, c)


@given(DATES)
def test_roll_forward(d: date) -> None:
    rolled = CAL.roll_forward(d)
    assert CAL.is_working_day(rolled)
    assert CAL.roll_forward(rolled) == rolled
    if CAL.is_working_day(d):
        assert rolled == d
    else:
        assert rolled == CAL.next_working_day(d)
    assert all(not CAL.is_working_day(d + timedelta(days=i)) for i in range((rolled - d).days))


@given(DATES)
def test_next_working_day_skips_only_days_off(d: date) -> None:
    nxt = CAL.next_working_day(d)
    assert nxt > d and CAL.is_working_day(nxt)
    assert all(not CAL.is_working_day(d + timedelta(days=i)) for i in range(1, (nxt - d).days))


@given(DATES)
def test_reason_iff_day_off(d: date) -> None:
    reason = CAL.day_off_reason(d)
    assert (reason is None) == CAL.is_working_day(d)
    if reason is not None:
        assert reason.date == d and reason.name and reason.source in ("override", "holidays", "weekend")


@settings(max_examples=60, deadline=None)
@given(DATES, KINDS)
def test_overrides_always_win(d: date, kind: str) -> None:
    others = [o for o in shipped_overrides() if o.date != d]
    cal = WorkingCalendar(
        [*others, Override(d, "off" if kind == "off" else "work", "Thử nghiệm", "QĐ 1/QĐ-UBND")]
    )
    assert cal.is_working_day(d) is (kind == "work")
    reason = cal.day_off_reason(d)
    if kind == "off":
        assert reason is not None and reason.source == "override" and reason.reference == "QĐ 1/QĐ-UBND"
    else:
        assert reason is None
    assert cal.revision != CAL.revision


@settings(max_examples=30, deadline=None)
@given(DATES, NS)
def test_explain_deadline_accounts_for_every_day(d: date, n: int) -> None:
    e = CAL.explain_deadline(d, n)
    assert e.deadline == CAL.add_working_days(d, n)
    assert len(e.counted) == n and e.counted[-1] == e.deadline
    days = sorted([*e.counted, *(s.date for s in e.skipped)])
    assert days == [d + timedelta(days=i) for i in range(1, (e.deadline - d).days + 1)]

"""Every number of the quarter I report over the known register (see dataset.py for the why)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Unit
from app.services.reports.scope import build_scope
from app.services.reports.summary import Filters, compute

Q1 = (date(2026, 1, 1), date(2026, 3, 20))

# unit: received, on time, late, in progress on time, overdue, rate, late updates, urging, good, fair, poor
EXPECTED = {
    "stc": (2 + 1, 1, 1, 1, 0, 0.5, 0, 0, 1, 1, 0),
    "skhdt": (3, 0, 0, 1, 2, 0.0, 2, 1, 0, 0, 0),
    "sxd": (2, 0, 0, 1, 1, 0.0, 1, 0, 0, 0, 0),
    "huyen-a": (1, 0, 1, 0, 0, 0.0, 0, 0, 0, 0, 1),
    "huyen-b": (0, 0, 0, 0, 0, None, 0, 0, 0, 0, 0),  # not connected, no task this quarter
}


def province():
    return db.session.scalar(select(Unit).where(Unit.code == "tinh"))


def _figures(report, code):
    row = next(r for r in report.rows if r.code == code)
    f = row.figures
    return (
        f.received, f.completed_on_time, f.completed_late, f.in_progress_on_time, f.overdue, f.on_time_rate,
        f.late_updates, f.urging_sent, f.quality_good, f.quality_fair, f.quality_poor,
    )  # fmt: skip


@pytest.mark.slow
def test_quarter_one_report_counts_every_unit_at_the_cut_off_quynh_nhai(register):
    report = compute(build_scope(province()), *Q1)

    assert [r.code for r in report.rows] == ["stc", "skhdt", "sxd", "huyen-a", "huyen-b"]
    for code, expected in EXPECTED.items():
        assert _figures(report, code) == expected, code
    total = report.total
    assert (total.received, total.completed_on_time, total.completed_late, total.in_progress_on_time) == (
        9,
        1,
        2,
        3,
    )
    assert total.overdue == 3
    assert total.on_time_rate == round(1 / 6, 4)
    assert (total.late_updates, total.updates_due, total.urging_sent, total.extensions_granted) == (
        3,
        6,
        1,
        0,
    )
    assert total.received == sum(
        getattr(total, k) for k in ("completed_on_time", "completed_late", "in_progress_on_time", "overdue")
    )


@pytest.mark.slow
def test_overdue_list_gives_days_overdue_at_the_cut_off_most_overdue_first(register):
    report = compute(build_scope(province()), *Q1)
    listed = [(r.task_id, r.days_overdue, r.unit_name, r.confidential) for r in report.overdue]
    assert listed == [
        (register.tasks["a3"], 21, "Sở Kế hoạch và Đầu tư", False),
        (register.tasks["b5"], 10, "Sở Xây dựng", True),
        (register.tasks["c12"], 7, "Sở Kế hoạch và Đầu tư", False),
    ]


@pytest.mark.slow
def test_a_task_done_after_the_cut_off_counts_as_overdue_then_and_late_now(register):
    at_cut_off = compute(build_scope(province()), *Q1)
    today = compute(build_scope(province()), date(2026, 1, 1), date(2026, 3, 26))
    skhdt = lambda report: next(r.figures for r in report.rows if r.code == "skhdt")  # noqa: E731
    assert (skhdt(at_cut_off).overdue, skhdt(at_cut_off).completed_late) == (2, 0)
    assert (skhdt(today).overdue, skhdt(today).completed_late) == (1, 1)
    # the later range also holds d10 (assigned 25/03) and the stc row grows by it
    assert next(r.figures for r in today.rows if r.code == "stc").received == 4


@pytest.mark.slow
def test_filters_by_field_and_leader_keep_only_their_tasks(register):
    scope = build_scope(province())
    by_field = compute(scope, *Q1, Filters(field="Xây dựng"))
    assert (by_field.total.received, by_field.total.completed_late, by_field.total.in_progress_on_time) == (
        2,
        1,
        1,
    )
    leader_id = db.session.scalar(select(Unit.id).where(Unit.code == "tinh"))  # a unit id is no leader
    assert compute(scope, *Q1, Filters(leader_id=leader_id)).total.received == 0
    from app.models import User

    chairman = db.session.scalar(select(User.id).where(User.username == "ct.ubnd"))
    led = compute(scope, *Q1, Filters(leader_id=chairman))
    assert (led.total.received, led.total.completed_on_time, led.total.completed_late) == (2, 1, 1)


@pytest.mark.slow
def test_an_agency_sees_only_its_own_row(register):
    finance = db.session.scalar(select(Unit).where(Unit.code == "stc"))
    report = compute(build_scope(province(), only_unit=finance), *Q1)
    assert [r.code for r in report.rows] == ["stc"]
    assert report.total.received == 3


@pytest.mark.slow
def test_lists_keep_only_the_tasks_the_viewer_may_open_while_counts_stay_the_scopes(register, user):
    """Authorisation (`authz.task_filter`) narrows every list of tasks: the overdue list, the
    drill-down and Appendix 01 of a province-wide scope, seen by the planning department's focal
    officer, hold its own tasks only."""
    from app.models import Task
    from app.services.authz import can_view_task
    from app.services.reports import appendix01, dashboard

    scope = build_scope(province())
    planner = user("skhdt.daumoi")
    seen = Filters(viewer=planner)

    report = compute(scope, *Q1, seen)
    assert [t.task_id for t in report.overdue] == [register.tasks["a3"], register.tasks["c12"]]
    assert report.total.overdue == 3  # b5 (sxd) still counts in the province's figures

    rows, total = dashboard.task_list(scope, *Q1, seen, dashboard.Drill())
    assert total == 3
    assert {item.task_id for item, _ in rows} == {register.tasks[k] for k in ("a3", "a4", "c12")}
    assert all(can_view_task(planner, db.session.get(Task, item.task_id)) for item, _ in rows)
    everything, _ = dashboard.task_list(scope, *Q1, Filters(), dashboard.Drill())
    assert len(everything) == 10  # the 9 counted tasks and c8, cancelled (listed, not counted)

    appendix = appendix01.build(scope, date(2026, 3, 20), seen)
    listed = [row.task_id for rows in appendix.sections.values() for row in rows]
    assert listed == [register.tasks["a3"], register.tasks["c12"]]
    assert appendix.total == 2

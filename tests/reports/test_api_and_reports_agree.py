"""One rule for the four R4 categories: `GET /api/v1/tasks/<id>` `report_category`, the register's
counts (`app.services.reporting`) and every report (`app.services.reports`) give the same answer
for every task of the known register, at the register's today and at a later cut-off."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import Task, Unit
from app.services import reporting
from app.services.reports import dashboard
from app.services.reports.categories import CATEGORIES
from app.services.reports.scope import build_scope
from app.services.reports.summary import Filters, compute

pytestmark = pytest.mark.slow

# Every task assigned from 15/12/2025 (e11) to 25/03/2026 (d10): the whole register.
START = date(2025, 12, 1)

# At 26/03/2026 (see dataset.py for the why of each).
AT_26_03 = {
    "e11": "overdue",
    "a1": "completed_on_time",
    "a2": "completed_late",
    "a3": "overdue",
    "a4": "in_progress_on_time",
    "b5": "overdue",
    "b6": "in_progress_on_time",
    "c7": "completed_late",
    "c8": None,  # cancelled: in no category
    "c9": "overdue",  # its deadline, 20/03, has ended
    "c12": "completed_late",  # done 24/03, after its deadline of 13/03
    "d10": "in_progress_on_time",
}


def _province():
    return db.session.scalar(select(Unit).where(Unit.code == "tinh"))


def _api_categories(api, register) -> dict[str, str | None]:
    chief = api("vp.chanh")  # cleared for the separate register (R14): sees b5 and b6 too
    found = {}
    for label, task_id in register.tasks.items():
        response = chief.get(f"/tasks/{task_id}")
        assert response.status_code == 200, (label, response.get_json())
        found[label] = response.get_json()["report_category"]
    return found


def _report_categories(register, end: date) -> dict[str, str | None]:
    rows, total = dashboard.task_list(
        build_scope(_province()), START, end, Filters(), dashboard.Drill(), limit=None
    )
    by_id = {item.task_id: category for item, category in rows}
    assert total == len(by_id)
    return {label: by_id[task_id] for label, task_id in register.tasks.items() if task_id in by_id}


def _assert_counts_agree(register, end: date) -> None:
    ids = list(register.tasks.values())
    counts = reporting.category_counts(end, condition=Task.id.in_(ids))
    report = compute(build_scope(_province()), START, end, with_lists=False)
    assert counts == {c.value: getattr(report.total, c.value) for c in CATEGORIES}


def test_the_api_the_register_counts_and_the_reports_agree_on_every_task_today(register, api):
    assert clock.today() == date(2026, 3, 26)
    assert _api_categories(api, register) == AT_26_03
    assert _report_categories(register, clock.today()) == AT_26_03
    _assert_counts_agree(register, clock.today())


def test_they_still_agree_at_a_later_cut_off(register, api, freeze):
    freeze("2026-04-15T09:00:00+07:00")
    later = {**AT_26_03, "d10": "overdue"}  # due 10/04, not reported; a4 (30/04) still in time
    assert _api_categories(api, register) == later
    assert _report_categories(register, date(2026, 4, 15)) == later
    _assert_counts_agree(register, date(2026, 4, 15))

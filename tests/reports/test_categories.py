"""The SQL category expression gives exactly the per-task rule of task_status.report_category."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import Directive, Task, Unit
from app.services.reports.categories import category_at, category_of, on_time_rate
from app.services.task_status import TaskStatus, report_category

TODAY = date(2026, 3, 20)
OFFSETS = (None, -3, -1, 0, 1, 5)  # days relative to TODAY; None = no date


def _day(offset: int | None) -> date | None:
    return None if offset is None else TODAY + timedelta(days=offset)


def _seed_every_combination() -> list[Task]:
    office = db.session.scalar(select(Unit).where(Unit.code == "vp"))
    finance = db.session.scalar(select(Unit).where(Unit.code == "stc"))
    now = clock.now()
    directive = Directive(
        doc_type="quyet_dinh", number="1", symbol="QĐ-UBND", summary="Kiểm tra phân loại",
        issued_on=date(2026, 1, 2),
        signer="A", office_unit_id=office.id, created_at=now,
    )  # fmt: skip
    db.session.add(directive)
    tasks = []
    for status, due, done, changed in itertools.product(
        [s.value for s in TaskStatus], OFFSETS, OFFSETS, (-10, -1, 0, 2)
    ):
        # the status changed at 00:30 Vietnam time, still the day before in UTC: dates are read in Vietnam
        changed_at = datetime.combine(TODAY + timedelta(days=changed), time(0, 30), clock.VIETNAM)
        task = Task(
            directive=directive, content=f"{status} {due} {done} {changed}", lead_unit_id=finance.id,
            due_on=_day(due), status=status, status_changed_at=changed_at, completed_on=_day(done),
            created_at=now,
        )  # fmt: skip
        tasks.append(task)
    db.session.add_all(tasks)
    db.session.flush()
    return tasks


def test_sql_category_equals_the_python_rule_for_every_status_and_date_at_several_cut_offs(app):
    tasks = _seed_every_combination()
    for as_of in (TODAY - timedelta(days=2), TODAY, TODAY + timedelta(days=3)):
        query = select(Task.id, category_at(as_of)).where(Task.id.in_([t.id for t in tasks]))
        in_sql = {task_id: category for task_id, category in db.session.execute(query)}
        for task in tasks:
            changed_on = task.status_changed_at.astimezone(clock.VIETNAM).date()
            expected = category_of(task.status, task.due_on, task.completed_on, changed_on, as_of)
            assert in_sql[task.id] == (expected.value if expected else None), (task.content, as_of)


def test_at_today_the_sql_category_is_report_category_for_every_task_of_the_register(app):
    tasks = _seed_every_combination()
    in_sql = {
        task_id: category for task_id, category in db.session.execute(select(Task.id, category_at(TODAY)))
    }
    compared = 0
    for task in tasks:
        changed_on = task.status_changed_at.astimezone(clock.VIETNAM).date()
        if changed_on > TODAY or (task.completed_on and task.completed_on > TODAY):
            continue  # the register holds no record of the future
        assert in_sql[task.id] == report_category(task.status, task.due_on, task.completed_on, TODAY), (
            task.content
        )
        compared += 1
    assert compared > 300


def test_a_task_is_overdue_only_once_its_deadline_day_has_ended(app):
    tasks = _seed_every_combination()
    open_due_today = next(t for t in tasks if t.status == "in_progress" and t.due_on == TODAY)
    assert (
        db.session.scalar(select(category_at(TODAY)).where(Task.id == open_due_today.id))
        == "in_progress_on_time"
    )
    tomorrow = TODAY + timedelta(days=1)
    assert db.session.scalar(select(category_at(tomorrow)).where(Task.id == open_due_today.id)) == "overdue"


def test_on_time_rate_counts_only_decided_tasks():
    assert on_time_rate(3, 1, 0) == 0.75
    assert on_time_rate(1, 2, 3) == round(1 / 6, 4)
    assert on_time_rate(0, 0, 0) is None

"""R4: statuses recorded on every transition, and the four reporting categories by one SQL query."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import product

from sqlalchemy import select

from app.extensions import db
from app.models import Task
from app.services.reporting import category_column, category_counts
from app.services.task_status import TaskStatus, report_category
from tests.scenario import FINANCE, OFFICE


def test_the_four_categories_are_counted_at_any_instant(s):
    s.use_profile("ninh-thuan-2019")
    s.freeze("2026-03-02T09:00:00+07:00")
    tasks = [
        {"content": "Hoàn thành đúng hạn", "lead_unit": "stc", "due_on": "2026-03-13"},
        {"content": "Hoàn thành quá hạn", "lead_unit": "stc", "due_on": "2026-03-06"},
        {"content": "Đang làm, hạn xa", "lead_unit": "stc", "due_on": "2026-06-30"},
        {"content": "Quá hạn", "lead_unit": "stc", "due_on": "2026-03-10"},
        {"content": "Không có hạn", "lead_unit": "stc"},
    ]
    directive = s.register_and_assign(issued_on="2026-03-02", tasks=tasks)
    on_time, late, far, overdue, open_ended = (t["id"] for t in directive["tasks"])
    for task_id in (on_time, late, far, overdue, open_ended):
        s.accept(task_id)
    s.freeze("2026-03-09T09:00:00+07:00")
    for task_id, done_on in ((on_time, "2026-03-09"), (late, "2026-03-09")):
        s.complete(
            FINANCE,
            s.work(task_id),
            action="complete",
            result_summary="Đã hoàn thành nhiệm vụ được giao.",
            completed_on=done_on,
            result_document="01/BC-STC",
        )
        s.complete(OFFICE, s.item(OFFICE, "Xác nhận hoàn thành", task_id=task_id), decision="confirm")

    # On 09/03 the task due 10/03 is still within its deadline; on 11/03 it is overdue.
    assert category_counts(date(2026, 3, 9)) == {
        "completed_on_time": 1,
        "completed_late": 1,
        "in_progress_on_time": 3,
        "overdue": 0,
    }
    assert category_counts(date(2026, 3, 11)) == {
        "completed_on_time": 1,
        "completed_late": 1,
        "in_progress_on_time": 2,
        "overdue": 1,
    }
    assert category_counts(date(2026, 3, 11), condition=Task.id.in_([far, overdue])) == {
        "completed_on_time": 0,
        "completed_late": 0,
        "in_progress_on_time": 1,
        "overdue": 1,
    }
    s.freeze("2026-03-11T09:00:00+07:00")
    assert [s.task(t)["report_category"] for t in (on_time, late, far, overdue, open_ended)] == [
        "completed_on_time",
        "completed_late",
        "in_progress_on_time",
        "overdue",
        "in_progress_on_time",
    ]
    assert [s.task(t)["status"] for t in (on_time, far)] == ["completed", "in_progress"]
    changes = [
        (e["details"]["from"], e["details"]["to"])
        for e in s.task(on_time)["history"]
        if e["action"] == "task_status_changed"
    ]
    assert changes == [("not_received", "in_progress"), ("in_progress", "completed")]


def test_the_sql_category_and_the_page_category_agree_on_every_case(s):
    """The web pages still compute a category in Python: both must give the same answer."""
    s.use_profile("ninh-thuan-2019")
    s.freeze("2026-03-02T09:00:00+07:00")
    directive = s.register(
        issued_on="2026-03-02", tasks=[{"content": "Mẫu", "lead_unit": "stc", "due_on": "2026-03-10"}]
    )
    task = db.session.get(Task, directive["tasks"][0]["id"])
    today = date(2026, 3, 10)
    dues = [None, today - timedelta(days=1), today, today + timedelta(days=1)]
    for status, due_on, completed_on in product(
        list(TaskStatus), dues, [None, today - timedelta(days=1), today]
    ):
        task.status, task.due_on, task.completed_on = status.value, due_on, completed_on
        db.session.flush()
        in_sql = db.session.scalar(select(category_column(today)).where(Task.id == task.id))
        assert in_sql == report_category(status, due_on, completed_on, today), (status, due_on, completed_on)
    db.session.rollback()

"""Benchmark of the regulation models (not a test): prints a markdown table.

    python scripts/bench_rules.py [--repeat 5] [--tasks 100000]

On a fresh SQLite database (migrated, bpmn/ deployed, demo organisation), with the clock frozen,
each step of the task process is driven through the services exactly as a request would (one
commit per step), `--repeat` times; the table gives the median and the worst time per step, the
size of a task process's stored state, and the time of the one SQL query that counts the R4
reporting categories over `--tasks` task rows.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from flask_migrate import upgrade  # noqa: E402 - needs the path set above when run as a script
from sqlalchemy import insert, select  # noqa: E402

from app import clock, create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Directive, ProcessInstance, Task, User, WorkItem  # noqa: E402
from app.services import directives, rules, work_items  # noqa: E402
from app.services.models_deploy import deploy_directory  # noqa: E402
from app.services.reporting import category_counts  # noqa: E402
from app.services.seed import seed_organisation  # noqa: E402
from app.services.timers import run_due  # noqa: E402

Timings = dict[str, list[float]]


def timed(timings: Timings, name: str, action: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = action()
    db.session.commit()
    timings.setdefault(name, []).append((time.perf_counter() - started) * 1000)
    return result


def freeze(instant: str) -> None:
    clock.freeze(datetime.fromisoformat(instant))
    db.session.commit()


def user(name: str) -> User:
    found = db.session.scalar(select(User).where(User.username == name))
    assert found is not None
    return found


def item(task_id: int, title: str) -> WorkItem:
    found = db.session.scalar(
        select(WorkItem).where(WorkItem.task_id == task_id, WorkItem.title == title, WorkItem.state == "open")
    )
    assert found is not None, title
    return found


def payload(number: int, tasks: int) -> dict[str, Any]:
    return {
        "number": str(number),
        "symbol": "QĐ-UBND",
        "doc_type": "quyet_dinh",
        "summary": "Văn bản đo hiệu năng",
        "issued_on": "2026-03-02",
        "signer": "Lê Văn Cường",
        "tasks": [
            {
                "content": f"Nhiệm vụ {i}",
                "lead_unit": "stc",
                "coordinating_units": ["skhdt"],
                "due_on": "2026-03-31",
            }
            for i in range(tasks)
        ],
    }


def one_round(timings: Timings, number: int) -> int:
    office, finance, leader = user("vp.chuyenvien"), user("stc.daumoi"), user("ct.ubnd")
    freeze("2026-03-02T09:00:00+07:00")
    directive = timed(
        timings,
        "register a directive (intake starts)",
        lambda: directives.register_directive(directives.parse_directive(payload(number, 1)), office),
    )
    classify = db.session.scalar(
        select(WorkItem).where(WorkItem.directive_id == directive.id, WorkItem.state == "open")
    )
    timed(
        timings,
        "classify (1 task process starts)",
        lambda: work_items.complete(office, classify, {"origin_level": "province"}),
    )
    task_id = directive.tasks[0].id
    timed(
        timings,
        "accept",
        lambda: work_items.complete(finance, item(task_id, "Tiếp nhận nhiệm vụ"), {"decision": "accept"}),
    )
    progress = {
        "action": "progress",
        "progress_status": "in_progress",
        "progress_note": "Đang triển khai thực hiện.",
    }
    timed(
        timings,
        "progress update",
        lambda: work_items.complete(finance, item(task_id, "Báo cáo kết quả thực hiện"), progress),
    )
    freeze("2026-03-10T09:00:00+07:00")
    extension = {
        "action": "extension",
        "proposed_due_on": "2026-04-30",
        "extension_reason": "Cần thêm thời gian lấy ý kiến.",
    }
    timed(
        timings,
        "file an extension",
        lambda: work_items.complete(finance, item(task_id, "Báo cáo kết quả thực hiện"), extension),
    )
    timed(
        timings,
        "Office forwards it",
        lambda: work_items.complete(
            office, item(task_id, "Trình đề nghị gia hạn"), {"office_opinion": "approve"}
        ),
    )
    decision = {"extension_decision": "approve", "new_due_on": "2026-04-30"}
    timed(
        timings,
        "leadership approves (timers re-armed)",
        lambda: work_items.complete(leader, item(task_id, "Quyết định gia hạn"), decision),
    )
    timed(
        timings,
        "Office answers",
        lambda: work_items.complete(
            office, item(task_id, "Trả lời cơ quan chủ trì"), {"answer_document": "1/VP"}
        ),
    )
    result = {
        "result_summary": "Đã hoàn thành nhiệm vụ.",
        "completed_on": "2026-03-10",
        "result_document": "2/BC",
    }
    timed(
        timings,
        "report completion",
        lambda: work_items.complete(finance, item(task_id, "Báo cáo kết quả thực hiện"), result),
    )
    instance = db.session.scalar(select(ProcessInstance).where(ProcessInstance.task_id == task_id))
    assert instance is not None
    size = len(instance.state)
    timed(
        timings,
        "confirm and close",
        lambda: work_items.complete(office, item(task_id, "Xác nhận hoàn thành"), {"decision": "confirm"}),
    )
    return size


def sweep(timings: Timings) -> int:
    """Register 20 one-task directives and let their classification deadlines pass together: each
    fired timer notifies the Office chief and opens an escalation step."""
    office = user("vp.chuyenvien")
    freeze("2026-03-02T09:00:00+07:00")
    for number in range(1000, 1020):
        directives.register_directive(directives.parse_directive(payload(number, 1)), office)
    db.session.commit()
    freeze("2026-03-05T00:30:00+07:00")
    fired = timed(timings, "timer sweep (20 late classifications)", lambda: run_due().fired)
    return int(fired)


def count_categories(timings: Timings, tasks: int) -> dict[str, int]:
    directive = db.session.scalars(select(Directive)).first()
    assert directive is not None
    lead = directive.tasks[0].lead_unit_id
    now = clock.now()
    start = date(2026, 1, 1)
    rows = []
    for i in range(tasks):
        due = start + timedelta(days=i % 180)
        status = ("completed", "in_progress", "not_received", "cancelled")[i % 4]
        rows.append(
            {
                "directive_id": directive.id,
                "seq": i + 10,
                "content": "",
                "lead_unit_id": lead,
                "due_on": due,
                "status": status,
                "status_changed_at": now,
                "completed_on": due + timedelta(days=(i % 3) - 1) if status == "completed" else None,
                "created_at": now,
                "deadline_fixed_by_higher": False,
                "deliverable": "none",
            }
        )
    db.session.execute(insert(Task), rows)
    db.session.commit()
    return dict(
        timed(
            timings,
            f"category counts over {tasks:,} tasks (1 query)",
            lambda: category_counts(date(2026, 4, 1)),
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--tasks", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
                "DONDOC_ALLOW_CLOCK_OVERRIDE": True,
                "SECRET_KEY": "bench",
            }
        )
        with app.app_context():
            upgrade()
            timings: Timings = {}
            timed(timings, "deploy bpmn/ (compile every model)", deploy_directory)
            seed_organisation()
            rules.set_active_profile("ninh-thuan-2019", actor_id=None)
            db.session.commit()
            one_round({}, 0)  # warm the caches (calendar years, compiled specs)
            sizes = [one_round(timings, n) for n in range(1, args.repeat + 1)]
            fired = sweep(timings)
            counts = count_categories(timings, args.tasks)
            db.session.remove()
    print(
        f"Regulation models on SQLite, {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPU, median of {args.repeat} rounds\n"
    )
    print("| step | median ms | worst ms |")
    print("|---|---:|---:|")
    for name, values in timings.items():
        print(f"| {name} | {statistics.median(values):.1f} | {max(values):.1f} |")
    print(
        f"\nStored state of a task process before closing: {statistics.median(sizes):,.0f} bytes (zlib JSON)."
    )
    print(f"Timers fired by the sweep: {fired}. Categories counted: {counts}.")


if __name__ == "__main__":
    main()

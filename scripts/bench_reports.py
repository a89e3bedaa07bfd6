"""Benchmark of the reports (not a test): prints a markdown table.

    python scripts/bench_reports.py [--tasks 100000] [--database-url URL] [--repeat 3] [--keep]
    python scripts/bench_reports.py --tasks 1000000 --database-url postgresql+psycopg://u@host/db

Builds a register of `--tasks` tasks (5 per directive, 34 reporting units, assigned over 2024-2026,
about 55 % completed, 30 % in progress, 10 % not received, 5 % cancelled) with one result work item
and one quality evaluation per completed task and the R7 update deadline of every accepted task with
a deadline, by bulk inserts into a freshly migrated database.
Then times, best of `--repeat` runs, what a user waits for: the quarterly report (figures only, and
with its overdue list), the API summary over a year, the dashboard's data, Appendix 01, and the
Excel and Word files of a period. `--browser` also measures the dashboard's first paint in Debian's
chromium. The goal for the quarterly report is under 2 s over 1,000,000 tasks on PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from sqlalchemy import func, insert, select  # noqa: E402 - needs the path set above

from app import clock, create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (  # noqa: E402
    AppSetting,
    Directive,
    ProcessInstance,
    Task,
    Unit,
    WorkItem,
)
from app.services.calendar_service import current_calendar  # noqa: E402
from app.services.models_deploy import deploy_directory  # noqa: E402
from app.services.reports import appendix01, dashboard, documents  # noqa: E402
from app.services.reports.scope import build_scope  # noqa: E402
from app.services.reports.summary import Filters, compute  # noqa: E402
from app.services.seed import ensure_unit, seed_organisation  # noqa: E402
from app.workflow import active_version  # noqa: E402
from scripts import chromium  # noqa: E402

FIRST_DAY, LAST_DAY = date(2024, 1, 1), date(2026, 12, 31)
CHUNK = 20_000
EXTRA_UNITS = 30
QUALITY = ["good", "fair", "poor"]


def make_units(extra_units: int = EXTRA_UNITS) -> list[int]:
    seed_organisation()
    for n in range(1, extra_units + 1):
        ensure_unit(f"bench-{n:02d}", f"Cơ quan thử tải {n:02d}", "department", "tinh")
    db.session.commit()
    return list(db.session.scalars(select(Unit.id).where(Unit.kind.in_(["department", "district"]))))


def _task_row(
    rng: random.Random, task_id: int, directive_id: int, issued: date, unit: int, today: date
) -> dict:
    due = None if rng.random() < 0.1 else issued + timedelta(days=rng.randint(10, 90))
    roll = rng.random()
    completed_on = None
    if roll < 0.55 and issued < today:
        status = "completed"
        late = rng.random() < 0.3
        base = due or issued + timedelta(days=30)
        completed_on = min(
            base + timedelta(days=rng.randint(1, 20)) if late else base - timedelta(days=rng.randint(0, 9)),
            today,
        )
    elif roll < 0.85:
        status = rng.choice(["in_progress", "in_progress", "not_started", "in_progress_with_obstacles"])
    elif roll < 0.95:
        status = "not_received"
    else:
        status = "cancelled"
    changed = datetime.combine(completed_on or issued, datetime.min.time(), UTC) + timedelta(hours=3)
    return {
        "id": task_id, "directive_id": directive_id, "seq": 1, "content": f"Nhiệm vụ thử tải số {task_id}",
        "lead_unit_id": unit, "due_on": due, "status": status, "status_changed_at": changed,
        "completed_on": completed_on, "created_at": changed, "is_public": False,
        "field": rng.choice(["Tài chính", "Xây dựng", "Đầu tư", "Nội chính", None]),
        "result_due_on": None, "quality": None, "evaluated_at": None,  # same keys in every row (COPY)
    }  # fmt: skip


def bulk_insert(model: Any, rows: list[dict[str, Any]]) -> None:
    """INSERT on SQLite; COPY on PostgreSQL, where row-by-row inserts would take the better part of an
    hour for a million tasks."""
    if db.engine.dialect.name != "postgresql":
        db.session.execute(insert(model), rows)
        return
    columns = list(rows[0])
    table = model.__table__
    connection = db.session.connection().connection.driver_connection
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([json.dumps(v) if isinstance(v, dict) else v for v in row.values()])


def build_register(
    tasks: int,
    seed: int,
    *,
    first: date = FIRST_DAY,
    last: date = LAST_DAY,
    today: date = date(2026, 11, 20),
    extra_units: int = EXTRA_UNITS,
) -> float:
    """Bulk-insert the register (after any rows already there); returns the seconds it took."""
    started = time.perf_counter()
    rng = random.Random(seed)
    units = make_units(extra_units)
    office = db.session.scalar(select(Unit.id).where(Unit.code == "vp"))
    instance = ProcessInstance(
        model_version_id=active_version("task_lifecycle").id, process_id="task_lifecycle", state=b"",
        status="completed", created_at=clock.now(), updated_at=clock.now(),
    )  # fmt: skip
    db.session.add(instance)
    if db.session.get(AppSetting, "rules.profile") is None:
        db.session.add(AppSetting(key="rules.profile", value="quynh-nhai-2015"))
    db.session.commit()
    span = (last - first).days
    calendar = current_calendar()
    task_id = db.session.scalar(select(func.max(Task.id))) or 0
    directive_id = db.session.scalar(select(func.max(Directive.id))) or 0
    tasks += task_id
    while task_id < tasks:
        directives, rows, items = [], [], []
        for _ in range(CHUNK // 5):
            directive_id += 1
            issued = first + timedelta(days=rng.randint(0, span))
            directives.append({
                "id": directive_id, "doc_type": "quyet_dinh", "number": str(directive_id),
                "symbol": "QĐ-UBND",
                "summary": f"Văn bản thử tải {directive_id}", "issued_on": issued, "signer": "Thử tải",
                "confidentiality": "confidential" if rng.random() < 0.02 else "normal", "is_urgent": False,
                "origin_level": "department" if rng.random() < 0.2 else "province", "status": "tracking",
                "office_unit_id": office, "created_at": datetime.combine(issued, datetime.min.time(), UTC),
            })  # fmt: skip
            for _ in range(5):
                if task_id >= tasks:
                    break
                task_id += 1
                row = _task_row(rng, task_id, directive_id, issued, rng.choice(units), today)
                if row["due_on"] is not None and row["status"] not in ("not_received", "cancelled"):
                    # R7: set by task_lifecycle once the task is accepted (deadline + 3 working days)
                    row["result_due_on"] = calendar.add_working_days(row["due_on"], 3)
                rows.append(row)
                if row["status"] == "completed":
                    at = row["status_changed_at"] + timedelta(days=rng.choice([0, 0, 0, 2, 6]))
                    row["quality"], row["evaluated_at"] = rng.choice(QUALITY), at  # R9, `evaluate_task`
                    items.append({
                        "instance_id": instance.id, "spiff_task_id": str(task_id), "task_spec": "Task_work",
                        "title": "Báo cáo kết quả thực hiện", "candidate_role": "focal_officer",
                        "candidate_unit_id": row["lead_unit_id"], "form": "execute_task.json",
                        "state": "completed",
                        "task_id": task_id, "created_at": at, "completed_at": at,
                    })  # fmt: skip
        for table, values in ((Directive, directives), (Task, rows), (WorkItem, items)):
            if values:
                bulk_insert(table, values)
        db.session.commit()
    if db.engine.dialect.name == "postgresql":
        for table in ("directive", "task"):  # explicit ids above: move the sequences past them
            db.session.execute(
                db.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}")
            )
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    return time.perf_counter() - started


def timed(run: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    times, result = [], None
    for _ in range(repeat):
        db.session.expire_all()
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
        db.session.rollback()
    return min(times) * 1000, statistics.median(times) * 1000, result


PAINT_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  return {ttfb: nav.responseStart, fcp: fcp ? fcp.startTime : null, load: nav.loadEventEnd};
}"""


def first_paint(app: Any, url: str, username: str) -> dict[str, float] | None:
    """Server response, first contentful paint and load of the dashboard in chromium (ms)."""
    from playwright.sync_api import sync_playwright

    from app.services.seed import demo_password

    port = 5099
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "run", "--port", str(port)],
        env={
            **os.environ,
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "DONDOC_ALLOW_CLOCK_OVERRIDE": "1",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(4)
        with sync_playwright() as p:
            browser = chromium.launch(p)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(f"http://127.0.0.1:{port}/login")
            page.fill("#username", username)
            page.fill("#password", demo_password())
            page.click("button[type=submit]")
            runs = []
            for _ in range(3):
                page.goto(f"http://127.0.0.1:{port}{url}", wait_until="load")
                page.wait_for_timeout(300)  # paint entries are recorded just after the frame
                runs.append(page.evaluate(PAINT_JS))
            browser.close()
            measured = [r for r in runs if r["fcp"] is not None]
            return min(measured, key=lambda r: r["fcp"]) if measured else None
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--reuse", action="store_true", help="the database already holds the register")
    parser.add_argument("--browser", action="store_true", help="also measure the dashboard's first paint")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='bench-reports-')}/bench.sqlite3"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "DONDOC_ALLOW_CLOCK_OVERRIDE": True, "SECRET_KEY": "bench"}
    )
    with app.app_context():
        from flask_migrate import upgrade

        build_seconds = 0.0
        if not args.reuse:
            upgrade()
            deploy_directory()
            db.session.commit()
            build_seconds = build_register(args.tasks, args.seed)
        clock.freeze(datetime(2026, 11, 20, 9, 0, tzinfo=clock.VIETNAM))
        db.session.commit()
        total = db.session.scalar(select(func.count(Task.id)))
        province = db.session.scalar(select(Unit).where(Unit.code == "tinh"))
        scope = build_scope(province)
        department = build_scope(
            province, only_unit=db.session.scalar(select(Unit).where(Unit.code == "stc"))
        )
        quarter = (date(2026, 7, 1), date(2026, 9, 21))
        year = (date(2026, 1, 1), date(2026, 11, 20))
        as_of = date(2026, 11, 20)
        cases: list[tuple[str, Callable[[], Any], Callable[[Any], str]]] = [
            ("quarterly report, figures per unit (Q3 2026)",
             lambda: compute(scope, *quarter, with_lists=False), lambda r: f"{r.total.received} tasks"),
            ("quarterly report with overdue and obstacle lists", lambda: compute(scope, *quarter),
             lambda r: f"{r.total.received} tasks, {len(r.overdue)} overdue listed"),
            ("summary over the year (API /reports/summary)",
             lambda: compute(scope, *year, with_lists=False), lambda r: f"{r.total.received} tasks"),
            ("dashboard data: 4 charts over the year",
             lambda: dashboard.dashboard_data(scope, *year, Filters()),
             lambda r: f"{len(r[1]['trend']['months'])} months"),
            ("Appendix 01, rows only (tasks overdue in the province)",
             lambda: appendix01.build(scope, as_of), lambda a: f"{a.total:,} rows"),
            ("Appendix 01, one department's week (Excel)",
             lambda: documents.appendix_xlsx(department, as_of), lambda f: f"{len(f.content) // 1024} KiB"),
            ("period report, Excel", lambda: documents.range_xlsx(scope, *quarter, Filters()),
             lambda f: f"{len(f.content) // 1024} KiB"),
        ]  # fmt: skip
        print(f"Reports benchmark: {total:,} tasks on {db.engine.dialect.name}, best of {args.repeat}; "
              f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores; "
              f"register built in {build_seconds:.0f} s\n")  # fmt: skip
        print("| operation | result | best (ms) | median (ms) |")
        print("|---|---|---:|---:|")
        for name, run, describe in cases:
            best, median, result = timed(run, args.repeat)
            print(f"| {name} | {describe(result)} | {best:,.0f} | {median:,.0f} |", flush=True)
        client = app.test_client()
        with client.session_transaction() as session:
            from app.models import User

            user = db.session.scalar(select(User).where(User.username == "vp.chanh"))
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        page = lambda: client.get("/reports/dashboard?from=01/01/2026&to=20/11/2026")  # noqa: E731
        best, median, response = timed(page, args.repeat)
        print(f"| dashboard page, server time (HTML with chart data) | HTTP {response.status_code}, "
              f"{len(response.data) // 1024} KiB | {best:,.0f} | {median:,.0f} |")  # fmt: skip
    if args.browser:
        paint = first_paint(app, "/reports/dashboard?from=01/01/2026&to=20/11/2026", "vp.chanh")
        if paint is None:
            print("| dashboard first contentful paint in chromium | not recorded | | |")
        else:
            print(f"| dashboard in chromium: first byte / first contentful paint / charts drawn (load) | | "
                  f"{paint['ttfb']:,.0f} / {paint['fcp']:,.0f} / {paint['load']:,.0f} | |")  # fmt: skip


if __name__ == "__main__":
    main()

"""Benchmark of the staff inbox at 100,000 tasks (not a test): prints a markdown table.

    python scripts/bench_inbox.py [--tasks 100000] [--runs 60] [--db /tmp/bench_inbox.sqlite3] [--explain]

Builds a fresh SQLite database with the real migrations and models, then generates rows in bulk
(not through the engine one by one): 60 agencies, `--tasks` tasks, for each task one open work
item and two completed ones (so `work_item` holds three times as many rows), skewed so that one
agency owns 20% of everything. It then times the first inbox page as the server produces it: the
whole `GET /inbox` request (query, four tab counts, template) through the WSGI app, p50/p95 over
`--runs`, for the heaviest user and a few filters. `--explain` prints SQLite's query plans.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from app import clock, create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (  # noqa: E402
    Directive,
    ProcessInstance,
    ProcessModelVersion,
    Task,
    Unit,
    User,
    UserRole,
    WorkItem,
)
from app.services import inbox  # noqa: E402
from app.services.models_deploy import deploy_directory  # noqa: E402
from app.services.seed import seed_organisation  # noqa: E402
from app.text import fold  # noqa: E402

AGENCIES = 60
PASSWORD = "Bench@2026"
WORDS = [
    "đôn đốc",
    "giải ngân",
    "vốn đầu tư công",
    "chuyển đổi số",
    "cải cách hành chính",
    "báo cáo",
    "thu ngân sách",
    "quy hoạch",
    "xây dựng",
    "kiểm tra",
    "hồ sơ thanh toán",
    "đất đai",
]
TODAY = date(2026, 3, 16)


def build(tasks: int, seed: int = 7) -> dict[str, int]:
    random.seed(seed)
    upgrade()
    deploy_directory()
    seed_organisation()
    db.session.commit()
    tinh = db.session.scalars(select(Unit).where(Unit.code == "tinh")).one()
    office = db.session.scalars(select(Unit).where(Unit.code == "vp")).one()
    fast = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    units = []
    now = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
    for i in range(AGENCIES):
        unit = Unit(code=f"bench-{i}", name=f"Cơ quan {i}", kind="department", parent=tinh, path="/")
        db.session.add(unit)
        db.session.flush()
        unit.path = f"{tinh.path}{unit.id}/"
        focal = User(username=f"bench.{i}", full_name=f"Đầu mối {i}", password_hash=fast, created_at=now)
        db.session.add(focal)
        db.session.flush()
        db.session.add(UserRole(user_id=focal.id, unit_id=unit.id, role="focal_officer"))
        units.append((unit.id, focal.id))
    office_user = db.session.scalars(select(User).where(User.username == "vp.chuyenvien")).one()
    office_user.password_hash = fast
    version = db.session.scalars(
        select(ProcessModelVersion).where(ProcessModelVersion.process_id == "task_lifecycle")
    ).first()
    db.session.commit()

    weights = [20.0] + [80.0 / (AGENCIES - 1)] * (AGENCIES - 1)
    per_directive = 10
    directive_rows, task_rows, instance_rows, item_rows = [], [], [], []
    next_directive = (db.session.scalar(select(db.func.max(Directive.id))) or 0) + 1
    next_task = (db.session.scalar(select(db.func.max(Task.id))) or 0) + 1
    next_instance = (db.session.scalar(select(db.func.max(ProcessInstance.id))) or 0) + 1
    for d in range(tasks // per_directive):
        directive_id = next_directive + d
        summary = f"Văn bản về {random.choice(WORDS)} số {d}"
        directive_rows.append(
            dict(
                id=directive_id,
                doc_type="cong_van",
                number=str(d),
                symbol="UBND-VP",
                summary=summary,
                issued_on=TODAY - timedelta(days=random.randint(0, 90)),
                signer="Lê Văn Cường",
                confidentiality="normal",
                is_urgent=False,
                status="tracking",
                office_unit_id=office.id,
                created_at=now,
                search_text=fold(f"{d}/UBND-VP {summary}"),
            )
        )
        for k in range(per_directive):
            task_id = next_task + d * per_directive + k
            instance_id = next_instance + d * per_directive + k
            unit_id, focal_id = random.choices(units, weights)[0]
            content = f"Thực hiện {random.choice(WORDS)} và {random.choice(WORDS)} ({task_id})"
            due = TODAY + timedelta(days=random.randint(-30, 60))
            task_rows.append(
                dict(
                    id=task_id,
                    directive_id=directive_id,
                    seq=k + 1,
                    content=content,
                    lead_unit_id=unit_id,
                    field=random.choice(["Tài chính", "Đầu tư", "Xây dựng", None]),
                    due_on=due,
                    status="in_progress",
                    status_changed_at=now,
                    created_at=now,
                )
            )
            instance_rows.append(
                dict(
                    id=instance_id,
                    model_version_id=version.id,
                    process_id="task_lifecycle",
                    state=b"z1",
                    version=1,
                    status="running",
                    directive_id=directive_id,
                    task_id=task_id,
                    created_at=now,
                    updated_at=now,
                )
            )
            text_ = fold(f"{content} {d}/UBND-VP {summary}")
            base = dict(
                instance_id=instance_id,
                lane="Cơ quan chủ trì",
                candidate_role="focal_officer",
                candidate_unit_id=unit_id,
                form="report_result.json",
                directive_id=directive_id,
                task_id=task_id,
                created_at=now,
                search_text=text_,
                due_sort=due,
            )
            for n, title in enumerate(("Tiếp nhận nhiệm vụ", "Báo cáo kết quả thực hiện")):
                item_rows.append(
                    dict(
                        base,
                        spiff_task_id=f"{instance_id}-{n}",
                        task_spec=f"T{n}",
                        title=title,
                        state="completed",
                        due_on=due,
                        assignee_id=focal_id,
                        completed_at=now,
                    )
                )
            office_step = random.random() < 0.1
            item_rows.append(
                dict(
                    base,
                    spiff_task_id=f"{instance_id}-open",
                    task_spec="Task_open",
                    title="Xác nhận hoàn thành" if office_step else "Báo cáo kết quả thực hiện",
                    candidate_role="office_officer" if office_step else "focal_officer",
                    candidate_unit_id=office.id if office_step else unit_id,
                    state="open",
                    due_on=due,
                    assignee_id=focal_id if (not office_step and random.random() < 0.3) else None,
                )
            )
    for table, rows in (
        (Directive, directive_rows),
        (Task, task_rows),
        (ProcessInstance, instance_rows),
        (WorkItem, item_rows),
    ):
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(table), rows[start : start + 5000])
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return {"tasks": len(task_rows), "work_items": len(item_rows), "heavy_unit": units[0][0]}


def login(client, username: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    done = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert done.status_code == 302, done.status_code


def timed(client, url: str, runs: int) -> tuple[float, float, float, int]:
    """Wall-clock p50/p95 of the whole request, and the CPU time p50 the server thread spent
    (the CPU figure stays meaningful when other processes compete for the 2 cores)."""
    client.get(url)  # warm caches (templates, statements)
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.thread_time()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        assert response.status_code == 200
    wall.sort()
    return (
        statistics.median(wall),
        wall[int(len(wall) * 0.95) - 1],
        statistics.median(cpu),
        len(response.data),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--db", default="/tmp/bench_inbox.sqlite3")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep an existing --db built by a previous run")
    args = parser.parse_args()
    reuse = args.reuse and Path(args.db).exists()
    if not reuse:
        Path(args.db).unlink(missing_ok=True)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{args.db}",
            "DONDOC_ALLOW_CLOCK_OVERRIDE": True,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": True,
        }
    )
    with app.app_context():
        started = time.perf_counter()
        if reuse:
            upgrade()
            built = {
                "tasks": db.session.scalar(select(db.func.count(Task.id))),
                "work_items": db.session.scalar(select(db.func.count(WorkItem.id))),
                "heavy_unit": db.session.scalar(select(Unit.id).where(Unit.code == "bench-0")),
            }
        else:
            built = build(args.tasks)
        clock.freeze(datetime(2026, 3, 16, 9, 0))
        db.session.commit()
        build_s = time.perf_counter() - started
        heavy = db.session.scalars(select(User).where(User.username == "bench.0")).one()
        open_heavy = db.session.scalar(
            select(db.func.count(WorkItem.id)).where(
                WorkItem.state == "open", WorkItem.candidate_unit_id == built["heavy_unit"]
            )
        )
        if args.explain:
            explain(heavy)
    cases = [
        ("bench.0", "/inbox", f"focal officer of the largest agency ({open_heavy} open items), tab Tất cả"),
        ("bench.0", "/inbox?tab=mine", "same user, Việc của tôi"),
        ("bench.0", "/inbox?tab=unit", "same user, Việc của đơn vị"),
        ("bench.0", "/inbox?tab=due_soon", "same user, Sắp đến hạn"),
        ("bench.0", "/inbox?tab=overdue", "same user, Quá hạn"),
        ("bench.0", "/inbox?q=don+doc", "same user, search «don doc»"),
        ("bench.0", "/inbox?field=T%C3%A0i+ch%C3%ADnh&sort=newest", "same user, field filter, newest first"),
        ("bench.0", "/inbox?page=20", "same user, page 20"),
        ("bench.7", "/inbox", "focal officer of a typical agency"),
        ("vp.chuyenvien", "/inbox", "Office officer (Office confirmation steps)"),
    ]
    rows = []
    for username, url, label in cases:
        client = app.test_client()
        with app.app_context():
            login(client, username)
        p50, p95, cpu, size = timed(client, url, args.runs)
        rows.append((label, url, p50, p95, cpu, size))
    print(
        f"## Inbox, first page, server time ({platform.python_implementation()} {platform.python_version()},"
        f" SQLite {__import__('sqlite3').sqlite_version}, {os.cpu_count()} cores)\n"
    )
    load = os.getloadavg()[0]
    print(
        f"{built['tasks']:,} tasks, {built['work_items']:,} work_item rows; "
        f"{'reused' if reuse else 'built'} in {build_s:.1f} s; {args.runs} requests per row "
        f"(whole GET /inbox: query, four tab counts, template); load average {load:.1f}\n"
    )
    print("| case | URL | p50 ms | p95 ms | CPU p50 ms | page KB |")
    print("|---|---|---:|---:|---:|---:|")
    for label, url, p50, p95, cpu, size in rows:
        print(f"| {label} | `{url}` | {p50:.1f} | {p95:.1f} | {cpu:.1f} | {size / 1024:.0f} |")


def explain(user: User) -> None:
    """Print SQLite's plan for each stream of the first page and for one tab count."""
    from sqlalchemy import func

    today = clock.today()
    for condition in inbox._conditions(user, inbox.InboxFilter(), today, inbox.window_end(today)):
        query = (
            select(WorkItem.due_sort, WorkItem.id).where(condition).order_by(WorkItem.due_sort, WorkItem.id)
        )
        for label, statement in (("page", query.limit(25)), ("count", select(func.count()).where(condition))):
            compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
            plan = [row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]
            print(f"EXPLAIN {label}: {' | '.join(plan)}")


if __name__ == "__main__":
    main()

"""DonDoc at national scale: generate 10,000 / 100,000 / 1,000,000 tasks on PostgreSQL and measure.

    scripts/pg_test_server.sh start            # or any PostgreSQL you may create databases on
    .venv/bin/python scripts/bench.py --tasks 100000
    .venv/bin/python scripts/bench.py --tasks 1000000 --reuse   # measure again without regenerating
    .venv/bin/python scripts/bench.py --tasks 10000 --sqlite /tmp/dondoc-bench-10000.sqlite3

With `--sqlite FILE` the same data and measurements run on SQLite (a district's deployment): rows
are inserted with executemany instead of COPY, the database's CPU is inside the processes that
use it (gunicorn's figure includes it), sizes come from SQLite's `dbstat` and plans from
`EXPLAIN QUERY PLAN`.

Measures, and prints as a markdown table (the machine described above it):
- the engine floor: SpiffWorkflow alone loading, completing a user task and saving one instance;
- completing work items end to end through HTTP: gunicorn on 127.0.0.1, bounded concurrency and
  request count; p50/p95 latency, completions per second, ratio to the engine floor;
- the inbox's first page (50 rows and the two counts) and a filtered task search, p50/p95;
- the timer sweep with 1,000 due among all the waiting timers;
- the quarterly report (R4 categories per lead unit of one province, and per province nationally);
- bytes stored per task: state, projections, audit.
Data: see scripts/bench_data.py. Results also go to test-artifacts/bench-<tasks>.json, EXPLAIN
plans to test-artifacts/bench-explain-<tasks>.txt, the profile to test-artifacts/bench-profile-<tasks>.txt.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import http.client
import io
import json
import os
import platform
import pstats
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench_data  # noqa: E402
from sqlalchemy import Select, case, create_engine, func, literal, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from app import clock, create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Directive, ProcessModelVersion, Task, User, WorkItem  # noqa: E402
from app.services import work_items  # noqa: E402
from app.services.authz import task_filter  # noqa: E402
from app.services.inbox import nav_counts  # noqa: E402
from app.services.tokens import issue_token  # noqa: E402
from app.workflow import runtime  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts"
DEFAULT_SERVER = "postgresql+psycopg://dondoc:dondoc@127.0.0.1:55432/dondoc"
FLUSH_ROWS = 20_000


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def cpu_timed(fn: Callable[[], Any]) -> float:
    """CPU time of this process: what the step costs, whatever else competes for the cores."""
    start = time.process_time()
    fn()
    return (time.process_time() - start) * 1000


# --- set-up ---------------------------------------------------------------------------------------


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def bench_app(url: str) -> Any:
    return create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "DONDOC_ALLOW_CLOCK_OVERRIDE": True}
    )


def recreate_database(url: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def machine() -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    described = {
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "memory": f"{memory:.0f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
    }
    if is_sqlite(str(db.engine.url)):
        return described | {"database": f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=NORMAL)"}
    server = db.session.scalar(text("SHOW server_version"))
    settings = {
        name: db.session.scalar(text(f"SHOW {name}"))
        for name in ("shared_buffers", "work_mem", "fsync", "synchronous_commit")
    }
    return described | {"postgresql": f"{server} ({', '.join(f'{k}={v}' for k, v in settings.items())})"}


def generate(url: str, tasks: int, pending_due: int) -> dict[str, Any]:
    if is_sqlite(url):
        for suffix in ("", "-wal", "-shm"):
            Path(make_url(url).database + suffix).unlink(missing_ok=True)  # type: ignore[operator]
    else:
        recreate_database(url)
    app = bench_app(url)
    with app.app_context():
        from flask_migrate import upgrade

        from app.services.models_deploy import deploy_directory
        from app.services.rules import active_profile

        upgrade()
        deploy_directory()
        db.session.commit()
        versions = {v.process_id: v for v in db.session.scalars(select(ProcessModelVersion))}
        clock.freeze(bench_data.TEMPLATE_TODAY)
        db.session.commit()
        profile = active_profile()
        lifecycle = bench_data.make_lifecycle_templates(
            f"{versions['task_lifecycle'].id}:{versions['task_lifecycle'].sha256}",
            versions["task_lifecycle"].spec,
            profile,
        )
        intake = bench_data.make_intake_templates(
            f"{versions['directive_intake'].id}:{versions['directive_intake'].sha256}",
            versions["directive_intake"].spec,
            max_tasks=7,
            profile=profile,
        )
        provinces = max(1, min(63, round(tasks / bench_data.TASKS_PER_PROVINCE)))
        org = bench_data.make_org(provinces, generate_password_hash("bench"), 0, 0)
        generator = bench_data.Generator(
            org, lifecycle, intake, {k: v.id for k, v in versions.items()}, tasks, pending_due, profile
        )
        continue_after_existing_rows(generator)
        started = time.perf_counter()
        raw = db.engine.raw_connection()
        try:
            load_org(raw, org)
            counts = load_batches(raw, generator)
            fix_sequences(raw)
            raw.commit()
        finally:
            raw.close()
        generated_s = time.perf_counter() - started
        clock.freeze(bench_data.BENCH_NOW)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    vacuum_started = time.perf_counter()
    vacuum(url)
    return {
        "generate_s": round(generated_s, 1),
        "vacuum_analyze_s": round(time.perf_counter() - vacuum_started, 1),
        "rows": counts,
        "provinces": provinces,
    }


def continue_after_existing_rows(generator: bench_data.Generator) -> None:
    """Deployment already wrote audit events (and maybe more): ids and the hash chain go on from there."""
    for field, table in (
        ("directive", "directive"),
        ("task", "task"),
        ("instance", "process_instance"),
        ("work_item", "work_item"),
        ("timer", "timer"),
        ("audit", "audit_event"),
    ):
        setattr(
            generator.ids, field, int(db.session.scalar(text(f"SELECT coalesce(max(id), 0) FROM {table}")))
        )
    generator.prev_hash = db.session.scalar(text("SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1"))


def copy_rows(raw: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
    columns = (
        bench_data.COLUMNS.get(table)
        or {
            "unit": ["id", "code", "name", "kind", "parent_id", "path"],
            "app_user": ["id", "username", "full_name", "password_hash"],
            "user_role": ["id", "user_id", "unit_id", "role"],
        }[table]
    )
    extra = {"unit": ["is_active"], "app_user": ["is_active", "session_version", "created_at"]}.get(table, [])
    now = datetime.now(UTC)
    fill = {"unit": (True,), "app_user": (True, 1, now)}.get(table, ())
    if isinstance(raw.driver_connection, sqlite3.Connection):
        names = columns + extra
        raw.cursor().executemany(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            [tuple(_sqlite_value(v) for v in row + fill) for row in rows],
        )
        return
    with raw.cursor() as cur:
        with cur.copy(f"COPY {table} ({', '.join(columns + extra)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row + fill)


def _sqlite_value(value: Any) -> Any:
    """What SQLAlchemy's SQLite types store: naive UTC text for instants, ISO text for days."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def load_org(raw: Any, org: bench_data.Org) -> None:
    copy_rows(raw, "unit", org.units)
    copy_rows(raw, "app_user", org.users)
    copy_rows(raw, "user_role", org.roles)


TABLE_ORDER = [
    "directive",
    "task",
    "task_coordinator",
    "process_instance",
    "work_item",
    "timer",
    "audit_event",
]


def load_batches(raw: Any, generator: bench_data.Generator) -> dict[str, int]:
    pending: dict[str, list[tuple[Any, ...]]] = {t: [] for t in TABLE_ORDER}
    counts = dict.fromkeys(TABLE_ORDER, 0)
    last_report = time.perf_counter()

    def flush() -> None:
        for table in TABLE_ORDER:
            if pending[table]:
                copy_rows(raw, table, pending[table])
                counts[table] += len(pending[table])
                pending[table] = []

    for batch in generator.batches():
        for table, rows in batch.rows.items():
            pending[table].extend(rows)
        if len(pending["audit_event"]) >= FLUSH_ROWS:
            flush()
            if time.perf_counter() - last_report > 30:
                log(f"generated {generator.ids.task:,} tasks, {generator.ids.instance:,} instances")
                last_report = time.perf_counter()
    flush()
    return counts


def fix_sequences(raw: Any) -> None:
    if isinstance(raw.driver_connection, sqlite3.Connection):
        return  # SQLite gives max(id) + 1
    with raw.cursor() as cur:
        for table in ["unit", "app_user", "user_role", *TABLE_ORDER]:
            if table == "task_coordinator":
                continue
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )


def vacuum(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with engine.connect() as conn:
        if is_sqlite(url):
            conn.execute(text("VACUUM"))
            conn.execute(text("ANALYZE"))
        else:
            conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()


# --- CPU accounting: what a step costs, whatever else competes for the cores -------------------------

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()  # fields after the command name


def process_tree_cpu(root: int) -> float:
    """CPU seconds (user + system) of `root` and its direct children, e.g. gunicorn or postgres."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat(int(entry.name))
        if fields and (int(entry.name) == root or int(fields[1]) == root):
            total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def backends_cpu() -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend connected to this database (not to other databases
    of the same server, e.g. another benchmark loading its data). SQLite has no server: none."""
    if is_sqlite(str(db.engine.url)):
        return {}
    pids = db.session.scalars(
        text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
    ).all()
    db.session.commit()
    cpu: dict[int, float] = {}
    for pid in pids:
        fields = _stat(int(pid))
        if fields is not None:
            cpu[int(pid)] = (int(fields[11]) + int(fields[12])) / TICKS
    return cpu


def backends_cpu_since(before: dict[int, float]) -> float:
    after = backends_cpu()
    return sum(value - before.get(pid, 0.0) for pid, value in after.items())


# --- measurements -----------------------------------------------------------------------------------


def engine_floor(repeats: int = 300) -> dict[str, float]:
    """SpiffWorkflow alone, in memory: load a stored state, complete the user task, serialize."""
    row = db.session.execute(
        select(WorkItem.spiff_task_id, WorkItem.instance_id)
        .where(WorkItem.state == "open", WorkItem.task_spec == "Task_accept")
        .limit(1)
    ).one()
    from app.models import ProcessInstance

    instance = db.session.get(ProcessInstance, row.instance_id)
    assert instance is not None
    version = instance.model_version
    key, spec, state = f"{version.id}:{version.sha256}", version.spec, instance.state
    now = bench_data.BENCH_NOW.astimezone(UTC)
    runtime.complete(key, spec, state, row.spiff_task_id, {"decision": "accept"}, now)  # warm the spec cache
    loads = [timed(lambda: runtime.load(key, spec, state)) for _ in range(repeats)]
    steps = [
        timed(lambda: runtime.complete(key, spec, state, row.spiff_task_id, {"decision": "accept"}, now))
        for _ in range(repeats)
    ]
    workflow = runtime.load(key, spec, state)
    saves = [timed(lambda: runtime.encode_state(workflow)) for _ in range(repeats)]
    cpu = [
        cpu_timed(lambda: runtime.complete(key, spec, state, row.spiff_task_id, {"decision": "accept"}, now))
        for _ in range(repeats)
    ]
    return {
        "floor_cpu_p50_ms": statistics.median(cpu),
        "load_p50_ms": statistics.median(loads),
        "save_p50_ms": statistics.median(saves),
        "floor_p50_ms": statistics.median(steps),
        "floor_p95_ms": percentile(steps, 95),
        "state_bytes": len(state),
    }


# What an agency's focal officer submits at each of its steps.
ANSWERS = {
    "Task_accept": {"decision": "accept"},
    "Task_work": {
        "action": "complete",
        "result_summary": "Đã hoàn thành, gửi kèm báo cáo.",
        "completed_on": "2026-06-15",
        "result_document": "15/BC-SBENCH",
    },
}


def pick_items(count: int, seed: int = 7) -> list[tuple[int, int, str]]:
    """Open, unclaimed agency steps (accept a task, report its result), in random order."""
    rows = db.session.execute(
        select(WorkItem.id, WorkItem.candidate_unit_id, WorkItem.task_spec).where(
            WorkItem.state == "open", WorkItem.task_spec.in_(list(ANSWERS)), WorkItem.assignee_id.is_(None)
        )
    ).all()
    rows = list(rows)
    random.Random(seed).shuffle(rows)
    return [(r.id, r.candidate_unit_id, r.task_spec) for r in rows[:count]]


def focal_tokens(units: set[int]) -> dict[int, str]:
    from app.models import UserRole

    users = db.session.execute(
        select(UserRole.unit_id, User)
        .join(User, User.id == UserRole.user_id)
        .where(UserRole.unit_id.in_(units), UserRole.role == "focal_officer")
    ).all()
    tokens = {unit: issue_token(user) for unit, user in users}
    db.session.commit()
    return tokens


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_gunicorn(url: str, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        SECRET_KEY="bench",
        DONDOC_ALLOW_CLOCK_OVERRIDE="1",
        DONDOC_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(workers),
        GUNICORN_ACCESS_LOG="",
        GUNICORN_MAX_REQUESTS="0",
    )
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "--config", str(ROOT / "docker" / "gunicorn.conf.py"), "app:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if request("GET", port, "/readyz")[0] == 200:
                return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def request(
    method: str, port: int, path: str, body: Any = None, token: str | None = None
) -> tuple[int, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    start = time.perf_counter()
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    response.read()
    elapsed = (time.perf_counter() - start) * 1000
    conn.close()
    return response.status, elapsed


def http_completions(url: str, count: int, workers: int, concurrency: int) -> dict[str, Any]:
    warmup = workers * 10
    items = pick_items(count + warmup)
    tokens = focal_tokens({unit for _, unit, _ in items})
    db.session.remove()
    process, port = start_gunicorn(url, workers)

    def complete(item: tuple[int, int, str]) -> tuple[int, float]:
        body = {"data": ANSWERS[item[2]]}
        return request("POST", port, f"/api/v1/work-items/{item[0]}/complete", body, tokens[item[1]])

    try:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            list(pool.map(complete, items[:warmup]))
            web_before, db_before = process_tree_cpu(process.pid), backends_cpu()
            started = time.perf_counter()
            results = list(pool.map(complete, items[warmup:]))
            wall = time.perf_counter() - started
            web_cpu, db_cpu = process_tree_cpu(process.pid) - web_before, backends_cpu_since(db_before)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    latencies = [ms for status, ms in results if status == 200]
    web_cpu_ms = web_cpu * 1000 / len(results)
    db_cpu_ms = db_cpu * 1000 / len(results)
    return {
        "web_cpu_ms": web_cpu_ms,
        "db_cpu_ms": db_cpu_ms,
        # Two dedicated cores spend 2,000 CPU ms per second: the throughput they could sustain.
        "capacity_per_second": 2000 / (web_cpu_ms + db_cpu_ms),
        "requests": len(results),
        "ok": len(latencies),
        "errors": len(results) - len(latencies),
        "p50_ms": statistics.median(latencies),
        "p95_ms": percentile(latencies, 95),
        "per_second": len(latencies) / wall,
        "workers": workers,
        "concurrency": concurrency,
    }


def sample_users(role: str, count: int, seed: int = 3) -> list[int]:
    from app.models import UserRole

    ids = list(
        db.session.scalars(select(UserRole.user_id).where(UserRole.role == role).order_by(UserRole.id))
    )
    random.Random(seed).shuffle(ids)
    return ids[:count]


def measure_users(user_ids: list[int], query: Callable[[User], Any], repeats: int = 5) -> list[float]:
    times: list[float] = []
    for user_id in user_ids:
        user = db.session.get(User, user_id)
        assert user is not None
        query(user)  # loads the user's roles and units once, as the request's login does
        times.extend(timed(functools.partial(query, user)) for _ in range(repeats))
        db.session.expunge_all()
    return times


def inbox_page(user: User) -> None:
    db.session.scalars(work_items.inbox_query(user, "all").limit(50)).all()
    nav_counts(user)


def search_query(user: User) -> Select[Any]:
    """Open tasks due within a month either side of today that the user may see, first page."""
    today = clock.today()
    return (
        select(Task)
        .where(
            task_filter(user),
            Task.status.in_(["not_received", "in_progress", "in_progress_with_obstacles"]),
            Task.due_on.between(
                date.fromordinal(today.toordinal() - 30), date.fromordinal(today.toordinal() + 30)
            ),
        )
        .order_by(Task.due_on, Task.id)
        .limit(50)
    )


def filtered_search(user: User) -> None:
    db.session.scalars(search_query(user)).all()


def category() -> Any:
    today = clock.today()
    return case(
        (
            (Task.status == "completed") & (Task.due_on.is_(None) | (Task.completed_on <= Task.due_on)),
            literal("completed_on_time"),
        ),
        (Task.status == "completed", literal("completed_late")),
        ((Task.due_on.is_not(None)) & (Task.due_on < today), literal("overdue")),
        else_=literal("in_progress_on_time"),
    )


QUARTER = (date(2026, 4, 1), date(2026, 6, 30))


def report_query(office_unit_id: int | None) -> Select[Any]:
    """R4 categories of the quarter: tasks completed in it or still open, counted per lead unit."""
    start, end = QUARTER
    group = Task.lead_unit_id if office_unit_id is not None else Directive.office_unit_id
    query = (
        select(group, category().label("category"), func.count())
        .join(Directive, Directive.id == Task.directive_id)
        .where(
            Task.status != "cancelled",
            Directive.issued_on <= end,
            Task.completed_on.is_(None) | Task.completed_on.between(start, end),
        )
        .group_by(group, "category")
    )
    if office_unit_id is not None:
        query = query.where(Directive.office_unit_id == office_unit_id)
    return query


def quarterly_report(repeats: int = 5) -> dict[str, float]:
    office = db.session.scalar(select(Directive.office_unit_id).limit(1))
    province = [timed(lambda: db.session.execute(report_query(office)).all()) for _ in range(repeats)]
    national = [timed(lambda: db.session.execute(report_query(None)).all()) for _ in range(repeats)]
    return {"province_p50_ms": statistics.median(province), "national_p50_ms": statistics.median(national)}


def _sweeper(url: str, ready: Any, go: Any, results: Any) -> None:
    """One sweeper process: its own app and connections, started together with the others."""
    from app.services import timers

    app = bench_app(url)
    with app.app_context():
        db.session.execute(text("SELECT 1"))
        db.session.commit()
        ready.release()
        go.wait()
        cpu = time.process_time()
        result = timers.run_due(bench_data.BENCH_NOW.astimezone(UTC))
        results.put((result.fired, result.skipped, len(result.failed), time.process_time() - cpu))
        db.session.remove()


def timer_sweep(url: str, sweepers: int) -> dict[str, Any]:
    """The due timers fired by `sweepers` processes at once (SKIP LOCKED shares the work out)."""
    import multiprocessing

    from app.models import Timer

    waiting = db.session.scalar(select(func.count()).select_from(Timer).where(Timer.state == "waiting"))
    now = bench_data.BENCH_NOW.astimezone(UTC)
    due = db.session.scalar(
        select(func.count()).select_from(Timer).where(Timer.state == "waiting", Timer.due_at <= now)
    )
    db.session.commit()
    context = multiprocessing.get_context("spawn")
    ready, go, queue = context.Semaphore(0), context.Event(), context.Queue()
    processes = [context.Process(target=_sweeper, args=(url, ready, go, queue)) for _ in range(sweepers)]
    for process in processes:
        process.start()
    for _ in processes:
        ready.acquire()
    db_before, started = backends_cpu(), time.perf_counter()
    go.set()
    outcomes = [queue.get(timeout=3600) for _ in processes]
    seconds = time.perf_counter() - started
    for process in processes:
        process.join(timeout=60)
    return {
        "sweepers": sweepers,
        "cpu_seconds": sum(o[3] for o in outcomes) + backends_cpu_since(db_before),
        "waiting": waiting,
        "due": due,
        "fired": sum(o[0] for o in outcomes),
        "failed": sum(o[2] for o in outcomes),
        "seconds": seconds,
    }


def storage(tasks: int) -> dict[str, float]:
    sqlite = is_sqlite(str(db.engine.url))

    def size(*tables: str) -> int:
        if sqlite:  # the table and its indexes, pages as stored
            query = "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN "
            query += "(SELECT name FROM sqlite_master WHERE tbl_name = '{t}')"
        else:
            query = "SELECT pg_total_relation_size('{t}')"
        return sum(int(db.session.scalar(text(query.format(t=t)))) for t in tables)

    state = size("process_instance")
    projections = size("work_item", "timer", "task", "directive", "task_coordinator")
    audit = size("audit_event")
    return {
        "state_bytes": state / tasks,
        "projection_bytes": projections / tasks,
        "audit_bytes": audit / tasks,
        "total_bytes": (state + projections + audit) / tasks,
    }


def explain_plans(path: Path, focal: int, officer: int) -> None:
    out = io.StringIO()
    dialect = db.session.get_bind().dialect
    explain = "EXPLAIN QUERY PLAN" if dialect.name == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS)"

    def plan_of(sql: str) -> list[str]:
        rows = db.session.execute(text(f"{explain} {sql}")).all()
        return [str(row[-1]) for row in rows]

    for label, user_id, build in (
        (
            "inbox first page, agency focal officer",
            focal,
            lambda u: work_items.inbox_query(u, "all").limit(50),
        ),
        ("inbox first page, Office officer", officer, lambda u: work_items.inbox_query(u, "all").limit(50)),
        ("filtered search, agency focal officer", focal, search_query),
        ("filtered search, Office officer", officer, search_query),
    ):
        user = db.session.get(User, user_id)
        assert user is not None
        sql = str(build(user).compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        plan = plan_of(sql)
        out.write(f"## {label}\n{sql}\n\n" + "\n".join(plan) + "\n\n")
    office = db.session.scalar(select(Directive.office_unit_id).limit(1))
    for label, query in (
        ("quarterly report, one province", report_query(office)),
        ("national", report_query(None)),
    ):
        sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        plan = plan_of(sql)
        out.write(f"## {label}\n{sql}\n\n" + "\n".join(plan) + "\n\n")
    now = _sqlite_value(bench_data.BENCH_NOW) if explain.startswith("EXPLAIN QUERY") else bench_data.BENCH_NOW
    due_sql = (
        "SELECT instance_id FROM timer WHERE state = 'waiting' AND due_at <= "
        f"'{now.astimezone(UTC).isoformat() if isinstance(now, datetime) else now}' "
        "GROUP BY instance_id ORDER BY instance_id"
    )
    plan = plan_of(due_sql)
    out.write(f"## timer sweep: due instances\n{due_sql}\n\n" + "\n".join(plan) + "\n")
    path.write_text(out.getvalue())


def focal_user(unit: int) -> User:
    from app.models import UserRole

    found = db.session.scalars(
        select(User).join(UserRole).where(UserRole.unit_id == unit, UserRole.role == "focal_officer")
    ).first()
    assert found is not None
    return found


def inprocess_completions(count: int = 200) -> dict[str, float]:
    """The completion as the route runs it (service + commit), in this process: no HTTP, no gunicorn."""
    from sqlalchemy import event

    walls, cpus, statements = [], [], [0]

    def counted(*_args: Any) -> None:
        statements[0] += 1

    event.listen(db.engine, "before_cursor_execute", counted)
    for item_id, unit, spec in pick_items(count, seed=42):
        user, item = focal_user(unit), db.session.get(WorkItem, item_id)
        assert item is not None
        statements[0] = 0
        wall, cpu = time.perf_counter(), time.process_time()
        work_items.complete(user, item, ANSWERS[spec])
        db.session.commit()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    event.remove(db.engine, "before_cursor_execute", counted)
    return {
        "p50_ms": statistics.median(walls),
        "p95_ms": percentile(walls, 95),
        "cpu_p50_ms": statistics.median(cpus),
        "statements": statements[0],
    }


def profile_completions(path: Path, count: int = 200) -> list[str]:
    """cProfile over completions in this process (service + commit, as the route does)."""
    items = pick_items(count, seed=99)
    users: dict[int, User] = {}
    from app.models import UserRole

    for _, unit, _ in items:
        if unit not in users:
            focal = db.session.scalars(
                select(User).join(UserRole).where(UserRole.unit_id == unit, UserRole.role == "focal_officer")
            ).first()
            assert focal is not None
            users[unit] = focal
    profiler = cProfile.Profile(time.process_time)  # CPU time: waiting on the database is not counted
    for item_id, unit, spec in items:
        item = db.session.get(WorkItem, item_id)
        assert item is not None
        profiler.enable()
        work_items.complete(users[unit], item, ANSWERS[spec])
        db.session.commit()
        profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream).sort_stats("tottime")
    stats.print_stats(30)
    stats.sort_stats("cumulative").print_stats(40)
    path.write_text(stream.getvalue())
    return stream.getvalue().splitlines()[:45]


# --- report -------------------------------------------------------------------------------------------


GOALS = {
    "inbox_p95_ms": 50,
    "completion_p50_ms": 15,
    "completions_per_second": 300,
    "sweep_seconds": 2,
    "report_ms": 2000,
    "bytes_per_task": 20_000,
}


def table(tasks: int, r: dict[str, Any]) -> str:
    f, h, s = r["engine_floor"], r.get("http"), r["sweep"]
    sqlite = r["machine"].get("database", "").startswith("SQLite")
    ratio = f"{h['p50_ms'] / f['floor_p50_ms']:.1f}x" if h else "-"
    rows = [
        (
            "Engine floor: load + complete + save one instance (in memory)",
            f"p50 {f['floor_p50_ms']:.2f} ms, p95 {f['floor_p95_ms']:.2f} ms, "
            f"CPU p50 {f['floor_cpu_p50_ms']:.2f} ms "
            f"(load {f['load_p50_ms']:.2f}, save {f['save_p50_ms']:.2f})",
            "-",
        ),
    ]
    if h:
        rows.append(
            (
                f"Complete a work item over HTTP ({h['workers']} gunicorn workers, "
                f"{h['concurrency']} clients, {h['requests']} requests)",
                f"p50 {h['p50_ms']:.1f} ms, p95 {h['p95_ms']:.1f} ms, {h['per_second']:.0f}/s, "
                f"{h['errors']} errors; {ratio} the floor. CPU per completion: "
                + (
                    f"{h['web_cpu_ms']:.1f} ms gunicorn (SQLite runs inside it) "
                    if sqlite
                    else f"{h['web_cpu_ms']:.1f} ms gunicorn + {h['db_cpu_ms']:.1f} ms PostgreSQL "
                )
                + f"= {h['capacity_per_second']:.0f}/s on 2 dedicated cores",
                "p50 <= 15 ms, >= 300/s",
            )
        )
    i = r["inprocess"]
    rows.append(
        (
            "Complete a work item in one process, no HTTP (service + commit, 200 in a row)",
            f"p50 {i['p50_ms']:.1f} ms, p95 {i['p95_ms']:.1f} ms, "
            f"CPU p50 {i['cpu_p50_ms']:.1f} ms "
            + ("(SQLite included), " if sqlite else "(Python side; PostgreSQL's own CPU not counted), ")
            + f"{i['statements']} SQL statements",
            "-",
        )
    )
    rows += [
        (
            "Inbox first page (50 rows + 2 counts), agency focal officers",
            _pp(r["inbox_focal"]),
            "p95 <= 50 ms",
        ),
        ("Inbox first page, Office officers (province-wide)", _pp(r["inbox_office"]), "p95 <= 50 ms"),
        ("Filtered task search, agency focal officers", _pp(r["search_focal"]), "-"),
        ("Filtered task search, Office officers", _pp(r["search_office"]), "-"),
        (
            f"Timer sweep: {s['due']:,} due among {s['waiting']:,} waiting, {s['sweepers']} sweepers at once",
            f"{s['seconds']:.2f} s ({s['fired']} fired, {s['failed']} failed); "
            f"CPU {s['cpu_seconds']:.2f} s "
            + ("(sweepers, SQLite included)" if sqlite else "(sweepers + PostgreSQL)"),
            "<= 2 s",
        ),
        (
            "Quarterly report, one province (per lead unit x R4 category)",
            f"{r['report']['province_p50_ms']:.0f} ms",
            "<= 2 s",
        ),
        (
            "Quarterly report, national (per province x R4 category)",
            f"{r['report']['national_p50_ms']:.0f} ms",
            "<= 2 s",
        ),
        (
            "Bytes per task: state / projections / audit",
            "{state_bytes:,.0f} / {projection_bytes:,.0f} / {audit_bytes:,.0f} = {total_bytes:,.0f} B".format(
                **r["storage"]
            ),
            "<= 20 KB",
        ),
    ]
    lines = [f"| {tasks:,} tasks | measured | goal |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def _pp(times: list[float]) -> str:
    return f"p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 95):.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--server", default=os.environ.get("DONDOC_BENCH_SERVER_URL", DEFAULT_SERVER))
    parser.add_argument("--sqlite", metavar="FILE", help="run on this SQLite file instead of PostgreSQL")
    parser.add_argument("--reuse", action="store_true", help="measure the database generated before")
    parser.add_argument("--generate-only", action="store_true", help="generate, measure later with --reuse")
    parser.add_argument("--completions", type=int, default=1000, help="HTTP completions measured")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--sweepers", type=int, default=2, help="timer sweep processes run at once")
    parser.add_argument(
        "--due-timers", type=int, help="due timers (default: 1,000, or 1%% of the tasks if fewer)"
    )
    args = parser.parse_args()

    ARTIFACTS.mkdir(exist_ok=True)
    url = (
        f"sqlite:///{Path(args.sqlite).resolve()}"
        if args.sqlite
        else make_url(args.server)
        .set(database=f"dondoc_bench_{args.tasks}")
        .render_as_string(hide_password=False)
    )
    tag = f"{args.tasks}-sqlite" if args.sqlite else str(args.tasks)
    results: dict[str, Any] = {"tasks": args.tasks}
    if not args.reuse:
        log(f"generating {args.tasks:,} tasks into {make_url(url).database}")
        due = args.due_timers if args.due_timers is not None else min(1000, args.tasks // 100)
        results["generation"] = generate(url, args.tasks, due)
        log(f"generated: {results['generation']}")
        (ARTIFACTS / f"bench-{tag}-generation.json").write_text(json.dumps(results["generation"]))
        if args.generate_only:
            return
    elif (ARTIFACTS / f"bench-{tag}-generation.json").exists():
        results["generation"] = json.loads((ARTIFACTS / f"bench-{tag}-generation.json").read_text())
    app = bench_app(url)
    loads = [os.getloadavg()[0]]
    with app.app_context():
        results["machine"] = machine()
        log("engine floor")
        results["engine_floor"] = engine_floor()
        db.session.remove()
        log("HTTP completions")
        results["http"] = http_completions(url, args.completions, args.workers, args.concurrency)
        log(f"http: {results['http']}")
        results["inprocess"] = inprocess_completions()
        log(f"in process: {results['inprocess']}")
        focal = sample_users("focal_officer", 40)
        office = sample_users("office_officer", 20)
        log("inbox and search")
        results["inbox_focal"] = measure_users(focal, inbox_page)
        results["inbox_office"] = measure_users(office, inbox_page)
        results["search_focal"] = measure_users(focal, filtered_search)
        results["search_office"] = measure_users(office, filtered_search)
        log("quarterly report")
        results["report"] = quarterly_report()
        explain_plans(ARTIFACTS / f"bench-explain-{tag}.txt", focal[0], office[0])
        log("storage")
        results["storage"] = storage(args.tasks)
        log("profile")
        results["profile_head"] = profile_completions(ARTIFACTS / f"bench-profile-{tag}.txt")
        log("timer sweep")
        results["sweep"] = timer_sweep(url, args.sweepers)
        loads.append(os.getloadavg()[0])
        db.session.remove()
    # Other work on the machine competes for the 2 cores: say how busy it was while measuring.
    results["machine"]["load_average"] = f"{loads[0]:.1f} at start, {loads[1]:.1f} at end (1-minute)"
    (ARTIFACTS / f"bench-{tag}.json").write_text(json.dumps(results, indent=2, default=str))
    print("Machine: " + "; ".join(f"{k}: {v}" for k, v in results["machine"].items()))
    if "generation" in results:
        g = results["generation"]
        print(
            f"Data: {g['provinces']} provinces; generated and loaded in {g['generate_s']:.0f} s "
            f"(+ VACUUM ANALYZE {g['vacuum_analyze_s']:.0f} s); rows: "
            + ", ".join(f"{k} {v:,}" for k, v in g["rows"].items())
        )
    print()
    print(table(args.tasks, results))


if __name__ == "__main__":
    threading.stack_size(4 * 1024 * 1024)
    main()

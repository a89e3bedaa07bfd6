"""The cost of completing one work item, in one process (no HTTP), on SQLite and on PostgreSQL.

    .venv/bin/python scripts/bench_completion.py --sqlite /tmp/dondoc-bench-completion.sqlite3
    scripts/pg_test_server.sh start
    .venv/bin/python scripts/bench_completion.py --url postgresql+psycopg://dondoc:dondoc@127.0.0.1:55432/dondoc_completion

The database is built once (again with `--setup`) through the real services: migrations, `bpmn/`
deployed, the demo organisation, then `--directives` directives of 5 tasks each registered by the
Office and classified, so that every task has its `task_lifecycle` waiting for its lead agency
(4 agencies). The tables are then padded to `--tasks` tasks with copies of those rows (completed
instances and work items, fired timers, audit events chained with the real hashes), the
proportions of `scripts/bench.py`'s data: the indexes have their 10,000-task depth, while the
measured steps are real ones.

Each completion runs as the route runs it: `work_items.complete` then one commit, by the lead
agency's focal officer. Measured, after `--warmup` completions (the caches fill): `--count`
acceptances ("Tiếp nhận nhiệm vụ") of tasks never touched, then the first progress report
("Báo cáo kết quả thực hiện", action progress) of those same tasks: each loop of the report step
adds tasks to the stored state, so reports on tasks reported many times would cost more and runs
would not compare. 1,000 real tasks serve four runs; `--setup` builds the data again. For each:
wall-clock time, the CPU time of this process (what the code costs, however busy the machine is;
the database server's CPU is not counted) and the SQL statements sent (a `before_cursor_execute`
listener). `--profile` writes a cProfile (CPU time) of the measured completions to test-artifacts/
(cProfile inflates every figure about three times: compare shares, not milliseconds).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import sys
import time
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import Table, event, func, select, text  # noqa: E402

from app import clock, create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (  # noqa: E402
    AuditEvent,
    Directive,
    ProcessInstance,
    Task,
    Timer,
    User,
    UserRole,
    WorkItem,
)
from app.services import audit, directives, work_items  # noqa: E402
from app.services.models_deploy import deploy_directory  # noqa: E402
from app.services.seed import seed_organisation  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts"
AGENCIES = ["stc", "skhdt", "sxd", "huyen-a"]
TASKS_PER_DIRECTIVE = 5
NOW = "2026-03-02T09:00:00+07:00"
ACCEPT = {"decision": "accept"}
PROGRESS = {
    "action": "progress",
    "progress_status": "in_progress",
    "progress_note": "Đang triển khai thực hiện.",
}
ANSWERS = {"Task_accept": ACCEPT, "Task_work": PROGRESS}
BATCH = 5000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def make_app(url: str) -> Flask:
    return create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "DONDOC_ALLOW_CLOCK_OVERRIDE": True}
    )


def setup(app: Flask, directive_count: int, tasks: int) -> None:
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
        deploy_directory()
        seed_organisation()
        db.session.commit()
        clock.freeze(datetime.fromisoformat(NOW))
        db.session.commit()
        officer = db.session.scalar(select(User).where(User.username == "vp.chuyenvien"))
        assert officer is not None
        for number in range(directive_count):
            payload = {
                "number": str(number + 1),
                "symbol": "QĐ-UBND",
                "doc_type": "quyet_dinh",
                "summary": "Văn bản đo hiệu năng",
                "issued_on": "2026-03-02",
                "signer": "Lê Văn Cường",
                "tasks": [
                    {
                        "content": f"Nhiệm vụ {i + 1}",
                        "lead_unit": AGENCIES[(number + i) % len(AGENCIES)],
                        "due_on": "2026-06-30",
                    }
                    for i in range(TASKS_PER_DIRECTIVE)
                ],
            }
            directive = directives.register_directive(directives.parse_directive(payload), officer)
            classify = db.session.scalar(
                select(WorkItem).where(WorkItem.directive_id == directive.id, WorkItem.state == "open")
            )
            assert classify is not None
            work_items.complete(officer, classify, {"origin_level": "province"})
            db.session.commit()
            if number % 50 == 49:
                log(f"registered {number + 1} directives")
        pad(tasks - int(db.session.scalar(select(func.count()).select_from(Task))))
        if db.engine.dialect.name == "postgresql":
            for table in ("directive", "task", "process_instance", "work_item", "timer", "audit_event"):
                db.session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
            db.session.commit()
            db.session.execute(text("ANALYZE"))
        db.session.commit()
        db.engine.dispose()


def _clone_rows(table: Table, template: dict[str, Any], count: int, first_id: int, **per_row: Any) -> None:
    for offset in range(0, count, BATCH):
        rows = []
        for i in range(offset, min(offset + BATCH, count)):
            row = dict(template, id=first_id + i)
            row.update({k: f(i) for k, f in per_row.items()})
            rows.append(row)
        db.session.execute(table.insert(), rows)


def _template(table: Table, where: Any) -> dict[str, Any]:
    row = db.session.execute(select(table).where(where).limit(1)).mappings().one()
    return dict(row)


def _next_id(model: Any) -> int:
    return int(db.session.scalar(select(func.coalesce(func.max(model.id), 0)))) + 1


def pad(tasks: int) -> None:
    """Inert history: completed directives, tasks, instances, work items, fired timers, audit events."""
    if tasks <= 0:
        return
    directive_count = tasks // 4
    directive_t = _template(Directive.__table__, Directive.id > 0)
    task_t = _template(Task.__table__, Task.id > 0)
    instance_t = _template(ProcessInstance.__table__, ProcessInstance.process_id == "task_lifecycle")
    item_t = _template(WorkItem.__table__, WorkItem.state == "completed")
    timer_t = _template(Timer.__table__, Timer.id > 0)
    d0, t0, i0, w0, m0 = (_next_id(m) for m in (Directive, Task, ProcessInstance, WorkItem, Timer))
    _clone_rows(
        Directive.__table__,
        directive_t,
        directive_count,
        d0,
        number=lambda i: f"P{i + 1}",
        status=lambda i: "completed",
    )
    _clone_rows(
        Task.__table__,
        task_t,
        tasks,
        t0,
        directive_id=lambda i: d0 + i % directive_count,
        status=lambda i: "completed",
    )
    instances = tasks + directive_count
    _clone_rows(
        ProcessInstance.__table__,
        instance_t,
        instances,
        i0,
        status=lambda i: "completed",
        task_id=lambda i: t0 + i if i < tasks else None,
        directive_id=lambda i: d0 + (i % directive_count if i < tasks else i - tasks),
    )
    _clone_rows(
        WorkItem.__table__,
        item_t,
        tasks * 28 // 10,
        w0,
        instance_id=lambda i: i0 + i % instances,
        spiff_task_id=lambda i: str(uuid.UUID(int=i + 1)),
        task_id=lambda i: t0 + i % tasks,
        directive_id=lambda i: d0 + (i % tasks) % directive_count,
    )
    _clone_rows(
        Timer.__table__,
        timer_t,
        directive_count,
        m0,
        instance_id=lambda i: i0 + tasks + i,
        state=lambda i: "fired",
    )
    db.session.commit()
    previous = db.session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    first = _next_id(AuditEvent)
    rows = []
    for i in range(tasks * 6):
        entry = AuditEvent(
            id=first + i,
            at=clock.now().astimezone(),
            actor_id=None,
            action="padding",
            directive_id=d0 + (i // 6) % directive_count,
            task_id=t0 + i // 6,
            instance_id=i0 + i // 6,
            work_item_id=None,
            details={"n": i},
            prev_hash=previous,
        )
        entry.hash = audit._digest(entry)
        previous = entry.hash
        rows.append({c.name: getattr(entry, c.key) for c in AuditEvent.__table__.columns})
        if len(rows) == BATCH:
            db.session.execute(AuditEvent.__table__.insert(), rows)
            rows = []
    if rows:
        db.session.execute(AuditEvent.__table__.insert(), rows)
    db.session.commit()
    log(f"padded with {tasks:,} tasks")


def focal_user(unit: int, cache: dict[int, User]) -> User:
    if unit not in cache:
        found = db.session.scalars(
            select(User).join(UserRole).where(UserRole.unit_id == unit, UserRole.role == "focal_officer")
        ).first()
        assert found is not None
        cache[unit] = found
    return cache[unit]


def open_items(spec: str, instances: set[int] | None = None) -> list[tuple[int, int]]:
    query = select(WorkItem.id, WorkItem.candidate_unit_id, WorkItem.instance_id).where(
        WorkItem.state == "open", WorkItem.task_spec == spec
    )
    rows = [(row[0], row[1], row[2]) for row in db.session.execute(query.order_by(WorkItem.id)).all()]
    if instances is not None:
        rows = [row for row in rows if row[2] in instances]
    return [(item_id, unit) for item_id, unit, _ in rows]


def instances_of(items: list[tuple[int, int]]) -> set[int]:
    ids = [item_id for item_id, _ in items]
    return set(db.session.scalars(select(WorkItem.instance_id).where(WorkItem.id.in_(ids))))


def measure(
    spec: str, items: list[tuple[int, int]], count: int, warmup: int, profiler: cProfile.Profile | None
) -> dict[str, Any] | None:
    if len(items) < count + warmup:
        log(f"only {len(items)} open {spec} items left: skipped (--setup builds the data again)")
        return None
    statements = [0]
    kinds: Counter[str] = Counter()

    def counted(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements[0] += 1
        kinds[statement.split(None, 1)[0].upper()] += 1

    users: dict[int, User] = {}
    walls, cpus, counts = [], [], []
    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        for n, (item_id, unit) in enumerate(items[: count + warmup]):
            user = focal_user(unit, users)
            item = db.session.get(WorkItem, item_id)
            assert item is not None
            measured = n >= warmup
            if n == warmup:
                kinds.clear()
            statements[0] = 0
            if profiler and measured:
                profiler.enable()
            wall, cpu = time.perf_counter(), time.process_time()
            work_items.complete(user, item, ANSWERS[spec])
            db.session.commit()
            cpu_ms = (time.process_time() - cpu) * 1000
            wall_ms = (time.perf_counter() - wall) * 1000
            if profiler and measured:
                profiler.disable()
            if measured:
                walls.append(wall_ms)
                cpus.append(cpu_ms)
                counts.append(statements[0])
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)
    return {
        "step": spec,
        "completions": len(walls),
        "p50_ms": statistics.median(walls),
        "p95_ms": percentile(walls, 95),
        "cpu_p50_ms": statistics.median(cpus),
        "cpu_mean_ms": statistics.fmean(cpus),
        "statements_p50": statistics.median(counts),
        "statements_min": min(counts),
        "statements_max": max(counts),
        "statement_kinds_per_completion": {k: round(v / len(walls), 2) for k, v in sorted(kinds.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--sqlite", type=Path, help="a SQLite file (built when missing)")
    target.add_argument("--url", help="a PostgreSQL database URL (its public schema is rebuilt by --setup)")
    parser.add_argument("--setup", action="store_true", help="build the data again")
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--directives", type=int, default=200, help="real directives (5 tasks each)")
    parser.add_argument("--count", type=int, default=200, help="completions measured per step")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--label", default="", help="a name for this run in the JSON lines file")
    args = parser.parse_args()

    ARTIFACTS.mkdir(exist_ok=True)
    url = f"sqlite:///{args.sqlite}" if args.sqlite else args.url
    app = make_app(url)
    backend = "sqlite" if args.sqlite else "postgresql"
    with app.app_context():
        built = not args.setup and "task" in db.inspect(db.engine).get_table_names()
        db.session.remove()
        db.engine.dispose()  # no pooled connection to a file that --setup deletes
    if args.setup or not built:
        log(f"building {args.tasks:,} tasks on {backend}")
        if args.sqlite:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{args.sqlite}{suffix}").unlink(missing_ok=True)
        setup(app, args.directives, args.tasks)
    load = os.getloadavg()[0]
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    results = []
    with app.app_context():
        tasks = db.session.scalar(select(func.count()).select_from(Task))
        # Acceptances of tasks never touched, then the first progress report of those same tasks:
        # each loop of the report step adds tasks to the stored state, so a report on a task
        # reported many times costs more, and runs on the same data would not compare.
        accepts = open_items("Task_accept")
        random.Random(time.time_ns()).shuffle(accepts)
        accepts = accepts[: args.count + args.warmup]
        result = measure("Task_accept", accepts, args.count, args.warmup, profiler)
        if result is not None:
            results.append(result)
            reports = open_items("Task_work", instances_of(accepts))
            result = measure("Task_work", reports, args.count, args.warmup, profiler)
            if result is not None:
                results.append(result)
        db.session.remove()
    if profiler is not None:
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream).sort_stats("tottime")
        stats.print_stats(40)
        stats.sort_stats("cumulative").print_stats(70)
        (ARTIFACTS / f"bench-completion-profile-{backend}{args.label}.txt").write_text(stream.getvalue())
        profiler.dump_stats(ARTIFACTS / f"bench-completion-profile-{backend}{args.label}.prof")
    loads = f"{load:.1f} at start, {os.getloadavg()[0]:.1f} at end"
    with open(ARTIFACTS / "bench-completion.jsonl", "a") as out:
        for result in results:
            result.update(backend=backend, tasks=tasks, label=args.label, load_average=loads)
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
    print(f"{backend}, {tasks:,} tasks, load average {loads} (1-minute)\n")
    print("| step | completions | p50 ms | p95 ms | CPU p50 ms | SQL statements p50 (min-max) | of which |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        kinds = ", ".join(f"{k} {v:g}" for k, v in r["statement_kinds_per_completion"].items())
        print(
            f"| {r['step']} | {r['completions']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
            f"{r['cpu_p50_ms']:.1f} | {r['statements_p50']:g} "
            f"({r['statements_min']}-{r['statements_max']}) | "
            f"{kinds} |"
        )


if __name__ == "__main__":
    main()

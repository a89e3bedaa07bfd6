"""Benchmark the timer sweep and the lateness of timers fired by the scheduler.

1. Sweep time with 100,000 waiting timers of which 1,000 are due (goal: under 2 s). Two kinds of
   due timers are measured: the real "late classification" timer of `directive_intake` (it
   notifies the Office chief: audit row and notice per timer) and a minimal model (timer, then end),
   which isolates the sweep's own cost from the model's work. The other 99,000 timers wait on
   cloned instances and must cost nothing but the index.
2. Lateness (fired_at - due_at) of timers due at random instants, fired by the real APScheduler
   jobs with the default interval (DONDOC_TIMER_SWEEP_SECONDS, 30 s) in wall-clock time.

    python scripts/bench_timers.py                      # SQLite files under /tmp
    DATABASE_URL=postgresql+psycopg://... python scripts/bench_timers.py --only sweep
    python scripts/bench_timers.py --due 200 --waiting 10000 --lateness-seconds 60   # quick run

Prints markdown tables (docs/benchmarks-timers.md keeps the figures).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from apscheduler.schedulers.background import BackgroundScheduler  # noqa: E402
from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, func, insert, select, text  # noqa: E402

from app import clock, create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.jobs.lease import new_holder_id  # noqa: E402
from app.jobs.scheduler import register_jobs  # noqa: E402
from app.models import ProcessInstance, Timer, User  # noqa: E402
from app.services import directives, timer_workers  # noqa: E402
from app.services.health import lateness_of  # noqa: E402
from app.services.models_deploy import deploy_directory  # noqa: E402
from app.services.seed import seed_organisation  # noqa: E402
from app.services.timers import due_instances, run_due  # noqa: E402
from app.workflow import ModelFiles, deploy_models, start_instance  # noqa: E402

BENCH_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_bench" targetNamespace="http://dondoc.gov.vn/bpmn">
  <bpmn:process id="bench_timer" name="Benchmark timer" isExecutable="true">
    <bpmn:startEvent id="StartEvent_bench"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="Timer_wait" name="Wait">
      <bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing>
      <bpmn:timerEventDefinition id="TimerDefinition_wait">
        <bpmn:timeDate>fire_at</bpmn:timeDate>
      </bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="EndEvent_bench"><bpmn:incoming>Flow_2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_bench" targetRef="Timer_wait" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Timer_wait" targetRef="EndEvent_bench" />
  </bpmn:process>
</bpmn:definitions>
"""
ISSUED = date(2026, 4, 29)  # classification due Tue 05/05/2026 (30/04-03/05 are days off)
SWEEP_AT = datetime(2026, 5, 6, 0, 1, tzinfo=UTC) + timedelta(hours=-7)  # 06/05 00:01 Vietnam time


def make_app(url: str) -> Flask:
    return create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "DONDOC_ALLOW_CLOCK_OVERRIDE": True}
    )


def database_url(name: str) -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    path = Path(tempfile.gettempdir()) / f"dondoc-bench-{name}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def prepare(app: Flask) -> None:
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
        deploy_directory()
        bench = ModelFiles(bpmn={"bench_timer.bpmn": BENCH_BPMN.encode()}, lane_roles={})
        deploy_models(bench, now=clock.now(), actor_id=None, note="benchmark", max_bytes=1 << 20)
        seed_organisation()
        db.session.commit()


def register_due_directives(count: int) -> None:
    officer = db.session.scalars(select(User).where(User.username == "vp.chuyenvien")).one()
    clock.freeze(datetime.combine(ISSUED, datetime.min.time()).replace(hour=9, tzinfo=clock.VIETNAM))
    task = {"content": "Tổng kết công tác quý II", "lead_unit": "stc", "due_on": "2026-06-30"}
    for number in range(count):
        payload = {
            "number": str(number + 1),
            "symbol": "QĐ-UBND",
            "doc_type": "quyet_dinh",
            "summary": "Văn bản thử tải",
            "issued_on": ISSUED.isoformat(),
            "signer": "Lê Văn Cường",
            "tasks": [task],
        }
        directives.register_directive(directives.parse_directive(payload), officer)
        if number % 100 == 99:
            db.session.commit()
    db.session.commit()


def start_bench_instances(fire_times: list[datetime]) -> None:
    for fire_at in fire_times:
        start_instance("bench_timer", {"fire_at": fire_at.isoformat()}, now=clock.now(), actor_id=None)
    db.session.commit()


def pad_waiting(count: int, due_at: datetime, batch: int = 5000) -> None:
    """`count` more waiting timers on cloned instances, all due after the sweep (never loaded)."""
    start_bench_instances([due_at])
    template = db.session.scalars(select(ProcessInstance).order_by(ProcessInstance.id.desc()).limit(1)).one()
    model_timer = db.session.scalars(select(Timer).where(Timer.instance_id == template.id)).one()
    first_id = db.session.scalars(select(func.max(ProcessInstance.id))).one() + 1
    now = clock.now()
    for offset in range(0, count - 1, batch):
        ids = range(first_id + offset, first_id + min(offset + batch, count - 1))
        db.session.execute(
            insert(ProcessInstance),
            [
                {
                    "id": i,
                    "model_version_id": template.model_version_id,
                    "process_id": template.process_id,
                    "state": template.state,
                    "version": 1,
                    "status": "running",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in ids
            ],
        )
        db.session.execute(
            insert(Timer),
            [
                {
                    "instance_id": i,
                    "spiff_task_id": model_timer.spiff_task_id,
                    "task_spec": model_timer.task_spec,
                    "name": model_timer.name,
                    "due_at": due_at + timedelta(seconds=i % 86400),
                    "state": "waiting",
                    "created_at": now,
                    "attempts": 0,
                }
                for i in ids
            ],
        )
        db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            text("SELECT setval('process_instance_id_seq', (SELECT max(id) FROM process_instance))")
        )
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def cpu_probe() -> float:
    """Seconds of a fixed pure-Python loop, run just before a sweep: the speed of the machine at
    that moment (a shared host's varies by 2x from one hour to the next), to compare runs by."""
    started = time.perf_counter()
    total = 0
    for number in range(2_000_000):
        total += number
    return time.perf_counter() - started


def sweep_case(
    kind: str, due: int, waiting: int, workers: int = 1, batch: int = 50, profile: str | None = None
) -> dict[str, Any]:
    app = make_app(database_url(f"sweep-{kind}"))
    app.config["DONDOC_TIMER_SWEEP_BATCH"] = batch
    prepare(app)
    with app.app_context():
        started = time.perf_counter()
        if kind == "directive_intake":
            register_due_directives(due)
        else:
            clock.freeze(SWEEP_AT - timedelta(days=1))
            start_bench_instances([SWEEP_AT - timedelta(minutes=5)] * due)
        pad_waiting(waiting - due, SWEEP_AT + timedelta(days=30))
        setup = time.perf_counter() - started
        db.session.remove()
        total_waiting = db.session.scalar(select(func.count(Timer.id)).where(Timer.state == "waiting"))
        query_started = time.perf_counter()
        found = len(due_instances(SWEEP_AT))
        query_ms = (time.perf_counter() - query_started) * 1000
        db.session.remove()
        statements = [0]

        def counted(*_args: Any) -> None:
            statements[0] += 1

        parallel = workers > 1
        if parallel:  # a running scheduler's pool: started and its models loaded before the sweep
            timer_workers.warm(workers)
            db.session.remove()
        event.listen(db.engine, "before_cursor_execute", counted)
        probe_s = cpu_probe()
        profiler = cProfile.Profile() if profile else None
        sweep_started, cpu_started = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        result = run_due(SWEEP_AT, workers=workers)
        sweep_s = time.perf_counter() - sweep_started
        if profiler:
            profiler.disable()
            profiler.dump_stats(f"{profile}-{kind}.prof")
        cpu_s = time.process_time() - cpu_started
        event.remove(db.engine, "before_cursor_execute", counted)
        left = db.session.scalar(select(func.count(Timer.id)).where(Timer.state == "waiting"))
        second = run_due(SWEEP_AT, workers=workers)
        dialect = db.engine.dialect.name
        timer_workers.shutdown()
        db.engine.dispose()
    assert result.fired == due and not result.failed, result
    assert left == waiting - due and second.fired == 0, (left, second)
    return {
        "database": dialect,
        "due timers of": kind,
        "batch": batch,
        "workers": workers if parallel else 1,
        "waiting": total_waiting,
        "due": found,
        "fired": result.fired,
        "due query (ms)": round(query_ms, 1),
        "sweep (s)": round(sweep_s, 2),
        "per timer (ms)": round(sweep_s * 1000 / max(result.fired, 1), 2),
        # CPU of this process only (PostgreSQL's backend not counted): what the code costs, however
        # busy the machine is; and the SQL statements the sweep sent, per timer fired.
        # (with workers, the work and its statements are in the worker processes: not counted here)
        "sweep CPU (s)": "-" if parallel else round(cpu_s, 2),
        "SQL per timer": "-" if parallel else round(statements[0] / max(result.fired, 1), 1),
        "second sweep fired": second.fired,
        "set-up (s)": round(setup, 1),
        "CPU probe (s)": round(probe_s, 2),
    }


def lateness_case(count: int, window: int, interval: int) -> dict[str, Any]:
    url = database_url("lateness")
    app = make_app(url)
    prepare(app)
    app.config["DONDOC_TIMER_SWEEP_SECONDS"] = interval
    with app.app_context():
        clock.release()
        db.session.commit()
        now = datetime.now(UTC)
        rng = random.Random(6)
        fire_times = sorted(now + timedelta(seconds=5 + rng.uniform(0, window)) for _ in range(count))
        start_bench_instances(fire_times)
    scheduler = BackgroundScheduler(timezone="UTC")
    register_jobs(scheduler, app, new_holder_id())
    scheduler.start()
    try:
        time.sleep(window + 5 + interval + 5)
    finally:
        scheduler.shutdown(wait=True)
    with app.app_context():
        rows = db.session.execute(  # the benchmark's timers only (the real jobs start other processes)
            select(Timer.due_at, Timer.fired_at, Timer.state)
            .join(ProcessInstance, ProcessInstance.id == Timer.instance_id)
            .where(ProcessInstance.process_id == "bench_timer")
        ).all()
        dialect = db.engine.dialect.name
        db.engine.dispose()
    late = [(fired - due).total_seconds() for due, fired, state in rows if state == "fired" and fired]
    stats = lateness_of(late)
    return {
        "database": dialect,
        "interval (s)": interval,
        "timers": count,
        "fired": len(late),
        "never fired": sum(1 for *_, state in rows if state != "fired"),
        "p50 (s)": round(stats.p50 or 0, 1),
        "p90 (s)": round(stats.p90 or 0, 1),
        "p99 (s)": round(stats.p99 or 0, 1),
        "max (s)": round(stats.max or 0, 1),
        "mean (s)": round(statistics.fmean(late), 1) if late else 0,
        "buckets": ", ".join(f"{label}: {n}" for label, n in stats.buckets),
    }


def table(rows: list[dict[str, Any]]) -> str:
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(row[k]) for k in keys) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--waiting", type=int, default=100_000)
    parser.add_argument("--lateness-timers", type=int, default=200)
    parser.add_argument("--lateness-seconds", type=int, default=150, help="window of the due instants")
    parser.add_argument("--interval", type=int, default=30, help="DONDOC_TIMER_SWEEP_SECONDS of the run")
    parser.add_argument("--only", choices=["sweep", "lateness"])
    parser.add_argument("--workers", default="1", help="sweep worker processes, e.g. 1,2")
    parser.add_argument(
        "--batch", type=int, default=50, help="instances per transaction (DONDOC_TIMER_SWEEP_BATCH)"
    )
    parser.add_argument("--json", action="store_true", help="also print the rows as JSON")
    parser.add_argument("--profile", help="write a cProfile of each sweep to PROFILE-<kind>.prof")
    parser.add_argument("--kind", choices=["bench_timer", "directive_intake"], help="only this kind")
    args = parser.parse_args()
    if args.only != "lateness":
        sweeps = [
            sweep_case(kind, args.due, args.waiting, int(workers), args.batch, args.profile)
            for kind in ([args.kind] if args.kind else ["bench_timer", "directive_intake"])
            for workers in args.workers.split(",")
        ]
        print(f"### Sweep: {args.waiting:,} waiting timers, {args.due:,} due\n")
        print(table(sweeps) + "\n")
        if args.json:
            print(json.dumps(sweeps, ensure_ascii=False))
    if args.only != "sweep":
        late = [lateness_case(args.lateness_timers, args.lateness_seconds, args.interval)]
        print(f"### Lateness at a {args.interval}-second sweep interval (wall clock)\n")
        print(table(late) + "\n")
        if args.json:
            print(json.dumps(late, ensure_ascii=False))


if __name__ == "__main__":
    main()

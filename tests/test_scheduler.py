"""The scheduler: one registration function, embedded only where it should be, a lease so that two
schedulers never work at once, and a standby that takes over when the holder is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select

from app.extensions import db
from app.jobs import lease
from app.jobs.scheduler import register_jobs, should_start_embedded
from app.models import JobRun, SchedulerLease, Timer
from tests.conftest import make_app
from tests.support import free_port, notices_of
from tests.test_timer_sweep import register_many

ROOT = Path(__file__).resolve().parents[1]


def test_every_job_is_registered_once_with_its_stable_id_and_configured_interval(database_url):
    app = make_app(database_url, DONDOC_TIMER_SWEEP_SECONDS=15, DONDOC_MAIL_SECONDS=45)
    scheduler = BackgroundScheduler(timezone="UTC")
    ids = register_jobs(scheduler, app, "holder-1")
    register_jobs(scheduler, app, "holder-1")  # registering again replaces, never duplicates
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert ids == ["lease", "timers", "reminders", "mail", "digest", "weekly_overdue", "report_periods"]
    assert sorted(jobs) == sorted(ids)
    intervals = {job_id: job.trigger.interval.total_seconds() for job_id, job in jobs.items()}
    assert intervals == {
        "lease": 20.0,  # a third of the 60-second lease
        "timers": 15.0,
        "reminders": 600.0,
        "mail": 45.0,
        "digest": 900.0,
        "weekly_overdue": 1800.0,
        "report_periods": 3600.0,
    }
    assert not scheduler.running


@pytest.mark.parametrize(
    ("command", "params", "reloader_child", "testing", "mode", "expected"),
    [
        ("run", {"reload": False}, False, False, "embedded", True),  # `make run`: flask run, no reloader
        ("run", {"reload": True}, False, False, "embedded", False),  # the reloader's watching parent
        ("run", {"reload": True}, True, False, "embedded", True),  # the reloader's serving child
        ("init", {}, False, False, "embedded", False),  # other commands never schedule
        ("run", {"reload": False}, False, True, "embedded", False),  # tests call the jobs directly
        ("run", {"reload": False}, False, False, "off", False),  # production: `flask scheduler run`
    ],
)
def test_the_embedded_scheduler_runs_only_in_the_serving_process(
    database_url, monkeypatch, command, params, reloader_child, testing, mode, expected
):
    app = make_app(database_url, TESTING=testing, DONDOC_SCHEDULER=mode)
    if reloader_child:
        monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
    else:
        monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    ctx = click.Context(click.Command(command), info_name=command)
    ctx.params.update(params)
    with ctx:
        assert should_start_embedded(app) is expected
    assert should_start_embedded(app) is False  # no command at all: an import, gunicorn, a script


def test_the_lease_lets_one_scheduler_work_and_passes_on_when_it_expires_or_is_released(app):
    start = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
    assert lease.acquire("a", 60, now=start)
    assert not lease.acquire("b", 60, now=start + timedelta(seconds=10))
    assert lease.acquire("a", 60, now=start + timedelta(seconds=30))  # renewed until 09:01:30
    assert not lease.acquire("b", 60, now=start + timedelta(seconds=80))
    assert lease.acquire("b", 60, now=start + timedelta(seconds=91))  # "a" stopped renewing
    assert not lease.acquire("a", 60, now=start + timedelta(seconds=92))
    lease.release("b")
    assert lease.acquire("a", 60)
    assert db.session.get(SchedulerLease, "scheduler").holder == "a"


def start_scheduler(database_url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test",
        "DONDOC_ALLOW_CLOCK_OVERRIDE": "1",
        "DONDOC_SCHEDULER_LEASE_SECONDS": "3",
        "DONDOC_TIMER_SWEEP_SECONDS": "1",
        "DONDOC_TIMER_SWEEP_WORKERS": "2",  # PostgreSQL: the sweep's pool starts with the scheduler
    }
    handle = log.open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "scheduler", "run"],
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )


def children_of(pid: int) -> list[int]:
    """Processes whose parent is `pid` (Linux /proc)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def wait_for(condition, timeout: float = 40.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.remove()
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def holder_pid() -> int | None:
    row = db.session.get(SchedulerLease, "scheduler")
    if row is None or not row.holder or row.expires_at < datetime.now(UTC):
        return None
    return int(row.holder.split(":")[1])


@pytest.mark.slow
def test_two_scheduler_processes_one_works_the_other_takes_over_when_it_is_killed(
    app, user, freeze, database_url, tmp_path
):
    freeze("2026-04-29T09:00:00+07:00")
    register_many(user, 1)  # its late-classification timer is due at 06/05/2026 00:00
    freeze("2026-05-05T12:00:00+07:00")
    db.session.remove()
    processes = [start_scheduler(database_url, tmp_path / f"scheduler-{i}.log") for i in (1, 2)]

    def sweeps_by(pid: int) -> list[JobRun]:
        return db.session.scalars(
            select(JobRun).where(JobRun.job_id == "timers", JobRun.holder.contains(f":{pid}:"))
        ).all()

    try:
        wait_for(lambda: holder_pid() in {p.pid for p in processes}, what="a lease holder")
        holder = next(p for p in processes if p.pid == holder_pid())
        standby = next(p for p in processes if p is not holder)
        wait_for(lambda: len(sweeps_by(holder.pid)) >= 2, what="the holder's sweeps")
        assert sweeps_by(standby.pid) == [], "the standby waits while the lease is held"
        assert db.session.scalar(select(Timer.state)) == "waiting"

        workers = children_of(holder.pid)
        if db.engine.dialect.name == "postgresql":  # the sweep's pool (and its resource tracker)
            assert len(workers) >= 2
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        wait_for(
            lambda: not any(Path(f"/proc/{pid}").exists() for pid in workers), what="its workers to exit"
        )
        wait_for(lambda: holder_pid() == standby.pid, what="the standby to take the lease over")
        freeze("2026-05-06T00:01:00+07:00")  # the timer is now due: the new holder fires it
        wait_for(lambda: db.session.scalar(select(Timer.state)) == "fired", what="the timer to fire")
        wait_for(lambda: any(r.summary.get("fired") for r in sweeps_by(standby.pid)), what="its sweep record")
        assert sum(r.summary.get("fired", 0) for r in sweeps_by(standby.pid)) == 1
        late = [n for n in notices_of("vp.chanh") if n.kind == "classification_overdue"]
        assert len(late) == 1  # (the reminder job also ran: "due today" for the classification step)
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
    logs = "".join((tmp_path / f"scheduler-{i}.log").read_text() for i in (1, 2))
    assert "Traceback" not in logs, logs
    assert "scheduler" in logs and "starting jobs lease, timers, reminders" in logs
    if db.engine.dialect.name == "postgresql":
        assert "timer sweep workers started: 2" in logs


@pytest.mark.slow
def test_make_run_s_server_gives_its_lease_back_when_stopped_with_sigterm(app, database_url, tmp_path):
    """`flask run` with the embedded scheduler, stopped as a service manager stops it: the lease
    is released at once, so a scheduler started next does not wait for it to expire."""
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test",
        "DONDOC_SCHEDULER_LEASE_SECONDS": "300",
        "DONDOC_TIMER_SWEEP_SECONDS": "1",
    }
    log = tmp_path / "server.log"
    with log.open("wb") as handle:
        server = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "app", "run", "--no-reload", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(lambda: holder_pid() == server.pid, what="the embedded scheduler's lease")
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=20) == 0, log.read_text()
    finally:
        if server.poll() is None:
            server.kill()
    db.session.remove()
    assert holder_pid() is None, "the lease must be released, not left to expire in 5 minutes"
    assert "Traceback" not in log.read_text()


def test_run_once_and_jobs_commands(app, user, freeze):
    freeze("2026-04-29T09:00:00+07:00")
    register_many(user, 1)
    freeze("2026-05-06T00:01:00+07:00")
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["scheduler", "jobs"])
    assert listed.exit_code == 0 and listed.output.splitlines()[0].startswith("timers\t30 s\t")
    once = runner.invoke(args=["scheduler", "run-once", "timers"])
    assert once.exit_code == 0, once.output
    assert once.output.startswith("timers\t") and "'fired': 1" in once.output
    unknown = runner.invoke(args=["scheduler", "run-once", "khong-co"])
    assert unknown.exit_code != 0 and "Không có tác vụ khong-co" in unknown.output
    assert "Chưa có bộ lập lịch" in runner.invoke(args=["scheduler", "status"]).output

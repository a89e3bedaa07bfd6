"""`flask scheduler run | run-once [JOB...] | jobs | status`: the background jobs for operators."""

from __future__ import annotations

import logging

import click
from flask import current_app

from app.jobs import JOBS, JOBS_BY_ID, run_job
from app.jobs import lease as leases


@click.group("scheduler")
def scheduler() -> None:
    """Run and inspect the background jobs (timers, reminders, e-mail, digests, weekly tables)."""


@scheduler.command("run")
def run_cmd() -> None:
    """Run the scheduler in this process until stopped (production; holds the database lease)."""
    from app.jobs.scheduler import run_blocking

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    run_blocking(current_app._get_current_object())  # type: ignore[attr-defined]


@scheduler.command("run-once")
@click.argument("job_ids", nargs=-1)
def run_once_cmd(job_ids: tuple[str, ...]) -> None:
    """Run the named jobs (default: all) once now, without the lease; prints one line per job."""
    unknown = [j for j in job_ids if j not in JOBS_BY_ID]
    if unknown:
        raise click.ClickException(f"Không có tác vụ {', '.join(unknown)}; có: {', '.join(JOBS_BY_ID)}.")
    failed = False
    for job in [JOBS_BY_ID[j] for j in job_ids] if job_ids else JOBS:
        run = run_job(job, holder="cli")
        failed |= not run.is_ok
        state = "ok" if run.is_ok else f"LỖI: {run.error}"
        click.echo(f"{job.id}\t{run.duration_ms} ms\t{state}\t{run.summary}")
    if failed:
        raise click.ClickException("Có tác vụ bị lỗi.")


@scheduler.command("jobs")
def jobs_cmd() -> None:
    """List the jobs with their ids and configured intervals."""
    for job in JOBS:
        click.echo(f"{job.id}\t{current_app.config[job.interval_key]} s\t{job.description}")


@scheduler.command("status")
def status_cmd() -> None:
    """Who holds the scheduler lease, until when."""
    lease = leases.current()
    if lease is None or not lease.holder:
        click.echo("Chưa có bộ lập lịch nào giữ quyền chạy.")
        return
    live = lease.expires_at > leases.wall_now()
    click.echo(f"{lease.holder}\t{'đang giữ' if live else 'hết hạn'}\t{lease.expires_at.isoformat()}")

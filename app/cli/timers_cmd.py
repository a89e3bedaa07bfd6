"""`flask timers run-due`: fire every timer due at the clock's now."""

from __future__ import annotations

import click

from app.services.timers import run_due


@click.group("timers")
def timers() -> None:
    """Process timers."""


@timers.command("run-due")
def run_due_cmd() -> None:
    result = run_due()
    click.echo(f"Đã kích hoạt {result.fired} hẹn giờ; lỗi: {len(result.failed)}")
    for instance_id, message in result.failed:
        click.echo(f"  quy trình #{instance_id}: {message}", err=True)

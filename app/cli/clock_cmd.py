"""`flask clock set ISO`, `flask clock reset`, `flask clock show`: freeze the clock for training, tests."""

from __future__ import annotations

from datetime import datetime

import click

from app import clock
from app.extensions import db


@click.group("clock")
def clock_group() -> None:
    """Show, freeze or release the application clock."""


@clock_group.command("set")
@click.argument("instant")
def set_clock(instant: str) -> None:
    """Freeze the clock at INSTANT (ISO 8601; without an offset, Vietnam time)."""
    try:
        value = datetime.fromisoformat(instant)
    except ValueError as exc:
        raise click.ClickException(f"Thời điểm không hợp lệ: {instant}") from exc
    try:
        clock.freeze(value)
    except PermissionError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(clock.now().isoformat())


@clock_group.command("reset")
def reset_clock() -> None:
    """Release the clock: real time again."""
    try:
        clock.release()
    except PermissionError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(clock.now().isoformat())


@clock_group.command("show")
def show_clock() -> None:
    click.echo(clock.now().isoformat())

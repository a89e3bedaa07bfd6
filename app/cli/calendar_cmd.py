"""`flask calendar ...`: working-day arithmetic and the override list from the command line.

Output is a contract (other tools parse it): `add-days` prints one `YYYY-MM-DD`, `between` one
integer, `export` the CSV; errors go to stderr with a non-zero exit status.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from sqlalchemy import select

from app.calendar import CalendarRangeError
from app.extensions import db
from app.models import User
from app.services import calendar_admin
from app.services.calendar_service import current_calendar


@click.group("calendar")
def calendar_group() -> None:
    """Working days of state agencies (Civil Code 2015 art. 147-148)."""


def _date(text: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError as exc:
        raise click.BadParameter(f"'{text}' không phải ngày YYYY-MM-DD.") from exc


@calendar_group.command("add-days")
@click.argument("start")
@click.argument("days", type=click.IntRange(min=1))
def add_days(start: str, days: int) -> None:
    """Print the DAYS-th working day after START (START itself not counted)."""
    try:
        click.echo(current_calendar().add_working_days(_date(start), days).isoformat())
    except CalendarRangeError as exc:
        raise click.ClickException(f"Ngoài phạm vi lịch hỗ trợ: {exc}") from exc


@calendar_group.command("between")
@click.argument("start")
@click.argument("end")
def between(start: str, end: str) -> None:
    """Print the number of working days d with START < d <= END (negative if END is earlier)."""
    try:
        click.echo(current_calendar().working_days_between(_date(start), _date(end)))
    except CalendarRangeError as exc:
        raise click.ClickException(f"Ngoài phạm vi lịch hỗ trợ: {exc}") from exc


@calendar_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", "username", default=None, help="Account recorded as the author in the audit trail.")
def import_file(file: Path, username: str | None) -> None:
    """Add or change the overrides listed in FILE (date,kind,name,reference)."""
    actor = None
    if username is not None:
        actor = db.session.scalar(select(User).where(User.username == username))
        if actor is None:
            raise click.ClickException(f"Không có người dùng '{username}'.")
    try:
        result = calendar_admin.import_csv(actor, file.read_bytes(), file.name)
    except calendar_admin.OverrideCSVError as exc:
        db.session.rollback()
        for message in exc.messages_vi:
            click.echo(message, err=True)
        raise click.ClickException("Không nhập: tệp có lỗi, lịch không thay đổi.") from exc
    db.session.commit()
    click.echo(
        f"Đã nhập {file.name}: thêm {result.added}, sửa {result.changed}, không đổi {result.unchanged}"
    )


@calendar_group.command("export")
@click.argument("year", type=click.IntRange(1990, 2100))
def export(year: int) -> None:
    """Print the overrides in force for YEAR as CSV (date,kind,name,reference)."""
    click.echo(calendar_admin.export_csv(year), nl=False)

"""`flask reports ...`: open due report periods, choose a schedule variant, print a summary."""

from __future__ import annotations

from datetime import date

import click
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import Unit
from app.services.reports import periods, rules
from app.services.reports.prefill import percent
from app.services.reports.scope import build_scope
from app.services.reports.summary import compute


@click.group("reports")
def reports() -> None:
    """Periodic reports (R13)."""


@reports.command("start-due")
def start_due() -> None:
    """Open every periodic report due at the clock's now (the daily job; idempotent)."""
    opened = periods.start_due_report_periods(clock.now())
    db.session.commit()
    click.echo(f"Đã mở {len(opened)} kỳ báo cáo.")
    for period in opened:
        click.echo(f"  {period.title}: cơ quan gửi trước {period.agency_due_on:%d/%m/%Y}, "
                   f"Văn phòng tổng hợp trước {period.office_due_on:%d/%m/%Y}")  # fmt: skip


@reports.command("variant")
@click.argument("value", required=False)
def variant(value: str | None) -> None:
    """Show or set the schedule variant used where a regulation contradicts itself ("" = default)."""
    if value is not None:
        rules.set_schedule_variant("" if value in {"-", "default", "mac-dinh"} else value)
        db.session.commit()
    click.echo(f"Phương án lịch báo cáo: {rules.schedule_variant() or '(mặc định của bảng quyết định)'}")


@reports.command("summary")
@click.option("--from", "start", required=True, help="YYYY-MM-DD")
@click.option("--to", "end", required=True, help="YYYY-MM-DD")
@click.option("--unit", "unit_code", default=None, help="mã đơn vị phạm vi (mặc định: cấp cao nhất)")
def summary(start: str, end: str, unit_code: str | None) -> None:
    """Print the four categories and the on-time rate per unit (tab separated)."""
    query = (
        select(Unit).where(Unit.code == unit_code)
        if unit_code
        else select(Unit).where(Unit.parent_id.is_(None))
    )
    unit = db.session.scalar(query.limit(1))
    if unit is None:
        raise click.ClickException("Không tìm thấy đơn vị.")
    report = compute(build_scope(unit), date.fromisoformat(start), date.fromisoformat(end), with_lists=False)
    click.echo(
        "unit\treceived\tcompleted_on_time\tcompleted_late\tin_progress_on_time\toverdue\ton_time_rate"
    )
    for row in [*report.rows]:
        f = row.figures
        click.echo(f"{row.code}\t{f.received}\t{f.completed_on_time}\t{f.completed_late}\t"
                   f"{f.in_progress_on_time}\t{f.overdue}\t{percent(f.on_time_rate)}")  # fmt: skip
    t = report.total
    click.echo(f"TOTAL\t{t.received}\t{t.completed_on_time}\t{t.completed_late}\t{t.in_progress_on_time}\t"
               f"{t.overdue}\t{percent(t.on_time_rate)}")  # fmt: skip

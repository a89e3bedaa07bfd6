"""`flask init [--demo]` and `flask seed demo`: idempotent set-up used by `make run` and deployments."""

from __future__ import annotations

import click
from flask_migrate import upgrade

from app.extensions import db
from app.services.calendar_admin import seed_shipped
from app.services.locking import deployment_lock
from app.services.models_deploy import deploy_directory
from app.services.seed import USERS, demo_password, seed_demo


@click.command("init")
@click.option("--demo", is_flag=True, help="Also load the demo organisation, users and directives.")
def init(demo: bool) -> None:
    """Apply migrations, deploy the models in bpmn/, store the shipped calendar swaps (and the demo
    data with --demo).

    Containers starting together each run this: the deployment lock makes them take turns.
    """
    with deployment_lock():
        upgrade()
        for outcome in deploy_directory():
            state = "triển khai mới" if outcome.changed else "không đổi"
            click.echo(f"Quy trình {outcome.process_id}: phiên bản {outcome.version} ({state})")
        seeded = seed_shipped()
        click.echo(
            f"Lịch ngày làm việc: nạp {seeded} ngày điều chỉnh kèm theo"
            if seeded
            else "Lịch ngày làm việc: không đổi"
        )
        db.session.commit()
    if demo:
        _load_demo()


@click.group("seed")
def seed() -> None:
    """Load sample data."""


@seed.command("demo")
def seed_demo_cmd() -> None:
    """Load the demo organisation, users and directives (idempotent)."""
    _load_demo()


def _load_demo() -> None:
    created = seed_demo()
    db.session.commit()
    click.echo("Đã nạp dữ liệu mẫu." if created else "Dữ liệu mẫu đã có, không thay đổi.")
    click.echo(f"Tài khoản mẫu (mật khẩu: {demo_password()}): " + ", ".join(u[0] for u in USERS))

"""`flask users token USERNAME`: print a new API token for that user."""

from __future__ import annotations

import click
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.services.tokens import issue_token


@click.group("users")
def users() -> None:
    """Manage user accounts."""


@users.command("token")
@click.argument("username")
def token(username: str) -> None:
    """Print a new bearer token for USERNAME (nothing else on stdout)."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"Không có người dùng '{username}'.")
    value = issue_token(user)
    db.session.commit()
    click.echo(value)

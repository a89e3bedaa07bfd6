"""`flask rules profile [PROFILE_ID]`, `flask rules list`: the regulation profile in force."""

from __future__ import annotations

import click

from app.extensions import db
from app.services import rules


@click.group("rules")
def rules_group() -> None:
    """Regulation profiles (quy chế) and their decision tables."""


@rules_group.command("profile")
@click.argument("profile_id", required=False)
def profile(profile_id: str | None) -> None:
    """Set the active profile to PROFILE_ID (new directives only); without it, print the active one."""
    if profile_id is None:
        click.echo(rules.active_profile())
        return
    try:
        chosen = rules.set_active_profile(profile_id, actor_id=None)
    except rules.UnknownProfile as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(chosen.id)


@rules_group.command("list")
def list_profiles() -> None:
    """Print every profile: id, instrument, name (the active one marked with *)."""
    active = rules.active_profile()
    for item in rules.profiles():
        mark = "*" if item.id == active else " "
        click.echo(f"{mark} {item.id}\t{item.instrument}\t{item.name}")

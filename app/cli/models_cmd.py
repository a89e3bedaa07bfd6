"""`flask bpmn deploy [DIR]`: validate and deploy model files without the browser."""

from __future__ import annotations

from pathlib import Path

import click

from app.extensions import db
from app.services.models_deploy import deploy_directory
from app.workflow import InvalidModel


@click.group("bpmn")
def bpmn() -> None:
    """Deploy process models."""


@bpmn.command("deploy")
@click.argument("directory", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--note", default=None, help="Change note recorded with the new versions.")
def deploy(directory: Path | None, note: str | None) -> None:
    try:
        outcomes = deploy_directory(directory, note=note)
    except InvalidModel as exc:
        for problem in exc.problems:
            where = f"{problem.file}#{problem.element_id}" if problem.element_id else problem.file
            click.echo(f"{where}: {problem.message}", err=True)
        raise click.ClickException("Không triển khai: mô hình có lỗi.") from exc
    db.session.commit()
    for outcome in outcomes:
        click.echo(
            f"{outcome.process_id}\t{outcome.version}\t{'changed' if outcome.changed else 'unchanged'}"
        )

"""`flask bpmn deploy [FILE|DIR]...`: validate and deploy model files without the browser.

With no argument the configured directory (`bpmn/`) is deployed; files (`.bpmn`, `.dmn`, form
`.json`, `lanes.json`) and directories are laid over the model workspace and deployed together,
through the same validation as the modeler and `POST /api/v1/models`. Nothing is deployed when
any file is refused.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from app.extensions import db
from app.services.model_workspace import WorkspaceError
from app.services.models_deploy import deploy_paths
from app.workflow import InvalidModel


@click.group("bpmn")
def bpmn() -> None:
    """Deploy process models."""


@bpmn.command("deploy")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--note", default=None, help="Change note recorded with the new versions.")
def deploy(paths: tuple[Path, ...], note: str | None) -> None:
    targets = list(paths) or [Path(current_app.config["DONDOC_BPMN_DIR"])]
    try:
        result = deploy_paths(targets, note=note)
    except InvalidModel as exc:
        for problem in exc.problems:
            where = f"{problem.file}#{problem.element_id}" if problem.element_id else problem.file
            click.echo(f"{where}: {problem.message}", err=True)
        raise click.ClickException("Không triển khai: mô hình có lỗi.") from exc
    except WorkspaceError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    for line in result.notes:
        click.echo(f"# {line}", err=True)
    for outcome in result.outcomes:
        click.echo(
            f"{outcome.process_id}\t{outcome.version}\t{'changed' if outcome.changed else 'unchanged'}"
        )

"""Deploy model files from disk (normally `bpmn/`): BPMN, DMN under rules/, forms/, lanes.json.

Files go through the model workspace (`model_workspace.py`), exactly like a deployment from the
browser or the API, so every path runs the same validation and leaves the same history.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import current_app

from app.extensions import db
from app.models import User
from app.services import model_workspace
from app.services.model_workspace import WorkspaceDeploy
from app.workflow import DeployOutcome, ModelFiles


def read_model_dir(directory: Path) -> ModelFiles:
    return ModelFiles(
        bpmn={p.name: p.read_bytes() for p in sorted(directory.glob("*.bpmn"))},
        dmn={p.name: p.read_bytes() for p in sorted(directory.glob("rules/*.dmn"))},
        forms={p.name: p.read_bytes() for p in sorted(directory.glob("forms/*.json"))},
        lane_roles=json.loads((directory / "lanes.json").read_text(encoding="utf-8")),
        profiles=_profile_ids(directory),
    )


def _profile_ids(directory: Path) -> tuple[str, ...]:
    catalogue = directory / "rules" / "profiles.json"
    if not catalogue.exists():
        return ()
    return tuple(p["id"] for p in json.loads(catalogue.read_text(encoding="utf-8"))["profiles"])


def deploy_directory(
    directory: Path | None = None,
    *,
    actor_id: int | None = None,
    note: str | None = None,
    force: bool = False,
) -> list[DeployOutcome]:
    """Deploy `directory` (idempotent): only files changed since their last import are taken,
    unless `force`, so a restart never undoes a deployment made in the browser."""
    directory = directory or Path(current_app.config["DONDOC_BPMN_DIR"])
    overrides = model_workspace.import_directory(directory, force=force)
    actor = db.session.get(User, actor_id) if actor_id else None
    result = model_workspace.deploy(
        overrides, actor=actor, note=note or f"Triển khai từ thư mục {directory.name}/"
    )
    model_workspace.mark_imported(overrides)
    return result.outcomes


def deploy_paths(paths: list[Path], *, note: str | None, actor: User | None = None) -> WorkspaceDeploy:
    """`flask bpmn deploy FILE...`: files and directories laid over the workspace, then deployed."""
    overrides: dict[str, bytes] = {}
    imported: dict[str, bytes] = {}
    for path in paths:
        if path.is_dir():
            found = model_workspace.import_directory(path, force=True)
            imported.update(found)
            overrides.update(found)
        else:
            overrides[model_workspace.path_for_upload(path.name)] = path.read_bytes()
    names = ", ".join(p.name for p in paths)
    result = model_workspace.deploy(overrides, actor=actor, note=note or f"Triển khai tệp {names}")
    model_workspace.mark_imported(imported)
    return result

"""Deploy the model files of a directory (normally `bpmn/`): BPMN, DMN under rules/, forms/."""

from __future__ import annotations

import json
from pathlib import Path

from flask import current_app

from app import clock
from app.services import audit
from app.workflow import DeployOutcome, ModelFiles, deploy_models


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
    directory: Path | None = None, *, actor_id: int | None = None, note: str | None = None
) -> list[DeployOutcome]:
    """Deploy every model in `directory`; unchanged models keep their version (idempotent)."""
    directory = directory or Path(current_app.config["DONDOC_BPMN_DIR"])
    outcomes = deploy_models(
        read_model_dir(directory),
        now=clock.now(),
        actor_id=actor_id,
        note=note or f"Triển khai từ thư mục {directory.name}/",
        max_bytes=current_app.config["DONDOC_MAX_MODEL_BYTES"],
    )
    changed = [o for o in outcomes if o.changed]
    if changed:
        audit.record(
            "models_deployed",
            actor_id=actor_id,
            details={"versions": {o.process_id: o.version for o in changed}, "note": note},
        )
    return outcomes

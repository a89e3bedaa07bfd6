"""The model workspace: every BPMN, DMN, form and lanes file that the modeler opens and deploys.

One deployment always compiles the whole workspace (a DMN change must reach every process that
calls it), with the changed files laid over it; the engine adapter then stores a new version of
each process whose hash changed. Drafts are kept beside the deployed text until deployed. The
`bpmn/` directory seeds the workspace; `flask init` re-imports a file only when the directory
changed since its last import, so restarting the app never undoes an analyst's deployment.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import ModelFile, ProcessModelVersion, User
from app.services import audit, rules
from app.workflow import DeployOutcome, ModelFiles, deploy_files, validate_files

PATH_PATTERN = re.compile(r"^(?:rules/[\w.-]+\.dmn|forms/[\w.-]+\.json|[\w.-]+\.bpmn|lanes\.json)$")
LANES = "lanes.json"


class WorkspaceError(ValueError):
    """A request the workspace refuses (bad file name, missing change note): 422 with this message."""


@dataclass
class WorkspaceDeploy:
    outcomes: list[DeployOutcome]
    changed_files: list[str]
    notes: list[str]

    @property
    def new_versions(self) -> dict[str, int]:
        return {o.process_id: o.version for o in self.outcomes if o.changed}


def kind_of(path: str) -> str:
    if path == LANES:
        return "lanes"
    return {"bpmn": "bpmn", "dmn": "dmn", "json": "form"}[path.rsplit(".", 1)[-1]]


def check_path(path: str) -> str:
    if not PATH_PATTERN.match(path or ""):
        raise WorkspaceError(
            f"Tên tệp '{path}' không hợp lệ: dùng <tên>.bpmn, rules/<tên>.dmn, forms/<tên>.json "
            "hoặc lanes.json (chữ, số, dấu gạch)."
        )
    return path


def path_for_upload(file_name: str) -> str:
    """Where an uploaded file belongs: `x.dmn` goes to rules/, a form `x.json` to forms/."""
    name = Path(file_name or "").name
    if name.endswith(".dmn"):
        return check_path(f"rules/{name}")
    if name.endswith(".json") and name != LANES:
        return check_path(f"forms/{name}")
    return check_path(name)


def files() -> list[ModelFile]:
    return list(db.session.scalars(select(ModelFile).order_by(ModelFile.kind, ModelFile.path)))


def get(path: str) -> ModelFile | None:
    found: ModelFile | None = db.session.scalar(select(ModelFile).where(ModelFile.path == path))
    return found


def model_files(overrides: dict[str, bytes] | None = None) -> ModelFiles:
    """The workspace as the engine adapter reads it, with `overrides` laid over the stored files."""
    contents = {row.path: row.content.encode() for row in files() if row.content}
    contents.update(overrides or {})
    # The profile catalogue (bpmn/rules/profiles.json) is metadata, not a model file: every table
    # keyed by `profile` must still answer for each profile it lists.
    profiles = tuple(p.id for p in rules.profiles())
    result = ModelFiles(bpmn={}, dmn={}, forms={}, lane_roles={}, profiles=profiles)
    for path, content in sorted(contents.items()):
        kind, name = kind_of(path), path.rsplit("/", 1)[-1]
        if kind == "lanes":
            result.lane_roles = json.loads(content)
        else:
            {"bpmn": result.bpmn, "dmn": result.dmn, "form": result.forms}[kind][name] = content
    return result


def _paths(deployed: ModelFiles) -> dict[str, bytes]:
    out = {name: content for name, content in deployed.bpmn.items()}
    out.update({f"rules/{name}": content for name, content in deployed.dmn.items()})
    out.update({f"forms/{name}": content for name, content in deployed.forms.items()})
    return out


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def validate(overrides: dict[str, bytes]) -> list[str]:
    """Every deploy check on the workspace with `overrides`; raises `InvalidModel`, stores nothing."""
    for path in overrides:
        check_path(path)
    return validate_files(model_files(overrides), max_bytes=current_app.config["DONDOC_MAX_MODEL_BYTES"])


def deploy(
    overrides: dict[str, bytes], *, actor: User | None, note: str, action: str = "models_deployed"
) -> WorkspaceDeploy:
    """Validate the workspace with `overrides`, store new versions and the files; audited."""
    note = (note or "").strip()
    if not note:
        raise WorkspaceError("Vui lòng ghi lý do thay đổi (bắt buộc khi triển khai).")
    for path in overrides:
        check_path(path)
    actor_id = actor.id if actor else None
    now = clock.now()
    report = deploy_files(
        model_files(overrides),
        now=now,
        actor_id=actor_id,
        note=note,
        max_bytes=current_app.config["DONDOC_MAX_MODEL_BYTES"],
    )
    texts = _paths(report.files)
    if LANES in overrides:
        texts[LANES] = overrides[LANES]
    changed = _store(texts, set(overrides), actor_id, now)
    result = WorkspaceDeploy(report.outcomes, changed, report.notes)
    if changed or result.new_versions:
        audit.record(
            action,
            actor_id=actor_id,
            details={"files": changed, "versions": result.new_versions, "note": note, "notes": report.notes},
        )
    return result


def _store(texts: dict[str, bytes], overridden: set[str], actor_id: int | None, now: datetime) -> list[str]:
    changed = []
    for path, content in sorted(texts.items()):
        row = get(path)
        text = content.decode()
        if row is None:
            row = ModelFile(path=path, kind=kind_of(path), content="", sha256="", updated_at=now)
            db.session.add(row)
        if row.content != text:
            row.content, row.sha256 = text, _sha(content)
            row.updated_at, row.updated_by_id = now, actor_id
            changed.append(path)
        if path in overridden or row.draft == text:
            row.draft = row.draft_saved_at = row.draft_saved_by_id = None
    db.session.flush()
    return changed


def save_draft(path: str, content: str, *, actor: User) -> ModelFile:
    """Keep an analyst's unfinished work; nothing runs on a draft until it is deployed."""
    check_path(path)
    row = get(path)
    now = clock.now()
    if row is None:
        row = ModelFile(path=path, kind=kind_of(path), content="", sha256="", updated_at=now)
        db.session.add(row)
    row.draft, row.draft_saved_at, row.draft_saved_by_id = content, now, actor.id
    audit.record(
        "model_draft_saved", actor_id=actor.id, details={"file": path, "bytes": len(content.encode())}
    )
    db.session.flush()
    return row


def import_directory(directory: Path, *, force: bool) -> dict[str, bytes]:
    """Files of `directory` to lay over the workspace: all with `force`, else the ones it changed."""
    found = {p.name: p for p in directory.glob("*.bpmn")}
    found.update({f"rules/{p.name}": p for p in directory.glob("rules/*.dmn")})
    found.update({f"forms/{p.name}": p for p in directory.glob("forms/*.json")})
    if (directory / LANES).exists():
        found[LANES] = directory / LANES
    overrides = {}
    for path, file in sorted(found.items()):
        content = file.read_bytes()
        row = get(path)
        if force or row is None or row.origin_sha256 != _sha(content):
            overrides[path] = content
    return overrides


def mark_imported(overrides: dict[str, bytes]) -> None:
    for path, content in overrides.items():
        row = get(path)
        if row is not None:
            row.origin_sha256 = _sha(content)


def version_files(version: ProcessModelVersion) -> dict[str, bytes]:
    """The files that made up one deployed version, as workspace paths (to roll back to it)."""
    out = {version.file_name: version.content.encode()}
    out.update({f"rules/{name}": text.encode() for name, text in version.bundle.get("dmn", {}).items()})
    out.update(
        {
            f"forms/{name}": json.dumps(schema, ensure_ascii=False, indent=2).encode()
            for name, schema in version.bundle.get("forms", {}).items()
        }
    )
    return out


def rollback(version: ProcessModelVersion, *, actor: User, note: str) -> WorkspaceDeploy:
    """Redeploy an older version's files as a new version: the history keeps both."""
    note = (note or "").strip()
    if not note:
        raise WorkspaceError("Vui lòng ghi lý do quay lại phiên bản cũ.")
    return deploy(
        version_files(version),
        actor=actor,
        note=f"Quay lại phiên bản {version.version}: {note}",
        action="models_rolled_back",
    )

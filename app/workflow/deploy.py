"""Deploy model files as process model versions: a new version only when the content changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from app.extensions import db
from app.models import ProcessModelVersion
from app.workflow.compiler import CompiledProcess, ModelFiles, compile_workspace


@dataclass(frozen=True)
class DeployOutcome:
    process_id: str
    version: int
    changed: bool


@dataclass
class DeployReport:
    """What a deployment did, and the files as deployed (Camunda files come back translated)."""

    outcomes: list[DeployOutcome]
    files: ModelFiles
    notes: list[str] = field(default_factory=list)


def deploy_models(
    files: ModelFiles, *, now: datetime, actor_id: int | None, note: str | None, max_bytes: int
) -> list[DeployOutcome]:
    """Validate everything first (all or nothing), then store the processes whose hash changed."""
    return deploy_files(files, now=now, actor_id=actor_id, note=note, max_bytes=max_bytes).outcomes


def deploy_files(
    files: ModelFiles, *, now: datetime, actor_id: int | None, note: str | None, max_bytes: int
) -> DeployReport:
    compilation = compile_workspace(files, max_bytes=max_bytes)
    outcomes = [_store(c, now=now, actor_id=actor_id, note=note) for c in compilation.processes]
    return DeployReport(outcomes, compilation.files, compilation.notes)


def validate_files(files: ModelFiles, *, max_bytes: int) -> list[str]:
    """Run every deploy check without storing anything; returns translation notes or raises."""
    return compile_workspace(files, max_bytes=max_bytes).notes


def _store(
    compiled: CompiledProcess, *, now: datetime, actor_id: int | None, note: str | None
) -> DeployOutcome:
    active = db.session.scalars(
        select(ProcessModelVersion).where(
            ProcessModelVersion.process_id == compiled.process_id, ProcessModelVersion.is_active.is_(True)
        )
    ).first()
    if active is not None and active.sha256 == compiled.sha256:
        return DeployOutcome(compiled.process_id, active.version, changed=False)
    latest = db.session.scalar(
        select(func.max(ProcessModelVersion.version)).where(
            ProcessModelVersion.process_id == compiled.process_id
        )
    )
    if active is not None:
        active.is_active = False
    version = ProcessModelVersion(
        process_id=compiled.process_id,
        name=compiled.name,
        version=(latest or 0) + 1,
        file_name=compiled.file_name,
        content=compiled.content,
        bundle=compiled.bundle,
        sha256=compiled.sha256,
        spec=compiled.spec_json,
        is_active=True,
        deployed_at=now,
        deployed_by_id=actor_id,
        change_note=note,
    )
    db.session.add(version)
    db.session.flush()
    return DeployOutcome(compiled.process_id, version.version, changed=True)

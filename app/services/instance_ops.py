"""Operations on running processes: suspend, resume, terminate, migrate to another model version.

Every operation needs a reason and leaves an audit row. Lists read the `process_instance` table
only; the engine is loaded for one instance at a time (its diagram, its operation, or one row of a
migration report). A suspended instance keeps its work items and timers; nothing moves it (the
adapter refuses completion, the timer sweep skips it) until it is resumed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.i18n_marker import N_
from app.models import ProcessInstance, ProcessModelVersion, User
from app.services import audit
from app.services.model_workspace import WorkspaceError
from app.workflow import MigrationPlan, MigrationRefused, migrate_instance, plan_migration, terminate_instance

LIVE = ("running", "suspended")
STATUS_LABELS = {
    "running": N_("Đang chạy"),
    "suspended": N_("Tạm dừng"),
    "terminated": N_("Đã chấm dứt"),
    "completed": N_("Đã kết thúc"),
}


@dataclass(frozen=True)
class VersionRow:
    version: ProcessModelVersion
    counts: dict[str, int]


def versions_with_counts(process_id: str) -> list[VersionRow]:
    versions = db.session.scalars(
        select(ProcessModelVersion)
        .where(ProcessModelVersion.process_id == process_id)
        .order_by(ProcessModelVersion.version.desc())
    ).all()
    counts: dict[int, dict[str, int]] = {}
    for version_id, status, number in db.session.execute(
        select(ProcessInstance.model_version_id, ProcessInstance.status, func.count())
        .where(ProcessInstance.process_id == process_id)
        .group_by(ProcessInstance.model_version_id, ProcessInstance.status)
    ):
        counts.setdefault(version_id, {})[status] = number
    return [VersionRow(v, counts.get(v.id, {})) for v in versions]


def instances_of(version: ProcessModelVersion, limit: int = 200) -> list[ProcessInstance]:
    return list(
        db.session.scalars(
            select(ProcessInstance)
            .where(ProcessInstance.model_version_id == version.id)
            .order_by(ProcessInstance.id.desc())
            .limit(limit)
        )
    )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise WorkspaceError("Vui lòng ghi lý do.")
    return reason


def _record(action: str, instance: ProcessInstance, actor: User, details: dict[str, object]) -> None:
    audit.record(
        action,
        actor_id=actor.id,
        directive_id=instance.directive_id,
        task_id=instance.task_id,
        instance_id=instance.id,
        details=details,
    )


def suspend(instance: ProcessInstance, *, actor: User, reason: str) -> None:
    reason = _reason(reason)
    if instance.status != "running":
        raise WorkspaceError("Chỉ tạm dừng được quy trình đang chạy.")
    instance.status, instance.updated_at = "suspended", clock.now()
    _record("instance_suspended", instance, actor, {"reason": reason})


def resume(instance: ProcessInstance, *, actor: User, reason: str) -> None:
    reason = _reason(reason)
    if instance.status != "suspended":
        raise WorkspaceError("Chỉ tiếp tục được quy trình đang tạm dừng.")
    instance.status, instance.updated_at = "running", clock.now()
    _record("instance_resumed", instance, actor, {"reason": reason})


def terminate(instance: ProcessInstance, *, actor: User, reason: str) -> None:
    reason = _reason(reason)
    terminate_instance(instance, now=clock.now(), actor_id=actor.id)
    _record("instance_terminated", instance, actor, {"reason": reason})


@dataclass(frozen=True)
class MigrationRow:
    instance: ProcessInstance
    plan: MigrationPlan


def migration_report(source: ProcessModelVersion, target: ProcessModelVersion) -> list[MigrationRow]:
    """Dry run for every live instance of `source`: which would move to `target`, and why not."""
    now = clock.now()
    rows = db.session.scalars(
        select(ProcessInstance)
        .where(ProcessInstance.model_version_id == source.id, ProcessInstance.status.in_(LIVE))
        .order_by(ProcessInstance.id)
    ).all()
    return [MigrationRow(i, plan_migration(i, target, now=now)) for i in rows]


def migrate(
    instances: list[ProcessInstance], target: ProcessModelVersion, *, actor: User, reason: str
) -> list[MigrationRow]:
    """Move each instance that can move; the ones that cannot are reported and left untouched."""
    reason = _reason(reason)
    now = clock.now()
    done = []
    for instance in instances:
        source = instance.model_version.version
        try:
            plan = migrate_instance(instance, target, now=now, actor_id=actor.id)
        except MigrationRefused as exc:
            done.append(MigrationRow(instance, MigrationPlan(reasons=exc.reasons)))
            continue
        _record(
            "instance_migrated",
            instance,
            actor,
            {"from_version": source, "to_version": target.version, "reason": reason, "changed": plan.changed},
        )
        done.append(MigrationRow(instance, plan))
    return done

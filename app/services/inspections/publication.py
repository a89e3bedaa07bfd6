"""Publishing inspection conclusions (R12, 001:17.3.b) and the read function the public page calls.

When the regulation in force requires publication, the process has a step for it; otherwise the
conducting unit may publish a concluded inspection from its page. Either way `mark_published`
stamps every conclusion, and `published_conclusions()` is all the public page needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.forms import FormInvalid
from app.models import Inspection, InspectionConclusion, User
from app.services import audit
from app.services.inspections.access import can_manage_inspection
from app.services.inspections.labels import SEVERITIES


@dataclass(frozen=True)
class PublishedConclusion:
    """What the public page shows: no internal ids beyond the inspection's, no personal data."""

    inspection_id: int
    inspection_title: str
    decision_reference: str | None
    decision_signed_on: date | None
    unit_name: str
    finding: str
    nature: str | None
    severity: str
    cause: str | None
    responsibility: str | None
    published_at: datetime


def mark_published(inspection: Inspection, *, actor_id: int | None, at: datetime) -> None:
    for conclusion in inspection.conclusions:
        if conclusion.published_at is None:
            conclusion.published_at, conclusion.published_by_id = at, actor_id


def publish_conclusions(user: User, inspection: Inspection) -> Inspection:
    """Publish by hand (profiles that do not require it): only a concluded inspection, by its drafters."""
    if not can_manage_inspection(user, inspection):
        raise PermissionError("Bạn không có quyền công khai kết luận của đợt kiểm tra này.")
    if inspection.status not in {"concluded", "closed"} or not inspection.conclusions:
        raise FormInvalid({"_form": "Chỉ công khai được kết luận đã được người có thẩm quyền đồng ý."})
    now = clock.now()
    mark_published(inspection, actor_id=user.id, at=now)
    audit.record(
        "inspection_conclusions_published",
        actor_id=user.id,
        instance_id=inspection.instance_id,
        details={"inspection_id": inspection.id, "conclusions": len(inspection.conclusions)},
        at=now,
    )
    return inspection


def published_conclusions(limit: int = 200) -> list[PublishedConclusion]:
    """Published conclusions, newest first: the public transparency page lists these."""
    rows = db.session.scalars(
        select(InspectionConclusion)
        .where(InspectionConclusion.published_at.is_not(None))
        .order_by(InspectionConclusion.published_at.desc(), InspectionConclusion.id)
        .limit(limit)
    )
    return [
        PublishedConclusion(
            inspection_id=c.inspection_id,
            inspection_title=c.inspection.title,
            decision_reference=c.inspection.decision_reference,
            decision_signed_on=c.inspection.decision_signed_on,
            unit_name=c.unit.name,
            finding=c.finding,
            nature=c.nature,
            severity=SEVERITIES.get(c.severity, c.severity),
            cause=c.cause,
            responsibility=c.responsibility,
            published_at=c.published_at,  # type: ignore[arg-type]
        )
        for c in rows
    ]

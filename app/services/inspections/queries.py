"""Read side of the inspection pages: lists, open steps, timeline; projections only."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Inspection, InspectionPlan, Unit, User, WorkItem
from app.services.inspections.access import inspection_filter, owner_unit_for


def visible_inspections(user: User, limit: int = 200) -> list[Inspection]:
    return list(
        db.session.scalars(
            select(Inspection).where(inspection_filter(user)).order_by(Inspection.id.desc()).limit(limit)
        )
    )


def open_steps(inspection: Inspection) -> list[WorkItem]:
    if inspection.instance_id is None:
        return []
    return list(
        db.session.scalars(
            select(WorkItem)
            .where(WorkItem.instance_id == inspection.instance_id, WorkItem.state == "open")
            .order_by(WorkItem.id)
        )
    )


def inspection_of_item(item: WorkItem) -> Inspection | None:
    found: Inspection | None = db.session.scalar(
        select(Inspection).where(Inspection.instance_id == item.instance_id)
    )
    return found


def timeline(inspection: Inspection) -> list[AuditEvent]:
    if inspection.instance_id is None:
        return []
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.instance_id == inspection.instance_id).order_by(AuditEvent.id)
        )
    )


def plans_for(user: User) -> list[InspectionPlan]:
    owner = owner_unit_for(user)
    query = select(InspectionPlan).order_by(InspectionPlan.year.desc(), InspectionPlan.id.desc())
    if owner is not None:
        query = query.where(InspectionPlan.owner_unit_id == owner.id)
    else:
        from app.services.inspections.opening import can_approve_plan

        return [p for p in db.session.scalars(query.limit(200)) if can_approve_plan(user, p)]
    return list(db.session.scalars(query.limit(200)))


def approved_plans(owner: Unit) -> list[InspectionPlan]:
    return list(
        db.session.scalars(
            select(InspectionPlan)
            .where(InspectionPlan.owner_unit_id == owner.id, InspectionPlan.status == "approved")
            .order_by(InspectionPlan.year.desc())
        )
    )


def inspectable_units() -> list[Unit]:
    """Units that can be inspected: agencies and their sections, not the province or the Office."""
    return list(
        db.session.scalars(
            select(Unit)
            .where(Unit.kind.not_in(["province", "office"]), Unit.is_active.is_(True))
            .order_by(Unit.path)
        )
    )

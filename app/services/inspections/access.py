"""Who sees and who works on an inspection, checked on the server for every request.

- Oversight roles (Office, leadership, emulation council...) see the inspections conducted in the
  province or district they serve, as for directives (`app/services/authz.py`).
- An agency sees the inspections it conducts in its own scope and those that inspect it.
- Team members see the inspections they belong to.
- Managing (editing the proposal, the dossier, publishing, follow-up) belongs to the conducting
  unit's drafters: the Office's officers, or an agency's focal officer and head.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, false, or_, select

from app.extensions import db
from app.models import Inspection, InspectionMember, InspectionSubject, Role, Unit, User
from app.services.authz import OVERSIGHT_ROLES, has_role, office_unit_of

AGENCY_DRAFTERS = {Role.FOCAL_OFFICER, Role.AGENCY_HEAD}
OFFICE_DRAFTERS = {Role.OFFICE_OFFICER, Role.OFFICE_CHIEF}


def drafter_role_for(unit: Unit) -> str:
    """The user role that drafts a unit's inspections: the Office's officers, an agency's focal officer."""
    return str(Role.OFFICE_OFFICER) if unit.kind == "office" else str(Role.FOCAL_OFFICER)


def _oversight_paths(user: User) -> list[str]:
    paths = []
    for role in user.roles:
        if role.role in OVERSIGHT_ROLES:
            unit = role.unit
            scope = unit.parent if unit.kind == "office" and unit.parent is not None else unit
            paths.append(scope.path)
    return paths


def _agency_paths(user: User) -> list[str]:
    return [r.unit.path for r in user.roles if r.role not in OVERSIGHT_ROLES]


def _under(column: Any, paths: list[str]) -> ColumnElement[bool]:
    return or_(*(column.startswith(p, autoescape=True) for p in paths)) if paths else false()


def inspection_filter(user: User) -> ColumnElement[bool]:
    """SQL condition on `Inspection` rows the user may see."""
    owner_path = select(Unit.path).where(Unit.id == Inspection.owner_unit_id).scalar_subquery()
    agency = _agency_paths(user)
    inspected = exists(
        select(InspectionSubject.id)
        .join(Unit, Unit.id == InspectionSubject.unit_id)
        .where(InspectionSubject.inspection_id == Inspection.id, _under(Unit.path, agency))
    )
    member = exists(
        select(InspectionMember.id).where(
            InspectionMember.inspection_id == Inspection.id, InspectionMember.user_id == user.id
        )
    )
    return or_(_under(owner_path, _oversight_paths(user) + agency), inspected, member)


def can_view_inspection(user: User, inspection: Inspection) -> bool:
    found = db.session.scalar(
        select(Inspection.id).where(Inspection.id == inspection.id, inspection_filter(user))
    )
    return found is not None


def can_manage_inspection(user: User, inspection: Inspection) -> bool:
    """The conducting unit's drafters (Office officers, or the agency's focal officer and head)."""
    allowed = OFFICE_DRAFTERS if inspection.owner_unit.kind == "office" else AGENCY_DRAFTERS
    return any(r.unit_id == inspection.owner_unit_id and r.role in allowed for r in user.roles)


def is_member(user: User, inspection: Inspection) -> bool:
    return any(m.user_id == user.id for m in inspection.members)


def is_team_head(user: User, inspection: Inspection) -> bool:
    head = inspection.team_head
    return head is not None and head.user_id == user.id


def can_work_on_dossier(user: User, inspection: Inspection) -> bool:
    """Drafters and team members file documents into the dossier."""
    return can_manage_inspection(user, inspection) or is_member(user, inspection)


def owner_unit_for(user: User) -> Unit | None:
    """The unit whose inspections the user drafts: their Office, else the agency they are focal for."""
    office = office_unit_of(user)
    if office is not None:
        return office
    for role in user.roles:
        if role.role in AGENCY_DRAFTERS and role.unit.kind not in {"province", "office"}:
            return role.unit
    return None


def can_see_signals(user: User) -> bool:
    return office_unit_of(user) is not None or has_role(user, Role.LEADER)

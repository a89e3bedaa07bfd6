"""Server-side authorisation for every object: who sees which directive, task and work item.

Scopes are unit subtrees (the materialised `unit.path`): an agency's users see what concerns
their unit and its sub-units; the Office and the leadership see everything under the province or
district they serve. Every route and API call goes through these functions.

On top of the scope, a directive kept in the *separate register* (R14, profiles that track
confidential documents apart) is visible only to users cleared for its confidentiality level.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_, select

from app.extensions import db
from app.models import Directive, Role, Task, TaskCoordinator, Unit, User, UserRole, WorkItem

OVERSIGHT_ROLES = {Role.OFFICE_OFFICER, Role.OFFICE_CHIEF, Role.LEADER, Role.EMULATION_COUNCIL, Role.ADMIN}
CLEARANCE_LEVELS = ("normal", "confidential", "secret", "top_secret")


def cleared_levels(user: User) -> tuple[str, ...]:
    """Confidentiality levels the user may read in the separate register (theirs and below)."""
    level = user.clearance if user.clearance in CLEARANCE_LEVELS else "normal"
    return CLEARANCE_LEVELS[: CLEARANCE_LEVELS.index(level) + 1]


def register_filter(user: User) -> ColumnElement[bool]:
    """SQL condition on `Directive`: the main register, or a separate-register one the user is cleared for."""
    return or_(Directive.register != "separate", Directive.confidentiality.in_(cleared_levels(user)))


def _directive_readable(user: User, directive_id: int | None) -> bool:
    if directive_id is None:
        return True
    found = db.session.scalar(select(Directive.id).where(Directive.id == directive_id, register_filter(user)))
    return found is not None


def roles_of(user: User) -> list[tuple[str, int]]:
    return [(r.role, r.unit_id) for r in user.roles]


def has_role(user: User, *roles: str) -> bool:
    return any(r.role in roles for r in user.roles)


def _oversight_paths(user: User) -> list[str]:
    """Subtrees a user oversees: an Office's province (its parent), a leader's own unit."""
    paths = []
    for role in user.roles:
        if role.role not in OVERSIGHT_ROLES:
            continue
        unit = role.unit
        scope = unit.parent if unit.kind == "office" and unit.parent is not None else unit
        paths.append(scope.path)
    return paths


def _agency_paths(user: User) -> list[str]:
    return [r.unit.path for r in user.roles if r.role not in OVERSIGHT_ROLES]


def _under(column: Any, paths: list[str]) -> ColumnElement[bool]:
    if not paths:
        return false()
    return or_(*(column.startswith(p, autoescape=True) for p in paths))


def task_filter(user: User) -> ColumnElement[bool]:
    """SQL condition on `Task` rows the user may see."""
    office_unit = select(Unit.path).where(Unit.id == Directive.office_unit_id).scalar_subquery()
    lead_path = select(Unit.path).where(Unit.id == Task.lead_unit_id).scalar_subquery()
    coordinator_under = exists(
        select(TaskCoordinator.task_id)
        .join(Unit, Unit.id == TaskCoordinator.unit_id)
        .where(TaskCoordinator.task_id == Task.id, _under(Unit.path, _agency_paths(user)))
    )
    oversight = exists(
        select(Directive.id).where(
            Directive.id == Task.directive_id, _under(office_unit, _oversight_paths(user))
        )
    )
    readable = exists(select(Directive.id).where(Directive.id == Task.directive_id, register_filter(user)))
    return and_(readable, or_(oversight, _under(lead_path, _agency_paths(user)), coordinator_under))


def directive_filter(user: User) -> ColumnElement[bool]:
    office_path = select(Unit.path).where(Unit.id == Directive.office_unit_id).scalar_subquery()
    concerns_agency = exists(select(Task.id).where(Task.directive_id == Directive.id, task_filter(user)))
    return and_(register_filter(user), or_(_under(office_path, _oversight_paths(user)), concerns_agency))


def can_view_task(user: User, task: Task) -> bool:
    return db.session.scalar(select(Task.id).where(Task.id == task.id, task_filter(user))) is not None


def can_view_directive(user: User, directive: Directive) -> bool:
    found = db.session.scalar(
        select(Directive.id).where(Directive.id == directive.id, directive_filter(user))
    )
    return found is not None


def candidate_filter(user: User) -> ColumnElement[bool]:
    """Work items the user may claim: their role in the item's candidate unit."""
    pairs = roles_of(user)
    if not pairs:
        return false()
    readable = or_(
        WorkItem.directive_id.is_(None),
        exists(select(Directive.id).where(Directive.id == WorkItem.directive_id, register_filter(user))),
    )
    return and_(
        readable,
        or_(
            *(
                and_(WorkItem.candidate_role == role, WorkItem.candidate_unit_id == unit)
                for role, unit in pairs
            )
        ),
    )


def can_act_on(user: User, item: WorkItem) -> bool:
    """Act = claim, complete: the assignee, or any candidate while nobody has claimed it."""
    if not _directive_readable(user, item.directive_id):
        return False
    if item.assignee_id is not None:
        return item.assignee_id == user.id
    return (item.candidate_role, item.candidate_unit_id) in set(roles_of(user))


def can_view_work_item(user: User, item: WorkItem) -> bool:
    """Candidates and the assignee; the agency owning the step (its subtree); oversight roles.

    Seeing a directive is not enough: the Office's internal steps are not an agency's business.
    """
    if not _directive_readable(user, item.directive_id):
        return False
    if can_act_on(user, item) or item.assignee_id == user.id:
        return True
    unit_path = item.candidate_unit.path
    if any(unit_path.startswith(p) for p in _agency_paths(user)):
        return True
    if item.directive_id is None:
        return False
    directive = db.session.get(Directive, item.directive_id)
    return directive is not None and any(
        directive.office_unit.path.startswith(p) for p in _oversight_paths(user)
    )


def office_unit_of(user: User) -> Unit | None:
    """The Office unit a user registers directives for (their Office role's unit)."""
    for role in user.roles:
        if role.role in {Role.OFFICE_OFFICER, Role.OFFICE_CHIEF} and role.unit.kind == "office":
            return role.unit
    return None


def unit_role_pairs(user_id: int) -> list[tuple[str, int]]:
    return [
        (r.role, r.unit_id) for r in db.session.scalars(select(UserRole).where(UserRole.user_id == user_id))
    ]


def can_model(user: User) -> bool:
    """Analysts edit, validate and deploy models; the modeler and its API refuse everyone else."""
    return has_role(user, Role.ANALYST)


def can_change_rules(user: User) -> bool:
    """Administrators change the active regulation profile and the numbers of the decision tables."""
    return has_role(user, Role.ADMIN)


def can_operate_instances(user: User) -> bool:
    """Suspend, resume, terminate and migrate running processes: analysts and administrators."""
    return has_role(user, Role.ANALYST, Role.ADMIN)


def is_admin(user: User) -> bool:
    """System administrators: the working-day calendar, deadline recomputation."""
    return has_role(user, Role.ADMIN)

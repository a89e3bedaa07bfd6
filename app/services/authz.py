"""Server-side authorisation for every object: who sees which directive, task and work item.

Scopes are unit subtrees (the materialised `unit.path`): an agency's users see what concerns
their unit and its sub-units; the Office and the leadership see everything under the province or
district they serve. Every route and API call goes through these functions.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select

from app.extensions import db
from app.models import Directive, Role, Task, TaskCoordinator, Unit, User, UserRole, WorkItem

OVERSIGHT_ROLES = {Role.OFFICE_OFFICER, Role.OFFICE_CHIEF, Role.LEADER, Role.EMULATION_COUNCIL, Role.ADMIN}


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


def _units_under(paths: list[str]) -> list[int]:
    """Ids of the units in these subtrees, read once: a short list of constants in the query.

    Filters are written as `column IN (these ids)` rather than comparing each row's unit path:
    at a million tasks the per-row form scanned every directive, and a subquery in its place left
    the planner guessing how many units match (it chose scans); with the ids as constants it uses
    the unit indexes (docs/benchmarks.md).
    """
    return list(db.session.scalars(select(Unit.id).where(_under(Unit.path, paths))))


def task_filter(user: User) -> ColumnElement[bool]:
    """SQL condition on `Task` rows the user may see."""
    oversight, agency = _oversight_paths(user), _agency_paths(user)
    conditions: list[ColumnElement[bool]] = []
    if oversight:
        directives = select(Directive.id).where(Directive.office_unit_id.in_(_units_under(oversight)))
        conditions.append(Task.directive_id.in_(directives))
    if agency:
        units = _units_under(agency)
        coordinated = select(TaskCoordinator.task_id).where(TaskCoordinator.unit_id.in_(units))
        conditions += [Task.lead_unit_id.in_(units), Task.id.in_(coordinated)]
    return or_(*conditions) if conditions else false()


def directive_filter(user: User) -> ColumnElement[bool]:
    oversight = _oversight_paths(user)
    concerns_agency = Directive.id.in_(select(Task.directive_id).where(task_filter(user)))
    if not oversight:
        return concerns_agency
    return or_(Directive.office_unit_id.in_(_units_under(oversight)), concerns_agency)


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
    return or_(
        *(and_(WorkItem.candidate_role == role, WorkItem.candidate_unit_id == unit) for role, unit in pairs)
    )


def can_act_on(user: User, item: WorkItem) -> bool:
    """Act = claim, complete: the assignee, or any candidate while nobody has claimed it."""
    if item.assignee_id is not None:
        return item.assignee_id == user.id
    return (item.candidate_role, item.candidate_unit_id) in set(roles_of(user))


def can_view_work_item(user: User, item: WorkItem) -> bool:
    """Candidates and the assignee; the agency owning the step (its subtree); oversight roles.

    Seeing a directive is not enough: the Office's internal steps are not an agency's business.
    """
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

"""Server-side authorisation for every object: who sees which directive, task and work item.

Scopes are unit subtrees (the materialised `unit.path`): an agency's users see what concerns
their unit and its sub-units; the Office and the leadership see everything under the province or
district they serve. Every route and API call goes through these functions.

On top of the scope, a directive kept in the *separate register* (R14, profiles that track
confidential documents apart) is visible only to users cleared for its confidentiality level.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select

from app.extensions import db
from app.models import Attachment, Directive, Role, Task, TaskCoordinator, Unit, User, UserRole, WorkItem

# Roles that read everything in the province or district they serve. Inspectors, the emulation
# council and analysts only read (they are never candidates of a lane, so they cannot act).
OVERSIGHT_ROLES = {
    Role.OFFICE_OFFICER,
    Role.OFFICE_CHIEF,
    Role.LEADER,
    Role.EMULATION_COUNCIL,
    Role.INSPECTOR,
    Role.ANALYST,
    Role.ADMIN,
}
# Heads may hand any item of their unit (and sub-units) to a colleague (R15, 004:15).
HEAD_ROLES = {Role.AGENCY_HEAD, Role.SECTION_HEAD, Role.OFFICE_CHIEF}
# Roles that carry out work; a colleague holding one of them can receive a delegated item.
ACTING_ROLES = {
    Role.OFFICE_OFFICER,
    Role.OFFICE_CHIEF,
    Role.FOCAL_OFFICER,
    Role.AGENCY_HEAD,
    Role.SECTION_HEAD,
    Role.OFFICER,
    Role.LEADER,
}


CLEARANCE_LEVELS = ("normal", "confidential", "secret", "top_secret")


def cleared_levels(user: User) -> tuple[str, ...]:
    """Confidentiality levels the user may read in the separate register (theirs and below)."""
    level = user.clearance if user.clearance in CLEARANCE_LEVELS else "normal"
    return CLEARANCE_LEVELS[: CLEARANCE_LEVELS.index(level) + 1]


def hidden_directives(user: User) -> Select[Any] | None:
    """Ids of the separate-register directives above the user's clearance (R14): a small set, so the
    filters below stay `IN`/`NOT IN` subqueries on indexed columns; None when nothing is hidden."""
    levels = cleared_levels(user)
    if levels == CLEARANCE_LEVELS:
        return None
    return select(Directive.id).where(
        Directive.register == "separate", Directive.confidentiality.not_in(levels)
    )


def register_filter(user: User) -> ColumnElement[bool]:
    """SQL condition on `Directive`: the main register, or a separate-register one the user is cleared for."""
    return or_(Directive.register != "separate", Directive.confidentiality.in_(cleared_levels(user)))


def _directive_readable(user: User, directive_id: int | None) -> bool:
    hidden = hidden_directives(user)
    if directive_id is None or hidden is None:
        return True
    return db.session.scalar(hidden.where(Directive.id == directive_id)) is None


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
    if not conditions:
        return false()
    hidden = hidden_directives(user)
    scope = or_(*conditions)
    return scope if hidden is None else and_(scope, Task.directive_id.not_in(hidden))


def directive_filter(user: User) -> ColumnElement[bool]:
    oversight = _oversight_paths(user)
    concerns_agency = Directive.id.in_(select(Task.directive_id).where(task_filter(user)))
    if not oversight:
        return concerns_agency
    return and_(
        register_filter(user), or_(Directive.office_unit_id.in_(_units_under(oversight)), concerns_agency)
    )


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
    candidates = or_(
        *(and_(WorkItem.candidate_role == role, WorkItem.candidate_unit_id == unit) for role, unit in pairs)
    )
    hidden = hidden_directives(user)
    if hidden is None:
        return candidates
    return and_(candidates, or_(WorkItem.directive_id.is_(None), WorkItem.directive_id.not_in(hidden)))


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


def _under_path(path: str, prefixes: list[str]) -> bool:
    return any(path.startswith(p) for p in prefixes)


def can_reassign(user: User, item: WorkItem) -> bool:
    """A head of the item's unit or of a unit above it (within their own tree)."""
    heads = [r.unit.path for r in user.roles if r.role in HEAD_ROLES]
    return _under_path(item.candidate_unit.path, heads)


def colleague_ids(item: WorkItem) -> list[int]:
    """Active users who may receive the item: an acting role in its unit or one of its sub-units."""
    return list(
        db.session.scalars(
            select(User.id)
            .join(UserRole, UserRole.user_id == User.id)
            .join(Unit, Unit.id == UserRole.unit_id)
            .where(
                User.is_active_account.is_(True),
                UserRole.role.in_([str(r) for r in ACTING_ROLES]),
                Unit.path.startswith(item.candidate_unit.path, autoescape=True),
            )
            .distinct()
        )
    )


def admin_paths(user: User) -> list[str]:
    return [r.unit.path for r in user.roles if r.role == Role.ADMIN]


def can_admin_unit(user: User, unit: Unit) -> bool:
    return _under_path(unit.path, admin_paths(user))


def can_admin_user(user: User, target: User) -> bool:
    """Administrators manage accounts whose roles all lie in their subtree (or that have none)."""
    paths = admin_paths(user)
    if not paths:
        return False
    return all(_under_path(r.unit.path, paths) for r in target.roles)


def can_view_attachment(user: User, attachment: Attachment) -> bool:
    """A file is evidence for its task: whoever sees the task (or the step it was added on) may read it."""
    item = db.session.get(WorkItem, attachment.work_item_id) if attachment.work_item_id else None
    if item is not None and can_view_work_item(user, item):
        return True
    task = db.session.get(Task, attachment.task_id) if attachment.task_id else None
    return task is not None and can_view_task(user, task)

"""Whose figures a report shows and how units roll up into report rows.

A report is about one unit's subtree (the province for its Office and leaders, a department for its
own office and director, an agency for its focal officer). Its rows are the units directly under
that unit: a department's sections' tasks count for the department, as the agency's deadline
includes its sub-units' time (R15, 003:1.5(8.1.a)).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.extensions import db
from app.models import Role, Unit, User
from app.services.authz import OVERSIGHT_ROLES

OFFICE_KIND = "office"


@dataclass
class Scope:
    """The unit a report is about, its row units, and which row each unit of the subtree feeds.

    `rows` are always shown (the agencies); `extra_rows` (the Office, the unit itself) only when
    they hold tasks of their own.
    """

    unit: Unit
    rows: list[Unit]
    row_of: dict[int, int] = field(default_factory=dict)
    extra_rows: list[Unit] = field(default_factory=list)

    @property
    def unit_ids(self) -> list[int]:
        return list(self.row_of)

    def all_rows(self) -> list[Unit]:
        return self.rows + self.extra_rows


def subtree(unit: Unit) -> list[Unit]:
    return list(
        db.session.scalars(
            select(Unit).where(Unit.path.startswith(unit.path, autoescape=True)).order_by(Unit.path)
        )
    )


def agencies_under(unit: Unit) -> list[Unit]:
    """The agencies that send reports to the Office of `unit`: its active children but the Office."""
    return list(
        db.session.scalars(
            select(Unit)
            .where(Unit.parent_id == unit.id, Unit.is_active.is_(True), Unit.kind != OFFICE_KIND)
            .order_by(Unit.id)
        )
    )


def build_scope(unit: Unit, only_unit: Unit | None = None) -> Scope:
    """Rows = the agencies under `unit` (the unit itself when it has none); `only_unit` keeps one."""
    units = subtree(unit)
    children = [u for u in units if u.parent_id == unit.id]
    rows = [u for u in children if u.kind != OFFICE_KIND] or [unit]
    row_of: dict[int, int] = {}
    for candidate in units:
        row = next((r for r in children + rows if candidate.path.startswith(r.path)), unit)
        row_of[candidate.id] = row.id
    row_ids = {r.id for r in rows}
    extra = [u for u in units if u.id in set(row_of.values()) - row_ids]
    if only_unit is not None:
        keep = row_of.get(only_unit.id)
        rows = [r for r in rows if r.id == keep]
        extra = [r for r in extra if r.id == keep]
        row_of = {k: v for k, v in row_of.items() if v == keep}
    return Scope(unit=unit, rows=rows, row_of=row_of, extra_rows=extra)


def scope_unit_of(user: User) -> Unit | None:
    """The widest unit whose figures the user may see: oversight roles see the province (or the
    department) their Office serves; an agency's staff see their own agency."""
    candidates: list[Unit] = []
    for role in user.roles:
        unit = role.unit
        if role.role in OVERSIGHT_ROLES or role.role in {Role.ANALYST, Role.INSPECTOR}:
            candidates.append(unit.parent if unit.kind == OFFICE_KIND and unit.parent else unit)
        else:
            candidates.append(unit)
    if not candidates:
        return None
    return min(candidates, key=lambda u: len(u.path))


def is_oversight(user: User) -> bool:
    return any(r.role in OVERSIGHT_ROLES or r.role in {Role.ANALYST, Role.INSPECTOR} for r in user.roles)

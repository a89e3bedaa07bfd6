"""Choices that come from data, not from the form file: `"x-source": "units"` or `"users"`.

A form lists `"x-source"` on a string field (or on the items of a multi-choice array); before
showing or validating, the list is filled from the database: the active agencies of the work
item's own province for `units` (a province's task is coordinated by its own departments and
districts; at national scale the whole list was 1,870 units, read on every completion), the
people who may take this work item for `users`. Validation then refuses any other value, so a
forged post cannot name a unit or person outside the list.
"""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Unit, User, WorkItem
from app.services.authz import colleague_ids


def _choices(source: str, item: WorkItem) -> tuple[list[str], list[str]]:
    if source == "units":
        units = db.session.execute(
            select(Unit.code, Unit.name)
            .where(
                Unit.is_active.is_(True),
                Unit.kind.not_in(["province", "office"]),
                Unit.path.startswith(item.candidate_unit.province_path, autoescape=True),
            )
            .order_by(Unit.name)
        ).all()
        return [code for code, _ in units], [name for _, name in units]
    if source == "users":
        users = db.session.scalars(
            select(User).where(User.id.in_(colleague_ids(item))).order_by(User.full_name)
        ).all()
        return [u.username for u in users], [u.full_name for u in users]
    return [], []


def _fill(prop: dict[str, Any], item: WorkItem) -> None:
    target = prop["items"] if prop.get("type") == "array" else prop
    source = target.get("x-source")
    if source:
        target["enum"], target["enumNames"] = _choices(str(source), item)
    for sub in target.get("properties", {}).values():
        _fill(sub, item)


def expand(schema: dict[str, Any], item: WorkItem) -> dict[str, Any]:
    """A copy of the deployed schema with every data-source list filled in."""
    filled = copy.deepcopy(schema)
    for prop in filled.get("properties", {}).values():
        _fill(prop, item)
    return filled

"""Who may see which figures and report files (checked on the server for every request).

Oversight roles (Office, leaders, emulation council, inspectors, analysts, administrators) see their
province's or department's figures; an agency's staff see their own agency only. A report period's
page and files belong to the oversight roles of the body it reports on.
"""

from __future__ import annotations

from app.extensions import db
from app.models import ReportPeriod, Unit, User
from app.services.reports.scope import Scope, build_scope, is_oversight, scope_unit_of


def report_scope(user: User, unit_id: int | None = None) -> Scope | None:
    """The user's scope, optionally narrowed to one of its units (a unit outside it is refused)."""
    unit = scope_unit_of(user)
    if unit is None:
        return None
    only = None
    if unit_id is not None:
        only = db.session.get(Unit, unit_id)
        if only is None or not only.path.startswith(unit.path):
            return None
    return build_scope(unit, only_unit=only)


def can_view_period(user: User, period: ReportPeriod) -> bool:
    unit = scope_unit_of(user)
    return unit is not None and is_oversight(user) and period.scope_unit.path.startswith(unit.path)

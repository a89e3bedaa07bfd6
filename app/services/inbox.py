"""Hộp việc: the tabs, filters, sort, pagination and navigation counts of the staff inbox.

Everything here reads the flat `work_item` projection (plus `task` only when a task filter is
used); nothing deserializes a workflow. "Due soon" means within the active profile's reminder
window, counted in working days, so a Friday item due on Monday is "due soon" on Friday.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import selectinload

from app import clock
from app.extensions import db
from app.models import AppSetting, Task, Unit, User, WorkItem
from app.services.authz import candidate_filter
from app.services.calendar_service import current_calendar
from app.text import search_terms

PAGE_SIZE = 25
REMINDER_WINDOW_KEY = "profile.reminder_window_working_days"
DEFAULT_REMINDER_WINDOW = 2

TABS = ("all", "mine", "unit", "due_soon", "overdue")
SORTS = {
    "due": (WorkItem.due_on.is_(None), WorkItem.due_on, WorkItem.id),
    "newest": (WorkItem.created_at.desc(), WorkItem.id.desc()),
    "title": (WorkItem.title, WorkItem.id),
}


@dataclass
class InboxFilter:
    """What the user asked for; unknown or malformed values fall back to the defaults."""

    tab: str = "all"
    q: str = ""
    directive_id: int | None = None
    unit_id: int | None = None
    field: str = ""
    due_from: date | None = None
    due_to: date | None = None
    status: str = ""
    sort: str = "due"
    page: int = 1


@dataclass
class InboxPage:
    items: list[WorkItem]
    total: int
    page: int
    pages: int
    window_end: date
    filters: InboxFilter = field(default_factory=InboxFilter)


def reminder_window_days() -> int:
    """Working days before a deadline when an item counts as due soon (profile data, R11)."""
    setting = db.session.get(AppSetting, REMINDER_WINDOW_KEY)
    value = setting.value if setting is not None else None
    return int(value) if isinstance(value, int) and 0 <= value <= 30 else DEFAULT_REMINDER_WINDOW


def window_end(today: date) -> date:
    return current_calendar().add_working_days(today, reminder_window_days())


def _visible(user: User) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    mine = WorkItem.assignee_id == user.id
    claimable = and_(WorkItem.assignee_id.is_(None), candidate_filter(user))
    return mine, claimable


def _tab_condition(user: User, tab: str, today: date, until: date) -> ColumnElement[bool]:
    mine, claimable = _visible(user)
    either = or_(mine, claimable)
    return {
        "mine": mine,
        "unit": claimable,
        "due_soon": and_(either, WorkItem.due_on >= today, WorkItem.due_on <= until),
        "overdue": and_(either, WorkItem.due_on < today),
    }.get(tab, either)


def _filtered(user: User, f: InboxFilter, today: date, until: date) -> Select[Any]:
    query = select(WorkItem).where(WorkItem.state == "open", _tab_condition(user, f.tab, today, until))
    for term in search_terms(f.q):
        query = query.where(WorkItem.search_text.contains(term, autoescape=True))
    if f.directive_id:
        query = query.where(WorkItem.directive_id == f.directive_id)
    if f.unit_id:
        unit_path = select(Unit.path).where(Unit.id == f.unit_id).scalar_subquery()
        under = select(Unit.id).where(Unit.path.startswith(unit_path))
        query = query.where(WorkItem.candidate_unit_id.in_(under))
    if f.due_from:
        query = query.where(WorkItem.due_on >= f.due_from)
    if f.due_to:
        query = query.where(WorkItem.due_on <= f.due_to)
    if f.field or f.status:
        query = query.join(Task, Task.id == WorkItem.task_id)
        if f.field:
            query = query.where(Task.field == f.field)
        if f.status:
            query = query.where(Task.status == f.status)
    return query


def list_items(user: User, f: InboxFilter) -> InboxPage:
    today = clock.today()
    until = window_end(today)
    query = _filtered(user, f, today, until)
    total = int(db.session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, f.page), pages)
    rows = db.session.scalars(
        query.order_by(*SORTS.get(f.sort, SORTS["due"]))
        .options(
            selectinload(WorkItem.candidate_unit),
            selectinload(WorkItem.assignee),
            selectinload(WorkItem.task),
            selectinload(WorkItem.directive),
        )
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return InboxPage(list(rows), total, page, pages, until, f)


def nav_counts(user: User) -> dict[str, int]:
    """All four tab counts in one query over the user's open items."""
    today = clock.today()
    until = window_end(today)
    mine, claimable = _visible(user)

    def flag(condition: ColumnElement[bool]) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    row = db.session.execute(
        select(
            flag(mine),
            flag(claimable),
            flag(and_(WorkItem.due_on >= today, WorkItem.due_on <= until)),
            flag(WorkItem.due_on < today),
        ).where(WorkItem.state == "open", or_(mine, claimable))
    ).one()
    return {"mine": int(row[0]), "unit": int(row[1]), "due_soon": int(row[2]), "overdue": int(row[3])}


def item_state(item: WorkItem, today: date, until: date) -> str:
    """The colour key shown with text: overdue, due_soon, not_started (unclaimed), on_time."""
    if item.due_on is not None and item.due_on < today:
        return "overdue"
    if item.due_on is not None and item.due_on <= until:
        return "due_soon"
    if item.assignee_id is None:
        return "not_started"
    return "on_time"


def fields_in_use() -> list[str]:
    return [f for f in db.session.scalars(select(Task.field).where(Task.field.is_not(None)).distinct()) if f]

"""Hộp việc: the tabs, filters, sort, pagination and navigation counts of the staff inbox.

Everything here reads the flat `work_item` projection (plus `task` only when a task filter is
used); nothing deserializes a workflow. "Due soon" means within the active profile's reminder
window, counted in working days, so a Friday item due on Monday is "due soon" on Friday.

Why the queries are shaped as "streams": a user's inbox is the union of disjoint streams, the
items assigned to them and, for each (role, unit) they hold, the unclaimed items of that queue.
Each stream is one range of a covering index already in due-date order (`ix_work_item_mine`,
`ix_work_item_queue`), so the first page reads about 25 index entries per stream and every count
is an index range count, whatever the agency's backlog (see scripts/bench_inbox.py). A single
`assignee = me OR (unit, role) in ...` query would instead sort the whole backlog per request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select, union_all
from sqlalchemy.orm import joinedload

from app import clock
from app.extensions import db
from app.models import AppSetting, Task, Unit, User, WorkItem
from app.services.authz import roles_of
from app.services.calendar_service import current_calendar
from app.text import search_terms

PAGE_SIZE = 25
REMINDER_WINDOW_KEY = "profile.reminder_window_working_days"
DEFAULT_REMINDER_WINDOW = 2

TABS = ("all", "mine", "unit", "due_soon", "overdue")
SORTS = {
    "due": ((WorkItem.due_sort, False), (WorkItem.id, False)),
    # Ids grow with creation time: "newest first" is id order, readable from the same indexes.
    "newest": ((WorkItem.id, True),),
    "title": ((WorkItem.title, False), (WorkItem.id, False)),
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

    @property
    def narrowed(self) -> bool:
        """True when something beyond the tab filters the list (the tab counts no longer apply)."""
        return bool(
            self.q
            or self.directive_id
            or self.unit_id
            or self.field
            or self.due_from
            or self.due_to
            or self.status
        )


@dataclass
class InboxPage:
    items: list[WorkItem]
    total: int  # COUNT_CAP + 1 means "more than COUNT_CAP" (filtered lists are not fully counted)
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


def _streams(user: User, tab: str) -> list[ColumnElement[bool]]:
    """The disjoint parts of the user's inbox for a tab: mine, then one per (role, unit) queue."""
    mine = WorkItem.assignee_id == user.id
    queues = [
        and_(
            WorkItem.candidate_unit_id == unit,
            WorkItem.candidate_role == role,
            WorkItem.assignee_id.is_(None),
        )
        for role, unit in sorted(set(roles_of(user)))
    ]
    if tab == "mine":
        return [mine]
    if tab == "unit":
        return queues
    return [mine, *queues]


def _due_condition(tab: str, today: date, until: date) -> list[ColumnElement[bool]]:
    if tab == "due_soon":
        return [WorkItem.due_sort >= today, WorkItem.due_sort <= until]
    if tab == "overdue":
        return [WorkItem.due_sort < today]
    return []


def _filters(f: InboxFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    for term in search_terms(f.q):
        conditions.append(WorkItem.search_text.contains(term, autoescape=True))
    if f.directive_id:
        conditions.append(WorkItem.directive_id == f.directive_id)
    if f.unit_id:
        unit_path = select(Unit.path).where(Unit.id == f.unit_id).scalar_subquery()
        conditions.append(
            WorkItem.candidate_unit_id.in_(select(Unit.id).where(Unit.path.startswith(unit_path)))
        )
    if f.due_from:
        conditions.append(WorkItem.due_on >= f.due_from)
    if f.due_to:
        conditions.append(WorkItem.due_on <= f.due_to)
    if f.field or f.status:
        # Correlated on the task's primary key: one lookup per candidate row, read from the
        # stream's covering index (task_id is in it), instead of materialising every task id.
        tasks = select(Task.id).where(Task.id == WorkItem.task_id)
        if f.field:
            tasks = tasks.where(Task.field == f.field)
        if f.status:
            tasks = tasks.where(Task.status == f.status)
        conditions.append(tasks.exists())
    return conditions


def _conditions(user: User, f: InboxFilter, today: date, until: date) -> list[ColumnElement[bool]]:
    common = [WorkItem.state == "open", *_due_condition(f.tab, today, until), *_filters(f)]
    return [and_(stream, *common) for stream in _streams(user, f.tab)]


COUNT_CAP = 1000  # a filtered list says "more than 1,000" rather than count a whole backlog


def _count(conditions: list[ColumnElement[bool]], cap: int | None = None) -> int:
    total = 0
    for condition in conditions:
        rows = select(WorkItem.id).where(condition)
        if cap is not None:
            rows = rows.limit(cap + 1)
        total += int(db.session.scalar(select(func.count()).select_from(rows.subquery())) or 0)
    return min(total, cap + 1) if cap is not None else total


def _page_ids(conditions: list[ColumnElement[bool]], sort: str, page: int) -> list[int]:
    """Top rows of each stream in the sort order, merged: a page never sorts a whole backlog."""
    keys = SORTS.get(sort, SORTS["due"])
    wanted = page * PAGE_SIZE
    parts = []
    for condition in conditions:
        order: list[Any] = [column.desc() if descending else column for column, descending in keys]
        inner = select(*(column for column, _ in keys)).where(condition).order_by(*order).limit(wanted)
        parts.append(select(inner.subquery()))
    if not parts:
        return []
    merged = union_all(*parts).subquery()
    columns = list(merged.c)
    outer: list[Any] = [columns[i].desc() if desc else columns[i] for i, (_, desc) in enumerate(keys)]
    id_column = columns[-1]
    rows = db.session.execute(
        select(id_column).order_by(*outer).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return [int(row[0]) for row in rows]


def list_items(user: User, f: InboxFilter, counts: dict[str, int] | None = None) -> InboxPage:
    """One page of the inbox. Pass the navigation `counts` to spare a count when not filtered."""
    today = clock.today()
    until = window_end(today)
    conditions = _conditions(user, f, today, until)
    if counts is not None and not f.narrowed:
        total = counts["mine"] + counts["unit"] if f.tab == "all" else counts[f.tab]
    else:
        total = _count(conditions, cap=COUNT_CAP)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, f.page), pages)
    ids = _page_ids(conditions, f.sort, page)
    loaded = {
        item.id: item
        for item in db.session.scalars(
            select(WorkItem)
            .where(WorkItem.id.in_(ids))
            .options(
                joinedload(WorkItem.candidate_unit),
                joinedload(WorkItem.assignee),
                joinedload(WorkItem.task),
                joinedload(WorkItem.directive),
            )
        )
    }
    return InboxPage([loaded[i] for i in ids if i in loaded], total, page, pages, until, f)


def more_than_cap(page: InboxPage) -> bool:
    return page.filters.narrowed and page.total > COUNT_CAP


def nav_counts(user: User) -> dict[str, int]:
    """The four tab counts from each stream's covering index: a plain count of the range, then
    the overdue and due-soon counts from the short front of the range (due_sort <= window end)."""
    today = clock.today()
    until = window_end(today)
    counts = {"mine": 0, "unit": 0, "due_soon": 0, "overdue": 0}
    for index, stream in enumerate(_streams(user, "all")):
        open_stream = and_(stream, WorkItem.state == "open")
        total = int(db.session.scalar(select(func.count()).select_from(WorkItem).where(open_stream)) or 0)
        due_soon, overdue = db.session.execute(
            select(
                func.coalesce(func.sum(case((WorkItem.due_sort >= today, 1), else_=0)), 0),
                func.coalesce(func.sum(case((WorkItem.due_sort < today, 1), else_=0)), 0),
            ).where(open_stream, WorkItem.due_sort <= until)
        ).one()
        counts["mine" if index == 0 else "unit"] += total
        counts["due_soon"] += int(due_soon)
        counts["overdue"] += int(overdue)
    return counts


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
    """The distinct task fields (lĩnh vực), read from the index on task.field."""
    return [f for f in db.session.scalars(select(Task.field).where(Task.field.is_not(None)).distinct()) if f]

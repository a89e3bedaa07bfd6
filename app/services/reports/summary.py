"""Report content computed from the register at a cut-off: per unit, the R4 categories and more.

A period's tasks are those assigned by a directive issued within [start, end]; their category is
taken at the end of `end` (`categories.category_at`). Activity columns (extensions granted, urging
sent, quality evaluations) count what happened within [start, end] on tasks of the unit, read from
the rows the task process and the urging service write (`extension_request`, `urging_task`,
`task.quality`); late updates (R7) compare `task.result_due_on` with the first update. Every
figure is one grouped SQL query over indexed columns; nothing here loads a workflow.

Lists of tasks (overdue, obstacles) are narrowed further to what the viewer may open
(`Filters.viewer`, `authz.task_filter`); the counts are the scope's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, and_, case, func, literal, select

from app.clock import VIETNAM
from app.extensions import db
from app.models import Directive, ExtensionRequest, Task, Unit, Urging, UrgingTask, User, WorkItem
from app.services.authz import task_filter
from app.services.calendar_service import current_calendar
from app.services.reports import trail
from app.services.reports.categories import CATEGORIES, category_at, on_time_rate
from app.services.reports.scope import Scope
from app.services.reports.sql import vn_date, without_jit
from app.services.rule_tables import result_window_days
from app.services.task_status import ReportCategory, TaskStatus

DAY = timedelta(days=1)
SMALL_SCOPE = 3


@dataclass(frozen=True)
class Filters:
    """Dashboard and report filters; `public_only` leaves confidential directives out entirely.

    `viewer`: the user a list of tasks is shown to; lists keep only the tasks that user may open
    (`authz.task_filter`: an agency sees what concerns it). Counts do not depend on it.
    """

    field: str | None = None
    leader_id: int | None = None
    public_only: bool = False
    viewer: User | None = None


def visible_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """What a list of tasks adds for its viewer (nothing for files made without one)."""
    return [task_filter(filters.viewer)] if filters.viewer is not None else []


@dataclass
class Figures:
    received: int = 0
    completed_on_time: int = 0
    completed_late: int = 0
    in_progress_on_time: int = 0
    overdue: int = 0
    extensions_granted: int = 0
    late_updates: int = 0
    updates_due: int = 0
    urging_sent: int = 0
    quality_good: int = 0
    quality_fair: int = 0
    quality_poor: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return on_time_rate(self.completed_on_time, self.completed_late, self.overdue)

    def add(self, other: Figures) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "on_time_rate": self.on_time_rate}


@dataclass
class Row:
    unit_id: int
    code: str
    name: str
    figures: Figures


@dataclass
class OverdueTask:
    task_id: int
    directive_id: int
    reference: str
    directive_summary: str
    issued_on: date
    content: str
    unit_id: int
    unit_name: str
    due_on: date | None
    days_overdue: int
    status: str
    confidential: bool
    origin_level: str | None
    field: str | None


@dataclass
class Report:
    start: date
    end: date
    rows: list[Row]
    total: Figures
    overdue: list[OverdueTask] = field(default_factory=list)
    obstacles: list[OverdueTask] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "rows": [
                {"unit_id": r.unit_id, "code": r.code, "name": r.name, **r.figures.to_json()}
                for r in self.rows
            ],
            "total": self.total.to_json(),
        }


def task_conditions(scope: Scope, filters: Filters) -> list[ColumnElement[bool]]:
    """Tasks led by a unit of the scope, filtered by field, leader and confidentiality."""
    conditions: list[ColumnElement[bool]] = [_lead_unit_in(scope.unit_ids)]
    if filters.field:
        conditions.append(Task.field == filters.field)
    if filters.leader_id:
        conditions.append(Task.leader_id == filters.leader_id)
    if filters.public_only:
        conditions.append(Directive.confidentiality == "normal")
    return conditions


def _lead_unit_in(unit_ids: list[int]) -> ColumnElement[bool]:
    """For a few units the lead-unit index is the way in; for a whole province it would make the
    database walk every task and look up each one's directive, when the period's directives (by
    issue date) are the selective side. `+ 0` keeps SQLite (and PostgreSQL) off that index."""
    column = Task.lead_unit_id if len(unit_ids) <= SMALL_SCOPE else Task.lead_unit_id + 0
    return column.in_(unit_ids)


def period_conditions(scope: Scope, start: date, end: date, filters: Filters) -> list[ColumnElement[bool]]:
    """The tasks of a report: assigned (directive issued) in [start, end], within the scope."""
    return [Directive.issued_on >= start, Directive.issued_on <= end, *task_conditions(scope, filters)]


def _task_query(*columns: Any) -> Any:
    return select(*columns).select_from(Task).join(Directive, Directive.id == Task.directive_id)


def category_counts(scope: Scope, start: date, end: date, filters: Filters) -> dict[int, dict[str, int]]:
    """{lead unit id: {category: count}} for the period's tasks at the end of `end`."""
    category = category_at(end).label("category")
    query = (
        _task_query(Task.lead_unit_id, category, func.count())
        .where(*period_conditions(scope, start, end, filters))
        .group_by(Task.lead_unit_id, category)
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, name, count in db.session.execute(query):
        if name is not None:
            counts[unit_id][name] = count
    return counts


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in Vietnam time, as instants: an indexable range on `at` columns."""
    return (
        datetime.combine(start, time(0), VIETNAM),
        datetime.combine(end + DAY, time(0), VIETNAM),
    )


def _in_range(column: Any, start: date, end: date) -> list[ColumnElement[bool]]:
    """An instant column within the days [start, end] (Vietnam time): an indexable range."""
    first, after = day_bounds(max(start, date(1900, 1, 1)), min(end, date(9998, 12, 30)))
    return [column >= first, column < after]


def extension_counts(scope: Scope, start: date, end: date, filters: Filters) -> dict[int, int]:
    """R8 per lead unit: extensions granted within [start, end] on the scope's tasks, from the
    extension requests the task process records (`extension_request`, approved)."""
    query = (
        select(Task.lead_unit_id, func.count())
        .select_from(ExtensionRequest)
        .join(Task, Task.id == ExtensionRequest.task_id)
    )
    if filters.public_only:
        query = query.join(Directive, Directive.id == Task.directive_id)
    query = query.where(
        ExtensionRequest.status == "approved",
        *_in_range(ExtensionRequest.decided_at, start, end),
        *task_conditions(scope, filters),
    ).group_by(Task.lead_unit_id)
    return {unit_id: int(count) for unit_id, count in db.session.execute(query)}


def urging_counts(scope: Scope, start: date, end: date, filters: Filters) -> dict[int, int]:
    """R11 per lead unit: urgings sent within [start, end] about the scope's tasks, one per task
    an urging notice or document concerns (`urging_task`, written by `services/urging.py` for the
    Office's urgings and for the `urge(...)` effect of the models: one source for every page)."""
    query = (
        select(Task.lead_unit_id, func.count())
        .select_from(UrgingTask)
        .join(Urging, Urging.id == UrgingTask.urging_id)
        .join(Task, Task.id == UrgingTask.task_id)
    )
    if filters.public_only:
        query = query.join(Directive, Directive.id == Task.directive_id)
    query = query.where(*_in_range(Urging.created_at, start, end), *task_conditions(scope, filters)).group_by(
        Task.lead_unit_id
    )
    return {unit_id: int(count) for unit_id, count in db.session.execute(query)}


def quality_counts(scope: Scope, start: date, end: date, filters: Filters) -> dict[tuple[int, Any], int]:
    """R9 per lead unit and level: the evaluations the confirmer recorded within [start, end]
    (`task.quality`, `task.evaluated_at`, written by the task process's `evaluate_task`)."""
    query = select(Task.lead_unit_id, Task.quality, func.count()).select_from(Task)
    if filters.public_only:
        query = query.join(Directive, Directive.id == Task.directive_id)
    query = query.where(
        Task.quality.in_(trail.QUALITY_LEVELS),
        *_in_range(Task.evaluated_at, start, end),
        *task_conditions(scope, filters),
    ).group_by(Task.lead_unit_id, Task.quality)
    return {(unit_id, level): count for unit_id, level, count in db.session.execute(query)}


def first_result_at() -> Any:
    """When the task's result was first entered (the first completed result form)."""
    return (
        select(func.min(WorkItem.completed_at))
        .where(
            WorkItem.task_id == Task.id,
            WorkItem.form.in_(trail.RESULT_FORMS),
            WorkItem.state == "completed",
        )
        .correlate(Task)
        .scalar_subquery()
    )


def late_update_counts(scope: Scope, start: date, end: date, filters: Filters) -> dict[int, tuple[int, int]]:
    """R7 per lead unit: (late, due). A task's update deadline is `task.result_due_on`, which the
    task process sets once the task is accepted (its deadline plus the working days of
    `result_entry_window` for the directive's profile); a task nobody accepted has none yet and gets
    the same computation here. `due` counts the tasks whose update deadline has passed by `end`;
    `late` those among them whose first update (a completed report step of the agency, or the
    Office's entry for an agency not connected) came after it or is still missing.

    The fallback deadline of each distinct (deadline, profile) is computed once by the working-day
    calendar and handed to SQL as a CASE, so the count stays one grouped query.
    """
    conditions = period_conditions(scope, start, end, filters)
    pending = db.session.execute(
        _task_query(Task.due_on, Directive.profile)
        .where(*conditions, Task.due_on.is_not(None), Task.due_on < end, Task.result_due_on.is_(None))
        .distinct()
    ).all()
    calendar = current_calendar()
    windows: dict[str | None, int] = {}
    branches = []
    for due_on, profile in pending:
        if profile not in windows:
            windows[profile] = result_window_days(profile)
        same_profile = Directive.profile.is_(None) if profile is None else Directive.profile == profile
        limit = calendar.add_working_days(due_on, windows[profile])
        branches.append((and_(Task.due_on == due_on, same_profile), literal(limit, Date)))
    computed = case(*branches, else_=None) if branches else literal(None, Date)
    update_by = func.coalesce(Task.result_due_on, computed)
    # A task the Office confirmed by its update deadline had its result entered by then: only the
    # others need the lookup of their first update (CASE stops at the first true branch).
    # Not entered yet counts as entered "never", after any deadline.
    confirmed_in_time = (Task.status == TaskStatus.COMPLETED.value) & (
        vn_date(Task.status_changed_at) <= update_by
    )
    entered = func.coalesce(vn_date(first_result_at()), literal(date.max, Date))
    late = case((confirmed_in_time, False), else_=entered > update_by)
    # Cancelled tasks are left out by the sums, not by the WHERE: a condition on the status would
    # tempt the database into walking the status index instead of the period's directives.
    live = Task.status != TaskStatus.CANCELLED.value
    query = (
        _task_query(
            Task.lead_unit_id, func.sum(case((live, 1), else_=0)), func.sum(case((live & late, 1), else_=0))
        )
        .where(*conditions, Task.due_on < end, update_by < end)
        .group_by(Task.lead_unit_id)
    )
    counts = {unit_id: (int(late or 0), int(due or 0)) for unit_id, due, late in db.session.execute(query)}
    return {unit_id: pair for unit_id, pair in counts.items() if pair[1]}


def _unit_figures(scope: Scope, start: date, end: date, filters: Filters) -> dict[int, Figures]:
    per_unit: dict[int, Figures] = defaultdict(Figures)
    for unit_id, counts in category_counts(scope, start, end, filters).items():
        figures = per_unit[unit_id]
        for name in CATEGORIES:
            setattr(figures, name.value, counts.get(name.value, 0))
        figures.received = sum(counts.get(c.value, 0) for c in CATEGORIES)
    for unit_id, count in extension_counts(scope, start, end, filters).items():
        per_unit[unit_id].extensions_granted += count
    for unit_id, count in urging_counts(scope, start, end, filters).items():
        per_unit[unit_id].urging_sent += count
    for (unit_id, level), count in quality_counts(scope, start, end, filters).items():
        setattr(per_unit[unit_id], f"quality_{level}", getattr(per_unit[unit_id], f"quality_{level}") + count)
    for unit_id, (late, due) in late_update_counts(scope, start, end, filters).items():
        per_unit[unit_id].late_updates += late
        per_unit[unit_id].updates_due += due
    return per_unit


def compute(
    scope: Scope, start: date, end: date, filters: Filters | None = None, *, with_lists: bool = True
) -> Report:
    """The whole report: one row per reporting unit (sub-units rolled up), totals, lists."""
    filters = filters or Filters()
    without_jit(db.session)
    rows: dict[int, Figures] = {u.id: Figures() for u in scope.all_rows()}
    for unit_id, figures in _unit_figures(scope, start, end, filters).items():
        rows[scope.row_of[unit_id]].add(figures)
    extra_ids = {u.id for u in scope.extra_rows}
    shown = [u for u in scope.all_rows() if u.id not in extra_ids or rows[u.id].received]
    total = Figures()
    for unit in shown:
        total.add(rows[unit.id])
    report = Report(
        start=start,
        end=end,
        rows=[Row(u.id, u.code, u.name, rows[u.id]) for u in shown],
        total=total,
    )
    if with_lists:
        report.overdue = overdue_tasks(scope, start, end, filters)
        report.obstacles = tasks_with_obstacles(scope, start, end, filters)
    return report


LIST_COLUMNS = (
    Task.id, Directive.id, Directive.number, Directive.symbol, Directive.summary, Directive.issued_on,
    Task.content, Unit.id, Unit.name, Task.due_on, Task.status, Directive.confidentiality,
    Directive.origin_level, Task.field,
)  # fmt: skip


def listed_task(row: Any, end: date) -> OverdueTask:
    """One list row from the columns of LIST_COLUMNS (plain columns: lists may hold many rows)."""
    (task_id, directive_id, number, symbol, summary, issued_on, content, unit_id, unit_name, due, status,
     confidentiality, origin_level, task_field) = row[: len(LIST_COLUMNS)]  # fmt: skip
    return OverdueTask(
        task_id=task_id,
        directive_id=directive_id,
        reference=f"{number}/{symbol}",
        directive_summary=summary,
        issued_on=issued_on,
        content=content,
        unit_id=unit_id,
        unit_name=unit_name,
        due_on=due,
        days_overdue=(end - due).days if due and due < end else 0,
        status=status,
        confidential=confidentiality != "normal",
        origin_level=origin_level,
        field=task_field,
    )


def _listed(scope: Scope, start: date, end: date, filters: Filters, *where: Any) -> list[OverdueTask]:
    query = (
        select(*LIST_COLUMNS)
        .select_from(Task)
        .join(Directive, Directive.id == Task.directive_id)
        .join(Unit, Unit.id == Task.lead_unit_id)
        .where(*period_conditions(scope, start, end, filters), *visible_conditions(filters), *where)
        .order_by(Task.due_on, Task.id)
    )
    return [listed_task(row, end) for row in db.session.execute(query)]


def overdue_tasks(scope: Scope, start: date, end: date, filters: Filters) -> list[OverdueTask]:
    """Tasks overdue at the end of `end`, most overdue first."""
    rows = _listed(scope, start, end, filters, category_at(end) == ReportCategory.OVERDUE.value)
    return sorted(rows, key=lambda r: (-r.days_overdue, r.task_id))


def tasks_with_obstacles(scope: Scope, start: date, end: date, filters: Filters) -> list[OverdueTask]:
    """Tasks their agency marked "in progress with obstacles" (R4, R10)."""
    return _listed(scope, start, end, filters, Task.status == TaskStatus.IN_PROGRESS_WITH_OBSTACLES.value)

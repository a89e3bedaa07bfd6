"""Appendix 01 of the Lào Cai rules (004:13.1): the weekly table of tasks past their deadline.

Every Friday the office lists the tasks overdue in the week, in two sections (I: tasks from the
People's Committee's directives; II: tasks from the department's own document system), then counts
them per unit. The office fills columns 1-8; the units fill 9-14 (what was not started or is in
progress, with its cause and expected date; what was done, with its confirmation and documents).
The system pre-fills 9-14 with what it knows so that the units only correct and complete them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, select

from app.extensions import db
from app.models import Directive, Task, Unit
from app.services.reports.categories import category_at
from app.services.reports.scope import Scope
from app.services.reports.sql import without_jit
from app.services.reports.summary import Filters, task_conditions, visible_conditions
from app.services.task_status import LABELS, ReportCategory, TaskStatus

# Section II holds tasks of documents handled in the department's own system ("phần mềm quản lý
# văn bản và hồ sơ công việc"): in DonDoc, directives classified with origin level "department".
SECTION_II_ORIGINS = {"department"}
SECTION_TITLES = {
    "I": "PHẦN MỀM THEO DÕI CÁC VĂN BẢN CHỈ ĐẠO ĐIỀU HÀNH CỦA UBND TỈNH, CHỦ TỊCH UBND TỈNH",
    "II": "PHẦN MỀM QUẢN LÝ VĂN BẢN VÀ HỒ SƠ CÔNG VIỆC",
}
NOT_STARTED = {TaskStatus.NOT_RECEIVED, TaskStatus.NOT_STARTED, TaskStatus.RETURNED}
MASKED_SUMMARY = "(Văn bản mật: không hiển thị trích yếu)"
MASKED_CONTENT = "(Văn bản mật: không hiển thị nội dung)"


@dataclass
class AppendixRow:
    reference: str  # 2
    summary: str  # 3
    content: str  # 4
    issued_on: date  # 5
    due_on: date  # 6
    days_overdue: int  # 7
    unit_name: str  # 8
    not_started_cause: str = ""  # 9
    not_started_expected: str = ""  # 10
    in_progress_cause: str = ""  # 11
    in_progress_expected: str = ""  # 12
    done_confirmation: str = ""  # 13
    done_documents: str = ""  # 14
    row_unit_id: int = 0
    task_id: int = 0


@dataclass
class Appendix:
    week_number: int
    week_start: date
    week_end: date
    scope_name: str
    sections: dict[str, list[AppendixRow]] = field(default_factory=dict)
    unit_totals: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(count for _, count in self.unit_totals)


def week_of(as_of: date) -> tuple[int, date, date]:
    """ISO week number, its Monday and its Friday (the reporting day, 004:13.1)."""
    monday = as_of - timedelta(days=as_of.weekday())
    return as_of.isocalendar()[1], monday, monday + timedelta(days=4)


def build(scope: Scope, as_of: date, filters: Filters | None = None) -> Appendix:
    """The table for the week of `as_of`: overdue at `as_of`, or completed late during the week."""
    filters = filters or Filters()
    without_jit(db.session)
    number, monday, friday = week_of(as_of)
    category = category_at(as_of)
    completed_late_this_week = and_(
        category == ReportCategory.COMPLETED_LATE.value,
        Task.completed_on >= monday,
        Task.completed_on <= as_of,
    )
    query = (
        select(*ROW_COLUMNS)
        .select_from(Task)
        .join(Directive, Directive.id == Task.directive_id)
        .join(Unit, Unit.id == Task.lead_unit_id)
        .where(*task_conditions(scope, filters), *visible_conditions(filters))
        .where((category == ReportCategory.OVERDUE.value) | completed_late_this_week)
        .order_by(Directive.issued_on, Directive.id, Task.seq)
    )
    found = list(db.session.execute(query))  # plain columns: a province may list many thousands
    appendix = Appendix(number, monday, friday, scope.unit.name, {"I": [], "II": []})
    for found_row in found:
        section = "II" if found_row.origin_level in SECTION_II_ORIGINS else "I"
        appendix.sections[section].append(_row(found_row, as_of, scope))
    counts = {u.id: 0 for u in scope.all_rows()}
    for rows in appendix.sections.values():
        for row in rows:
            counts[row.row_unit_id] = counts.get(row.row_unit_id, 0) + 1
    extra = {u.id for u in scope.extra_rows}
    appendix.unit_totals = [
        (u.name, counts[u.id]) for u in scope.all_rows() if u.id not in extra or counts[u.id]
    ]
    return appendix


ROW_COLUMNS = (
    Task.id.label("task_id"), Task.status, Task.due_on, Task.completed_on, Task.content, Task.result_summary,
    Task.result_document,
    Directive.number, Directive.symbol, Directive.summary, Directive.issued_on, Directive.confidentiality,
    Directive.origin_level, Unit.id.label("unit_id"), Unit.name.label("unit_name"),
)  # fmt: skip


def _row(found: Any, as_of: date, scope: Scope) -> AppendixRow:
    due = found.due_on
    assert due is not None  # overdue and late tasks have a deadline by definition
    confidential = found.confidentiality != "normal"
    done = (
        found.status == TaskStatus.COMPLETED
        and found.completed_on is not None
        and found.completed_on <= as_of
    )
    end = found.completed_on if done else as_of
    row = AppendixRow(
        reference=f"{found.number}/{found.symbol}",
        summary=MASKED_SUMMARY if confidential else found.summary,
        content=MASKED_CONTENT if confidential else found.content,
        issued_on=found.issued_on,
        due_on=due,
        days_overdue=(end - due).days,
        unit_name=found.unit_name,
        row_unit_id=scope.row_of.get(found.unit_id, found.unit_id),
        task_id=found.task_id,
    )
    # The status at `as_of`: a task completed later was still being carried out then.
    status = TaskStatus.IN_PROGRESS if found.status == TaskStatus.COMPLETED else TaskStatus(found.status)
    status_label = LABELS[status]
    if done:
        row.done_confirmation = f"Văn phòng đã xác nhận; hoàn thành ngày {end:%d/%m/%Y}"
        # R9, 004:13.4: the result document the agency named when reporting completion
        row.done_documents = "" if confidential else (found.result_document or found.result_summary or "")
    elif status in NOT_STARTED:
        row.not_started_cause = status_label
    else:
        row.in_progress_cause = status_label
    return row

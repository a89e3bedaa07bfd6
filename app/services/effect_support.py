"""What every effect handler needs: the task of the step, typed arguments, refusals a clerk reads.

Model scripts pass plain values (strings from forms, ISO dates); these helpers turn them into
domain objects and refuse bad ones with a Vietnamese message, which rolls back the whole step.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Task, Unit
from app.workflow import StepContext, WorkflowError


class RuleRefused(ValueError):
    """A regulation forbids what was submitted: the step is rolled back and the clerk told why."""

    code = "rule_refused"

    def __init__(self, message: str, rule: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.rule = rule


def task_of(context: StepContext) -> Task:
    task = db.session.get(Task, context.instance.task_id) if context.instance.task_id else None
    if task is None:
        raise WorkflowError("Quy trình này không gắn với nhiệm vụ nào.")
    return task


def positional(args: dict[str, Any], name: str) -> Any:
    """The first positional argument, or the keyword `name` (removed from `args`)."""
    values = args.pop("_args", [])
    if values:
        return values[0]
    if name in args:
        return args.pop(name)
    raise WorkflowError(f"Thiếu tham số '{name}'.")


def as_date(value: Any, label: str) -> date | None:
    """An ISO date from a form or script value; None stays None."""
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise RuleRefused(f"«{label}» không phải ngày hợp lệ.") from exc


def required_date(value: Any, label: str) -> date:
    parsed = as_date(value, label)
    if parsed is None:
        raise RuleRefused(f"Vui lòng nhập «{label}».")
    return parsed


def unit_by_code(code: Any, label: str) -> Unit:
    unit: Unit | None = db.session.scalar(select(Unit).where(Unit.code == str(code or "").strip()))
    if unit is None or not unit.is_active:
        raise RuleRefused(f"«{label}»: không có đơn vị mã '{code}'.")
    return unit


def local_today(context: StepContext) -> date:
    """The Vietnam date of the step: deadlines are counted in Vietnam days."""
    from app.clock import VIETNAM

    return context.now.astimezone(VIETNAM).date()


def dmy(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def task_process_data(task: Task) -> dict[str, Any]:
    """Start data of a process about one task, read from the register (not from a script)."""
    from app.services.rules import active_profile

    directive = task.directive
    office = directive.office_unit
    return {
        "task_id": task.id,
        "directive_id": directive.id,
        "lead_unit_id": task.lead_unit_id,
        "lead_unit": task.lead_unit.code,
        "lead_connected": task.lead_unit.is_connected,
        "office_unit_id": office.id,
        "province_unit_id": office.parent_id or office.id,
        "due_on": task.due_on.isoformat() if task.due_on else None,
        "deliverable": task.deliverable,
        "deadline_fixed_by_higher": task.deadline_fixed_by_higher,
        "issued_on": directive.issued_on.isoformat(),
        "is_urgent": directive.is_urgent,
        "profile": directive.profile or active_profile(),
    }

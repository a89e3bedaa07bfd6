"""Changes to a task that several model effects share: content, lead agency, deadline.

Each one checks the regulation first (a redacted confidential task keeps no content, a deadline
moves forward only) and is audited with its before and after values.
"""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.models import Task, Unit
from app.services import audit
from app.services.effect_support import RuleRefused, dmy, local_today
from app.workflow import StepContext


def set_content(task: Task, content: str, context: StepContext) -> None:
    if task.directive.is_redacted:
        raise RuleRefused("Văn bản mật chỉ lưu số lượng, hạn và kết quả: không được nhập nội dung nhiệm vụ.")
    before = task.content
    task.content = content.strip()
    audit.record_step("task_content_changed", context, {"from": before, "to": task.content})


def move_task_to(task: Task, unit: Unit, context: StepContext) -> None:
    """Give the task to another lead agency (it stops being a coordinator if it was one)."""
    if unit.id == task.lead_unit_id:
        raise RuleRefused("Cơ quan chủ trì mới phải khác cơ quan đang chủ trì.")
    if unit.kind in {"office", "province"}:
        raise RuleRefused(f"{unit.name} không phải cơ quan thực hiện nhiệm vụ.")
    before = task.lead_unit.code
    task.lead_unit_id = unit.id
    task.coordinators = [c for c in task.coordinators if c.unit_id != unit.id]
    db.session.flush()
    db.session.refresh(task)
    audit.record_step("task_lead_changed", context, {"from": before, "to": unit.code})


def set_deadline(task: Task, new_due_on: date, rule: str, context: StepContext) -> None:
    """A new deadline (extension, leadership decision): later than the current one, rule recorded."""
    if task.due_on is not None and new_due_on <= task.due_on:
        raise RuleRefused(f"Hạn mới phải sau hạn hiện tại ({dmy(task.due_on)}).")
    if new_due_on < local_today(context):
        raise RuleRefused("Hạn mới không được trước ngày hôm nay.")
    before = task.due_on
    if task.original_due_on is None:
        task.original_due_on = before
    task.due_on = new_due_on
    task.due_rule = rule[:200]
    audit.record_step(
        "task_deadline_changed",
        context,
        {"from": before.isoformat() if before else None, "to": new_due_on.isoformat(), "rule": task.due_rule},
    )

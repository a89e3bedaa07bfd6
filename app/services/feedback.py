"""Feedback (R11, 003:1.8(15.5)): a body concerned by a task reports the lead agency late or wrong.

The report starts the `task_feedback` process: the Office gets a step due in 7 working days to
issue an urging document or ask the leadership, and the reporter is told the outcome. The
report itself is kept in the task's history (`feedback_received`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app import clock
from app.i18n_marker import N_
from app.models import ProcessInstance, Task, User
from app.services import audit
from app.services.authz import OVERSIGHT_ROLES, can_view_task
from app.services.effects import task_process_data
from app.workflow import start_instance

PROCESS_ID = "task_feedback"
KINDS = {
    "late": N_("Không đúng thời hạn"),
    "wrong": N_("Không đúng yêu cầu"),
}
NOT_CONCERNED = "Chỉ cơ quan liên quan đến nhiệm vụ (không phải cơ quan chủ trì) được phản hồi."
# Optional form fields the model reads after the Office's or the leadership's step.
OPTIONAL_FIELDS = ("doc_reference", "doc_date", "doc_signer", "notice_reference")


class FeedbackInvalid(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class FeedbackInput:
    kind: str
    content: str


def reporter_unit(user: User, task: Task) -> int | None:
    """The unit a user reports for: one of theirs, concerned by the task, that is not its lead agency."""
    coordinating = {c.unit_id for c in task.coordinators}
    units = [
        r.unit_id for r in user.roles if r.role not in OVERSIGHT_ROLES and r.unit_id != task.lead_unit_id
    ]
    preferred = [u for u in units if u in coordinating]
    candidates = preferred or units
    return candidates[0] if candidates else None


def can_report(user: User, task: Task) -> bool:
    return reporter_unit(user, task) is not None and can_view_task(user, task)


def parse(payload: dict[str, Any]) -> FeedbackInput:
    errors: dict[str, str] = {}
    kind = str(payload.get("kind") or "")
    if kind not in KINDS:
        errors["kind"] = "Chọn nội dung phản hồi: không đúng thời hạn hoặc không đúng yêu cầu."
    content = str(payload.get("content") or "").strip()
    if len(content) < 20:
        errors["content"] = "Vui lòng mô tả cụ thể (ít nhất 20 ký tự)."
    elif len(content) > 4000:
        errors["content"] = "Nội dung quá dài (tối đa 4000 ký tự)."
    if errors:
        raise FeedbackInvalid(errors)
    return FeedbackInput(kind, content)


def report(user: User, task: Task, data: FeedbackInput) -> ProcessInstance:
    unit_id = reporter_unit(user, task)
    if unit_id is None or not can_view_task(user, task):
        raise PermissionError(
            "Chỉ cơ quan liên quan đến nhiệm vụ (không phải cơ quan chủ trì) được phản hồi."
        )
    now = clock.now()
    audit.record(
        "feedback_received",
        actor_id=user.id,
        directive_id=task.directive_id,
        task_id=task.id,
        details={"kind": data.kind, "content": data.content, "reporter_unit_id": unit_id},
        at=now,
    )
    process_data = {
        **task_process_data(task),
        **dict.fromkeys(OPTIONAL_FIELDS),
        "reporter_user_id": user.id,
        "reporter_unit_id": unit_id,
        "feedback_kind": data.kind,
        "feedback_content": data.content,
    }
    return start_instance(
        PROCESS_ID, process_data, now=now, actor_id=user.id, directive_id=task.directive_id, task_id=task.id
    )

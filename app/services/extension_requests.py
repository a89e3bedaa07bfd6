"""R8 extension requests, as the task process records them: filed, forwarded, decided, answered.

Whether a request may be filed at all (lead time, deadlines fixed by a higher authority) is decided
in the model from the profile's decision table; these handlers keep the register consistent: one
open request per task, a proposed date after the current deadline, the new deadline with its rule.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import ExtensionRequest, Task
from app.services import audit
from app.services.effect_support import RuleRefused, as_date, dmy, local_today, required_date, task_of
from app.services.task_changes import set_deadline
from app.workflow import StepContext

OPEN = ("filed", "forwarded")


def open_request(task: Task) -> ExtensionRequest | None:
    return db.session.scalar(
        select(ExtensionRequest)
        .where(ExtensionRequest.task_id == task.id, ExtensionRequest.status.in_(OPEN))
        .order_by(ExtensionRequest.id.desc())
    )


def _current(task: Task, status: str) -> ExtensionRequest:
    request = open_request(task)
    if request is None or request.status != status:
        raise RuleRefused("Không có đề nghị gia hạn đang chờ xử lý ở bước này.")
    return request


def file_extension(args: dict[str, Any], context: StepContext) -> None:
    task = task_of(context)
    if task.due_on is None:
        raise RuleRefused("Nhiệm vụ không có thời hạn nên không cần gia hạn.")
    proposed = required_date(args.get("proposed_due_on"), "Đề nghị hoàn thành vào ngày")
    if proposed <= task.due_on:
        raise RuleRefused(f"Ngày đề nghị hoàn thành phải sau hạn hiện tại ({dmy(task.due_on)}).")
    if open_request(task) is not None:
        raise RuleRefused("Nhiệm vụ đang có một đề nghị gia hạn chờ xử lý.")
    request = ExtensionRequest(
        task_id=task.id,
        status="filed",
        filed_by_id=context.actor_id,
        filed_at=context.now,
        due_on_before=task.due_on,
        proposed_due_on=proposed,
        reason=str(args.get("reason") or "").strip(),
        request_document=str(args.get("document") or "").strip() or None,
        forward_due_on=as_date(args.get("forward_due_on"), "Hạn trình"),
        rule=str(args.get("rule") or "")[:200] or None,
    )
    db.session.add(request)
    audit.record_step(
        "extension_filed",
        context,
        {
            "due_on": task.due_on.isoformat(),
            "proposed_due_on": proposed.isoformat(),
            "reason": request.reason,
        },
    )


def forward_extension(args: dict[str, Any], context: StepContext) -> None:
    request = _current(task_of(context), "filed")
    request.status = "forwarded"
    opinion, note = str(args.get("opinion") or "").strip(), str(args.get("note") or "").strip()
    request.office_opinion = f"{opinion}: {note}" if note else opinion or None
    request.forwarded_by_id = context.actor_id
    request.forwarded_at = context.now
    late = request.forward_due_on is not None and local_today(context) > request.forward_due_on
    audit.record_step("extension_forwarded", context, {"opinion": request.office_opinion, "late": late})


def decide_extension(args: dict[str, Any], context: StepContext) -> None:
    """The leadership's decision; an approval moves the task's deadline (the model re-arms its timers)."""
    task = task_of(context)
    request = _current(task, "forwarded")
    approved = bool(args.get("approved"))
    request.decided_by_id = context.actor_id
    request.decided_at = context.now
    request.decision_note = str(args.get("note") or "").strip() or None
    if approved:
        new_due_on = required_date(args.get("new_due_on"), "Hạn mới")
        rule = f"Gia hạn theo quyết định ngày {dmy(local_today(context))}"
        set_deadline(task, new_due_on, f"{rule} ({request.rule})" if request.rule else rule, context)
        request.new_due_on = new_due_on
    request.status = "approved" if approved else "refused"
    audit.record_step(
        "extension_decided",
        context,
        {"approved": approved, "new_due_on": request.new_due_on.isoformat() if request.new_due_on else None},
    )


def answer_extension(args: dict[str, Any], context: StepContext) -> None:
    """The Office's written answer to the agency (số, ký hiệu), recorded with the decision."""
    task = task_of(context)
    request = db.session.scalar(
        select(ExtensionRequest)
        .where(ExtensionRequest.task_id == task.id, ExtensionRequest.status.in_(("approved", "refused")))
        .where(ExtensionRequest.answered_at.is_(None))
        .order_by(ExtensionRequest.id.desc())
    )
    if request is None:
        raise RuleRefused("Không có quyết định gia hạn nào chờ trả lời.")
    request.answer_document = str(args.get("document") or "").strip() or None
    request.answered_at = context.now
    audit.record_step("extension_answered", context, {"document": request.answer_document})


HANDLERS = {
    "file_extension": file_extension,
    "forward_extension": forward_extension,
    "decide_extension": decide_extension,
    "answer_extension": answer_extension,
}

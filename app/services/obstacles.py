"""R10 obstacles (khó khăn, vướng mắc): the agency reports, the Office proposes, the leadership decides.

The decision may adjust the task's content, its deadline or its lead agency; each change goes
through the same checks as everywhere else (task_changes) and is audited.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import ObstacleReport, Task
from app.services import audit
from app.services.effect_support import RuleRefused, dmy, local_today, required_date, task_of, unit_by_code
from app.services.task_changes import move_task_to, set_content, set_deadline
from app.workflow import StepContext

COURSES = {"adjust_content", "adjust_deadline", "change_lead", "continue"}


def _open(task: Task, status: str) -> ObstacleReport:
    report: ObstacleReport | None = db.session.scalar(
        select(ObstacleReport)
        .where(ObstacleReport.task_id == task.id, ObstacleReport.status == status)
        .order_by(ObstacleReport.id.desc())
    )
    if report is None:
        raise RuleRefused("Không có báo cáo khó khăn, vướng mắc đang chờ ở bước này.")
    return report


def report_obstacle(args: dict[str, Any], context: StepContext) -> None:
    task = task_of(context)
    pending = db.session.scalar(
        select(ObstacleReport.id).where(ObstacleReport.task_id == task.id, ObstacleReport.status != "decided")
    )
    if pending is not None:
        raise RuleRefused("Nhiệm vụ đang có một báo cáo khó khăn, vướng mắc chờ xử lý.")
    description = str(args.get("description") or "").strip()
    if not description:
        raise RuleRefused("Vui lòng nêu khó khăn, vướng mắc.")
    report = ObstacleReport(
        task_id=task.id,
        description=description,
        cause=str(args.get("cause") or "").strip() or None,
        agency_proposal=str(args.get("proposal") or "").strip() or None,
        reported_by_id=context.actor_id,
        reported_at=context.now,
    )
    db.session.add(report)
    audit.record_step("obstacle_reported", context, {"description": description, "cause": report.cause})


def propose_obstacle_handling(args: dict[str, Any], context: StepContext) -> None:
    report = _open(task_of(context), "reported")
    course = str(args.get("proposal") or "")
    if course not in COURSES:
        raise RuleRefused("Vui lòng chọn hướng xử lý đề xuất.")
    report.office_proposal = course
    report.office_note = str(args.get("note") or "").strip() or None
    report.proposed_by_id = context.actor_id
    report.proposed_at = context.now
    report.status = "proposed"
    audit.record_step("obstacle_proposed", context, {"proposal": course, "note": report.office_note})


def decide_obstacle(args: dict[str, Any], context: StepContext) -> None:
    """Apply the leadership's decision to the task, then close the report."""
    task = task_of(context)
    report = _open(task, "proposed")
    course = str(args.get("decision") or "")
    if course not in COURSES:
        raise RuleRefused("Vui lòng chọn hướng xử lý.")
    if course == "adjust_deadline":
        new_due_on = required_date(args.get("due_on"), "Hạn mới")
        decided_on = dmy(local_today(context))
        rule = f"Điều chỉnh hạn theo quyết định của lãnh đạo ngày {decided_on} (xử lý khó khăn, vướng mắc)"
        set_deadline(task, new_due_on, rule, context)
    elif course == "change_lead":
        move_task_to(task, unit_by_code(args.get("lead_unit"), "Cơ quan chủ trì mới"), context)
    elif course == "adjust_content":
        content = str(args.get("content") or "").strip()
        if not content and not task.directive.is_redacted:
            raise RuleRefused("Vui lòng nhập nội dung nhiệm vụ sau điều chỉnh.")
        if content:
            set_content(task, content, context)
    report.decision = course
    report.decision_note = str(args.get("note") or "").strip() or None
    report.decided_by_id = context.actor_id
    report.decided_at = context.now
    report.status = "decided"
    audit.record_step("obstacle_decided", context, {"decision": course, "note": report.decision_note})


HANDLERS = {
    "report_obstacle": report_obstacle,
    "propose_obstacle_handling": propose_obstacle_handling,
    "decide_obstacle": decide_obstacle,
}

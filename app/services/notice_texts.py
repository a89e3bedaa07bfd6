"""The Vietnamese wording of notices, and the page each one links to.

Links are paths inside the app, built here from ids because jobs run without a request (no
`url_for`); the e-mail copy prefixes DONDOC_BASE_URL.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.i18n import format_date
from app.i18n_marker import N_
from app.models import Directive, Task, WorkItem

KIND_LABELS = {
    "due_soon": N_("Sắp đến hạn"),
    "due_today": N_("Đến hạn hôm nay"),
    "overdue": N_("Quá hạn"),
    "escalation": N_("Báo cáo quá hạn"),
    "urged": N_("Đôn đốc"),
    "classification_overdue": N_("Quá hạn phân loại"),
    "feedback_overdue": N_("Quá hạn xử lý phản hồi"),
    "feedback_outcome": N_("Kết quả xử lý phản hồi"),
    "weekly_overdue_table": N_("Bảng nhiệm vụ quá hạn"),
    "acceptance_overdue": N_("Quá hạn tiếp nhận nhiệm vụ"),
    "extension_forwarding_overdue": N_("Quá hạn trình đề nghị gia hạn"),
    "paper_reporting": N_("Theo dõi qua báo cáo bằng văn bản"),
    "coordination_instruction": N_("Chỉ đạo việc phối hợp"),
    "internal_result_ready": N_("Phòng chuyên môn đã có kết quả"),
}

# Notices a model asks for with notify(kind, ...): {reference}, {due_on}, {message} are filled in.
MODEL_TITLES = {
    "classification_overdue": "Quá hạn phân loại văn bản {reference} (hạn {due_on})",
    "feedback_overdue": "Quá hạn xử lý phản hồi về nhiệm vụ của văn bản {reference} (hạn {due_on})",
    "feedback_outcome": "Kết quả xử lý phản hồi về nhiệm vụ của văn bản {reference}",
    "acceptance_overdue": "Quá hạn tiếp nhận nhiệm vụ của văn bản {reference} (hạn {due_on})",
    "extension_forwarding_overdue": (
        "Quá hạn trình đề nghị gia hạn nhiệm vụ của văn bản {reference} (hạn {due_on})"
    ),
    "paper_reporting": "Nhiệm vụ của văn bản {reference} theo dõi qua báo cáo bằng văn bản",
    "coordination_instruction": "Lãnh đạo chỉ đạo việc phối hợp thực hiện nhiệm vụ của văn bản {reference}",
    "internal_result_ready": "Phòng chuyên môn đã báo cáo kết quả nhiệm vụ của văn bản {reference}",
}


def task_link(task_id: int, directive_id: int) -> str:
    return f"/directives/{directive_id}#task-{task_id}"


def work_item_link(item_id: int) -> str:
    return f"/work-items/{item_id}"


def short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def reminder_title(kind: str, subject_text: str, due_on: date, late_days: int) -> str:
    due = format_date(due_on)
    titles = {
        "due_soon": f"Sắp đến hạn {due}: {subject_text}",
        "due_today": f"Hôm nay ({due}) là hạn: {subject_text}",
        "overdue": f"Quá hạn từ {due}: {subject_text}",
        "escalation": f"Quá hạn {late_days} ngày làm việc (hạn {due}): {subject_text}",
    }
    return titles.get(kind, f"{KIND_LABELS.get(kind, kind)}: {subject_text}")


def task_body(task: Task, citation: str = "") -> str:
    directive = task.directive
    lines = [
        f"Nhiệm vụ: {task.content}",
        f"Văn bản: {directive.reference} ngày {format_date(directive.issued_on)} — {directive.summary}",
        f"Đơn vị chủ trì: {task.lead_unit.name}",
        f"Hạn xử lý: {format_date(task.due_on) if task.due_on else 'không có thời hạn'}",
    ]
    if citation:
        lines.append(f"Căn cứ: {citation}")
    return "\n".join(lines)


def work_item_body(item: WorkItem, citation: str = "") -> str:
    lines = [f"Bước công việc: {item.title}", f"Đơn vị xử lý: {item.candidate_unit.name}"]
    if item.due_on:
        lines.append(f"Hạn của bước: {format_date(item.due_on)}")
    if citation:
        lines.append(f"Căn cứ: {citation}")
    return "\n".join(lines)


def model_title(kind: str, args: dict[str, Any], directive: Directive | None) -> str:
    """Title of a notice a model requested; unknown kinds still say which process asked."""
    fields = {
        "reference": directive.reference if directive else "",
        "due_on": format_date(args["due_on"]) if args.get("due_on") else "",
        "message": str(args.get("message") or ""),
    }
    template = MODEL_TITLES.get(kind)
    if template is None:
        label = KIND_LABELS.get(kind, kind)
        suffix = f" — văn bản {fields['reference']}" if directive else ""
        return f"{label}{suffix}"
    return template.format(**fields)


def model_body(args: dict[str, Any]) -> str | None:
    """The message a model passed, with the document it cites (number, date, signer) if any."""
    lines = [str(args["message"])] if args.get("message") else []
    if args.get("doc_reference"):
        document = f"Văn bản: {args['doc_reference']}"
        if args.get("doc_date"):
            document += f" ngày {format_date(str(args['doc_date']))}"
        if args.get("doc_signer"):
            document += f", người ký {args['doc_signer']}"
        lines.append(document)
    return "\n".join(lines) or None

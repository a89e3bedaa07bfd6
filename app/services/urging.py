"""Urging (đôn đốc, R11): the Office urges agencies on one or many tasks, by notice or by document.

An urging is recorded against every task it concerns (`urging_task`), appears in each task's
history (audit `task_urged`), reaches the lead agency's focal officer and head as a notice, and is
counted for the leadership ("which tasks were urged how often").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import Select, case, func, select

from app import clock
from app.extensions import db
from app.models import Task, Unit, Urging, UrgingTask, User
from app.models.types import aggregate_instant
from app.services import audit, notice_texts, notifications, uploads
from app.services.authz import office_unit_of, task_filter
from app.services.effects import task_process_data
from app.services.task_status import TaskStatus

CLOSED = {TaskStatus.COMPLETED, TaskStatus.CANCELLED}
RECIPIENT_LANES = ("lead_agency", "lead_agency_head")


class UrgingInvalid(ValueError):
    """Input refused; `errors` maps a field to a Vietnamese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class UploadedFile:
    name: str
    data: bytes


@dataclass
class UrgingInput:
    task_ids: list[int]
    message: str
    doc_reference: str | None = None
    doc_date: date | None = None
    doc_signer: str | None = None
    file: UploadedFile | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def is_document(self) -> bool:
        return bool(self.doc_reference or self.doc_date or self.doc_signer or self.file)


def parse(payload: dict[str, Any], file: UploadedFile | None = None) -> UrgingInput:
    """Check the fields of an urging; every problem is reported at once."""
    errors: dict[str, str] = {}
    task_ids = _ids(payload.get("task_ids"), errors)
    message = str(payload.get("message") or "").strip()
    if len(message) < 10:
        errors["message"] = "Vui lòng nhập nội dung đôn đốc (ít nhất 10 ký tự)."
    data = UrgingInput(
        task_ids=task_ids,
        message=message,
        doc_reference=str(payload.get("doc_reference") or "").strip() or None,
        doc_date=_date(payload.get("doc_date"), errors),
        doc_signer=str(payload.get("doc_signer") or "").strip() or None,
        file=file,
    )
    if data.is_document:
        for key, label in (
            ("doc_reference", "Số, ký hiệu"),
            ("doc_date", "Ngày văn bản"),
            ("doc_signer", "Người ký"),
        ):
            if getattr(data, key) is None and key not in errors:
                errors[key] = f"Văn bản đôn đốc cần «{label}»."
    if data.doc_date and data.doc_date > clock.today():
        errors["doc_date"] = "Ngày văn bản đôn đốc không được sau hôm nay."
    if errors:
        raise UrgingInvalid(errors)
    return data


def _ids(value: Any, errors: dict[str, str]) -> list[int]:
    raw = value if isinstance(value, list) else [value] if value not in (None, "") else []
    try:
        ids = sorted({int(v) for v in raw})
    except (TypeError, ValueError):
        ids = []
    if not ids:
        errors["task_ids"] = "Chọn ít nhất một nhiệm vụ cần đôn đốc."
    return ids


def _date(value: Any, errors: dict[str, str]) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors["doc_date"] = "Ngày không hợp lệ (dd/mm/yyyy)."
        return None


def urgeable_tasks(user: User) -> Select[Any]:
    """Open tasks of the directives this user's Office follows, overdue and nearest deadlines first."""
    office = office_unit_of(user)
    if office is None:
        return select(Task).where(Task.id.is_(None))
    return (
        select(Task)
        .where(task_filter(user), Task.status.not_in([str(s) for s in CLOSED]))
        .order_by(Task.due_on.is_(None), Task.due_on, Task.id)
    )


def can_urge_task(user: User, task: Task) -> bool:
    """The Office that follows the task's directive may urge it while it is open."""
    office = office_unit_of(user)
    return office is not None and task.directive.office_unit_id == office.id and task.status not in CLOSED


def send_urging(user: User, data: UrgingInput) -> Urging:
    """Record an urging by an Office officer; refuses tasks outside their Office or already closed."""
    office = office_unit_of(user)
    if office is None:
        raise PermissionError("Chỉ Văn phòng UBND được gửi đôn đốc.")
    tasks = _check_tasks(user, office, data.task_ids)
    stored = None
    if data.file is not None:
        try:
            stored = uploads.store(
                "urging",
                data.file.name,
                data.file.data,
                max_bytes=current_app.config["DONDOC_MAX_URGING_FILE_BYTES"],
            )
        except uploads.UploadRefused as exc:
            raise UrgingInvalid({"file": str(exc)}) from exc
    return record_urging(
        office.id,
        tasks,
        message=data.message,
        doc_reference=data.doc_reference,
        doc_date=data.doc_date,
        doc_signer=data.doc_signer,
        stored=stored,
        actor_id=user.id,
        source="office",
    )


def _check_tasks(user: User, office: Unit, task_ids: list[int]) -> list[Task]:
    visible = {
        t.id: t for t in db.session.scalars(select(Task).where(Task.id.in_(task_ids), task_filter(user)))
    }
    errors: dict[str, str] = {}
    for task_id in task_ids:
        task = visible.get(task_id)
        if task is None or task.directive.office_unit_id != office.id:
            errors["task_ids"] = f"Không có nhiệm vụ #{task_id} trong phạm vi theo dõi của Văn phòng."
        elif task.status in CLOSED:
            errors["task_ids"] = f"Nhiệm vụ #{task_id} đã kết thúc, không cần đôn đốc."
    if errors:
        raise UrgingInvalid(errors)
    return [visible[i] for i in task_ids]


def record_urging(
    office_unit_id: int,
    tasks: list[Task],
    *,
    message: str,
    doc_reference: str | None,
    doc_date: date | None,
    doc_signer: str | None,
    stored: uploads.StoredFile | None,
    actor_id: int | None,
    source: str,
    now: datetime | None = None,
) -> Urging:
    """Write the urging, link its tasks, audit each task and notify each lead agency."""
    now = now or clock.now()
    is_document = bool(doc_reference or stored)
    urging = Urging(
        office_unit_id=office_unit_id,
        kind="document" if is_document else "notice",
        source=source,
        message=message,
        doc_reference=doc_reference,
        doc_date=doc_date,
        doc_signer=doc_signer,
        file_name=stored.name if stored else None,
        file_key=stored.key if stored else None,
        file_size=stored.size if stored else None,
        file_type=stored.content_type if stored else None,
        file_sha256=stored.sha256 if stored else None,
        created_by_id=actor_id,
        created_at=now,
    )
    urging.links = [UrgingTask(task_id=task.id) for task in tasks]
    db.session.add(urging)
    db.session.flush()
    for task in tasks:
        _record_on_task(urging, task, actor_id, now)
    return urging


def _record_on_task(urging: Urging, task: Task, actor_id: int | None, now: datetime) -> None:
    audit.record(
        "task_urged",
        actor_id=actor_id,
        directive_id=task.directive_id,
        task_id=task.id,
        details={
            "urging_id": urging.id,
            "kind": urging.kind,
            "source": urging.source,
            "doc_reference": urging.doc_reference,
            "doc_date": urging.doc_date.isoformat() if urging.doc_date else None,
            "doc_signer": urging.doc_signer,
            "message": urging.message,
            "tasks": len(urging.links),
        },
        at=now,
    )
    data = task_process_data(task)
    recipients = [user for lane in RECIPIENT_LANES for user in notifications.lane_users(lane, data)]
    what = f"văn bản {urging.doc_reference}" if urging.doc_reference else "thông báo"
    notifications.notify_users(
        recipients,
        notifications.Notice(
            kind="urged",
            title=f"Văn phòng đôn đốc ({what}): {notice_texts.short(task.content)}",
            body=f"{urging.message}\n\n{notice_texts.task_body(task)}",
            link=notice_texts.task_link(task.id, task.directive_id),
            directive_id=task.directive_id,
            task_id=task.id,
        ),
        now=now,
    )


def urgings_of_task(task_id: int) -> list[Urging]:
    return list(
        db.session.scalars(
            select(Urging).join(UrgingTask).where(UrgingTask.task_id == task_id).order_by(Urging.id)
        )
    )


@dataclass(frozen=True)
class UrgedTask:
    task: Task
    count: int
    documents: int
    last_at: datetime


def urged_tasks(user: User, *, unit_id: int | None = None, limit: int = 200) -> list[UrgedTask]:
    """Tasks this user may see with how often they were urged (and by how many documents)."""
    counts = (
        select(
            UrgingTask.task_id.label("task_id"),
            func.count(Urging.id).label("count"),
            func.sum(case((Urging.kind == "document", 1), else_=0)).label("documents"),
            func.max(Urging.created_at).label("last_at"),
        )
        .join(Urging, Urging.id == UrgingTask.urging_id)
        .group_by(UrgingTask.task_id)
        .subquery()
    )
    query = (
        select(Task, counts.c.count, counts.c.documents, counts.c.last_at)
        .join(counts, counts.c.task_id == Task.id)
        .where(task_filter(user))
        .order_by(counts.c.count.desc(), counts.c.last_at.desc())
        .limit(limit)
    )
    if unit_id is not None:
        query = query.where(Task.lead_unit_id == unit_id)
    rows = db.session.execute(query).all()
    return [
        UrgedTask(task, int(count), int(documents or 0), aggregate_instant(last) or clock.now())
        for task, count, documents, last in rows
    ]

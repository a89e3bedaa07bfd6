"""Registering directive documents and their tasks; starting the intake process."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import Directive, Task, TaskCoordinator, Unit, User
from app.services import audit, deadlines
from app.services.authz import office_unit_of
from app.services.rules import active_profile
from app.services.task_status import TaskStatus
from app.workflow import start_instance

DOC_TYPES = {
    "quyet_dinh": "Quyết định",
    "chi_thi": "Chỉ thị",
    "quy_che": "Quy chế",
    "quy_dinh": "Quy định",
    "chuong_trinh": "Chương trình",
    "ke_hoach": "Kế hoạch",
    "huong_dan": "Hướng dẫn",
    "de_an": "Đề án",
    "cong_van": "Công văn",
    "cong_dien": "Công điện",
    "thong_bao_ket_luan": "Thông báo kết luận",
    "phieu_chuyen": "Phiếu chuyển",
    "chi_dao_truc_tiep": "Ý kiến chỉ đạo trực tiếp",
    "khac": "Văn bản khác",
}
CONFIDENTIALITY = {"normal": "Thường", "confidential": "Mật", "secret": "Tối mật", "top_secret": "Tuyệt mật"}
DELIVERABLES = {"none": "Không phải trình, báo cáo", "report": "Phải báo cáo", "submit": "Phải trình"}


class DirectiveInvalid(ValueError):
    """Input refused; `errors` maps a field (e.g. `tasks[1].lead_unit`) to a Vietnamese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class TaskInput:
    content: str
    lead_unit: str
    coordinating_units: list[str] = field(default_factory=list)
    due_on: date | None = None
    deliverable: str = "none"
    deadline_fixed_by_higher: bool = False
    subject_field: str | None = None  # lĩnh vực
    leader_id: int | None = None  # lãnh đạo phụ trách
    is_public: bool = False  # công khai nội dung trên trang công khai


@dataclass
class DirectiveInput:
    number: str
    symbol: str
    doc_type: str
    summary: str
    issued_on: date
    signer: str
    submitting_agency: str | None = None
    is_urgent: bool = False
    is_complex: bool = False
    confidentiality: str = "normal"
    tasks: list[TaskInput] = field(default_factory=list)


def _iso(value: Any, key: str, errors: dict[str, str], *, required: bool) -> date | None:
    if value in (None, ""):
        if required:
            errors[key] = "Vui lòng nhập ngày."
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors[key] = "Ngày không hợp lệ (định dạng YYYY-MM-DD)."
        return None


def parse_directive(payload: dict[str, Any]) -> DirectiveInput:
    """Check a JSON payload field by field; every problem is reported at once."""
    errors: dict[str, str] = {}
    for key, label in (
        ("number", "Số"),
        ("symbol", "Ký hiệu"),
        ("summary", "Trích yếu"),
        ("signer", "Người ký"),
    ):
        if not str(payload.get(key) or "").strip():
            errors[key] = f"Vui lòng nhập «{label}»."
    if payload.get("doc_type") not in DOC_TYPES:
        errors["doc_type"] = "Loại văn bản không hợp lệ."
    if payload.get("confidentiality", "normal") not in CONFIDENTIALITY:
        errors["confidentiality"] = "Độ mật không hợp lệ."
    issued_on = _iso(payload.get("issued_on"), "issued_on", errors, required=True)
    raw_tasks = payload.get("tasks")
    if not isinstance(raw_tasks, list) or not raw_tasks:
        errors["tasks"] = "Văn bản cần ít nhất một nhiệm vụ."
        raw_tasks = []
    # A confidential directive's contents may be withheld: the profile decides (R14) what is kept.
    confidential = payload.get("confidentiality", "normal") != "normal"
    tasks = [_parse_task(i, raw, issued_on, errors, confidential) for i, raw in enumerate(raw_tasks)]
    if errors:
        raise DirectiveInvalid(errors)
    assert issued_on is not None
    return DirectiveInput(
        number=str(payload["number"]).strip(),
        symbol=str(payload["symbol"]).strip(),
        doc_type=str(payload["doc_type"]),
        summary=str(payload["summary"]).strip(),
        issued_on=issued_on,
        signer=str(payload["signer"]).strip(),
        submitting_agency=str(payload.get("submitting_agency") or "").strip() or None,
        is_urgent=bool(payload.get("is_urgent", False)),
        is_complex=bool(payload.get("is_complex", False)),
        confidentiality=str(payload.get("confidentiality", "normal")),
        tasks=[t for t in tasks if t is not None],
    )


def _parse_task(
    i: int, raw: Any, issued_on: date | None, errors: dict[str, str], confidential: bool
) -> TaskInput | None:
    key = f"tasks[{i}]"
    if not isinstance(raw, dict):
        errors[key] = "Nhiệm vụ không hợp lệ."
        return None
    if not str(raw.get("content") or "").strip() and not confidential:
        errors[f"{key}.content"] = "Vui lòng nhập nội dung nhiệm vụ."
    if raw.get("deliverable", "none") not in DELIVERABLES:
        errors[f"{key}.deliverable"] = "Loại nhiệm vụ (phải trình, phải báo cáo) không hợp lệ."
    units = [raw.get("lead_unit"), *list(raw.get("coordinating_units") or [])]
    known = set(db.session.scalars(select(Unit.code).where(Unit.code.in_([u for u in units if u]))))
    if raw.get("lead_unit") not in known:
        errors[f"{key}.lead_unit"] = f"Không có đơn vị chủ trì '{raw.get('lead_unit')}'."
    for code in raw.get("coordinating_units") or []:
        if code not in known:
            errors[f"{key}.coordinating_units"] = f"Không có đơn vị phối hợp '{code}'."
        elif code == raw.get("lead_unit"):
            errors[f"{key}.coordinating_units"] = "Đơn vị chủ trì không đồng thời là đơn vị phối hợp."
    due_on = _iso(raw.get("due_on"), f"{key}.due_on", errors, required=False)
    if due_on and issued_on and due_on < issued_on:
        errors[f"{key}.due_on"] = "Hạn xử lý không được trước ngày ban hành."
    fixed = bool(raw.get("deadline_fixed_by_higher", False))
    if fixed and due_on is None:
        errors[f"{key}.deadline_fixed_by_higher"] = (
            "Nhiệm vụ không có hạn thì không có hạn do cấp trên ấn định."
        )
    return TaskInput(
        content=str(raw.get("content") or "").strip(),
        lead_unit=str(raw.get("lead_unit")),
        coordinating_units=list(raw.get("coordinating_units") or []),
        due_on=due_on,
        deliverable=str(raw.get("deliverable", "none")),
        deadline_fixed_by_higher=fixed,
        subject_field=str(raw.get("field") or "").strip()[:100] or None,
        leader_id=_leader_id(raw.get("leader"), f"{key}.leader", errors),
        is_public=bool(raw.get("is_public", False)),
    )


def _leader_id(username: Any, key: str, errors: dict[str, str]) -> int | None:
    """The leader in charge, given by username; must hold the leader role."""
    if not username:
        return None
    from app.models import Role, UserRole

    found = db.session.scalar(
        select(User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.username == str(username), UserRole.role == Role.LEADER.value)
        .limit(1)
    )
    if found is None:
        errors[key] = f"Không có lãnh đạo '{username}'."
    return found


def register_directive(data: DirectiveInput, actor: User) -> Directive:
    """Create the directive and its tasks and start the Office's intake process (R1, R5, R14).

    The intake model applies the active profile's confidentiality policy first: it may refuse the
    directive (`RuleRefused`, nothing is kept) or drop its contents before anything is committed.
    """
    office = office_unit_of(actor)
    if office is None:
        raise PermissionError("Chỉ Văn phòng UBND được vào sổ văn bản chỉ đạo.")
    now = clock.now()
    profile = active_profile()
    directive = Directive(
        doc_type=data.doc_type,
        number=data.number,
        symbol=data.symbol,
        summary=data.summary,
        issued_on=data.issued_on,
        signer=data.signer,
        submitting_agency=data.submitting_agency,
        is_urgent=data.is_urgent,
        is_complex=data.is_complex,
        confidentiality=data.confidentiality,
        profile=profile,
        office_unit_id=office.id,
        status="registered",
        created_by_id=actor.id,
        created_at=now,
    )
    db.session.add(directive)
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    for seq, item in enumerate(data.tasks, start=1):
        task = Task(
            directive=directive,
            seq=seq,
            content=item.content,
            lead_unit_id=units[item.lead_unit].id,
            field=item.subject_field,
            leader_id=item.leader_id,
            is_public=item.is_public,
            due_on=item.due_on,
            due_rule="Hạn ghi trong văn bản chỉ đạo" if item.due_on else None,
            deliverable=item.deliverable,
            deadline_fixed_by_higher=item.deadline_fixed_by_higher,
            status=TaskStatus.NOT_RECEIVED,
            status_changed_at=now,
            created_at=now,
        )
        task.coordinators = [TaskCoordinator(unit_id=units[c].id) for c in item.coordinating_units]
        db.session.add(task)
    db.session.flush()
    for task in directive.tasks:
        if task.due_on is not None:
            deadlines.record_fixed("task", task.id, "due_on", task.due_on, deadlines.DIRECTIVE_DEADLINE_RULE)
    audit.record(
        "directive_registered",
        actor_id=actor.id,
        directive_id=directive.id,
        details={"reference": directive.reference, "tasks": len(data.tasks), "profile": profile},
        at=now,
    )
    instance = start_instance(
        "directive_intake",
        {
            "directive_id": directive.id,
            "office_unit_id": office.id,
            "province_unit_id": office.parent_id or office.id,
            "issued_on": data.issued_on.isoformat(),
            "is_urgent": data.is_urgent,
            "is_complex": data.is_complex,
            "confidentiality": data.confidentiality,
            "profile": profile,
            "task_ids": [t.id for t in directive.tasks],
        },
        now=now,
        actor_id=actor.id,
        directive_id=directive.id,
    )
    _set_classify_due(directive, instance.id)
    return directive


def _set_classify_due(directive: Directive, instance_id: int) -> None:
    """The directive shows its classification step's deadline, explained by the same record."""
    from app.models import WorkItem

    item = db.session.scalar(
        select(WorkItem).where(WorkItem.instance_id == instance_id, WorkItem.state == "open").limit(1)
    )
    directive.classify_due_on = item.due_on if item is not None else None
    record = deadlines.find("work_item", item.id, "due_on") if item is not None else None
    if record is not None:
        deadlines.copy_record(record, "directive", directive.id, "classify_due_on")


@dataclass
class RegisterFilter:
    q: str = ""
    doc_type: str = ""
    status: str = ""
    issued_from: date | None = None
    issued_to: date | None = None
    page: int = 1


REGISTER_PAGE = 25


def search_register(user: User, f: RegisterFilter) -> tuple[list[Directive], int, int]:
    """The directives the user may see, filtered; returns (page rows, total, page number)."""
    from sqlalchemy import func

    from app.services.authz import directive_filter
    from app.text import search_terms

    query = select(Directive).where(directive_filter(user))
    for term in search_terms(f.q):
        query = query.where(Directive.search_text.contains(term, autoescape=True))
    if f.doc_type:
        query = query.where(Directive.doc_type == f.doc_type)
    if f.status:
        query = query.where(Directive.status == f.status)
    if f.issued_from:
        query = query.where(Directive.issued_on >= f.issued_from)
    if f.issued_to:
        query = query.where(Directive.issued_on <= f.issued_to)
    total = int(db.session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    pages = max(1, -(-total // REGISTER_PAGE))
    page = min(max(1, f.page), pages)
    rows = db.session.scalars(
        query.order_by(Directive.issued_on.desc(), Directive.id.desc())
        .limit(REGISTER_PAGE)
        .offset((page - 1) * REGISTER_PAGE)
    ).all()
    return list(rows), total, page

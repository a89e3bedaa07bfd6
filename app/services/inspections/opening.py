"""Opening an inspection (periodic under an approved plan, or ad hoc) and the yearly plans.

The Office (or an agency, for its own scope) drafts; the competent leader decides (000:9, 000:11-12,
001:12, 001:14-15). Opening creates the `inspection` row and starts the `inspection` process, whose
first step is the drafter's proposal form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.forms import FormInvalid
from app.models import Inspection, InspectionPlan, Role, Unit, User
from app.services import audit, rules
from app.services.inspections.access import drafter_role_for, owner_unit_for
from app.services.inspections.labels import DECIDERS, TRIGGERS
from app.workflow import start_instance


@dataclass
class OpenRequest:
    kind: str
    title: str
    decider: str
    plan_id: int | None = None
    trigger: str | None = None
    reason: str | None = None
    suggested_unit_ids: list[int] = field(default_factory=list)


def leader_for(owner: Unit, decider: str) -> tuple[Unit, str]:
    """(unit, user role) of who issues the decision: the Chairman, the Office chief or the agency head."""
    if decider == "chairman":
        province = owner.parent if owner.kind == "office" and owner.parent is not None else owner
        return province, str(Role.LEADER)
    if decider == "office_chief" and owner.kind == "office":
        return owner, str(Role.OFFICE_CHIEF)
    if decider == "agency_head" and owner.kind != "office":
        return owner, str(Role.AGENCY_HEAD)
    raise FormInvalid({"decider": "Người ra quyết định không phù hợp với cơ quan tiến hành kiểm tra."})


def _check(request: OpenRequest, owner: Unit) -> InspectionPlan | None:
    errors: dict[str, str] = {}
    plan = None
    if len(request.title.strip()) < 10:
        errors["title"] = "Vui lòng nhập tên đợt kiểm tra (ít nhất 10 ký tự)."
    if request.decider not in DECIDERS:
        errors["decider"] = "Vui lòng chọn người ra quyết định kiểm tra."
    if request.kind == "periodic":
        plan = db.session.get(InspectionPlan, request.plan_id) if request.plan_id else None
        if plan is None or plan.owner_unit_id != owner.id or plan.status != "approved":
            errors["plan_id"] = "Kiểm tra định kỳ phải theo một kế hoạch đã được phê duyệt."
    elif request.kind == "ad_hoc":
        if request.trigger not in TRIGGERS:
            errors["trigger"] = "Vui lòng chọn căn cứ kiểm tra đột xuất."
        if len((request.reason or "").strip()) < 10:
            errors["reason"] = "Vui lòng nêu rõ yêu cầu hoặc dấu hiệu dẫn đến kiểm tra đột xuất."
    else:
        errors["kind"] = "Hình thức kiểm tra không hợp lệ."
    if errors:
        raise FormInvalid(errors)
    return plan


def open_inspection(user: User, request: OpenRequest) -> Inspection:
    """Create the inspection and start its process; the drafter's proposal step comes first."""
    owner = owner_unit_for(user)
    if owner is None:
        raise PermissionError(
            "Chỉ Văn phòng hoặc cơ quan tự kiểm tra trong phạm vi mình mới mở được đợt kiểm tra."
        )
    plan = _check(request, owner)
    leader_unit, leader_role = leader_for(owner, request.decider)
    office = _office_of(owner)
    now = clock.now()
    inspection = Inspection(
        kind=request.kind,
        plan_id=plan.id if plan else None,
        trigger=request.trigger if request.kind == "ad_hoc" else None,
        reason=(request.reason or "").strip() or None,
        status="drafting",
        title=request.title.strip(),
        owner_unit_id=owner.id,
        leader_unit_id=leader_unit.id,
        leader_role=leader_role,
        office_unit_id=office.id,
        created_by_id=user.id,
        created_at=now,
    )
    db.session.add(inspection)
    db.session.flush()
    audit.record(
        "inspection_opened",
        actor_id=user.id,
        details={"inspection_id": inspection.id, "kind": request.kind, "title": inspection.title},
        at=now,
    )
    instance = start_instance(
        "inspection", _process_data(inspection, owner, office, request), now=now, actor_id=user.id
    )
    inspection.instance_id = instance.id
    return inspection


def _office_of(owner: Unit) -> Unit:
    """The Office that follows every inspection up (001:17.1): the owner itself, or its province's Office."""
    if owner.kind == "office":
        return owner
    office: Unit | None = db.session.scalar(
        select(Unit).where(Unit.kind == "office", Unit.path.startswith(owner.province_path)).order_by(Unit.id)
    )
    if office is None:
        raise FormInvalid({"_form": "Chưa khai báo Văn phòng UBND trong cơ cấu tổ chức."})
    return office


def _process_data(inspection: Inspection, owner: Unit, office: Unit, request: OpenRequest) -> dict[str, Any]:
    return {
        "inspection_id": inspection.id,
        "kind": inspection.kind,
        "owner_unit_id": owner.id,
        "drafter_role": drafter_role_for(owner),
        "leader_unit_id": inspection.leader_unit_id,
        "leader_role": inspection.leader_role,
        "office_unit_id": office.id,
        "province_unit_id": office.parent_id or office.id,
        "reports_to_office": owner.id != office.id,
        "profile": rules.configured_profile(),  # None: the tables' default rows apply
        "suggested_unit_ids": list(request.suggested_unit_ids),
    }


def create_plan(user: User, *, year: int, title: str, content: str) -> InspectionPlan:
    owner = owner_unit_for(user)
    if owner is None:
        raise PermissionError("Chỉ Văn phòng hoặc cơ quan tự kiểm tra mới lập kế hoạch kiểm tra.")
    errors = {}
    if not 2000 <= year <= 2100:
        errors["year"] = "Năm kế hoạch không hợp lệ."
    if len(title.strip()) < 10:
        errors["title"] = "Vui lòng nhập tên kế hoạch (ít nhất 10 ký tự)."
    if len(content.strip()) < 10:
        errors["content"] = "Vui lòng nhập nội dung kế hoạch (đối tượng, nội dung, thời gian kiểm tra)."
    if errors:
        raise FormInvalid(errors)
    plan = InspectionPlan(
        year=year,
        title=title.strip(),
        content=content.strip(),
        owner_unit_id=owner.id,
        status="draft",
        created_by_id=user.id,
        created_at=clock.now(),
    )
    db.session.add(plan)
    db.session.flush()
    audit.record("inspection_plan_drafted", actor_id=user.id, details={"plan_id": plan.id, "year": year})
    return plan


def can_approve_plan(user: User, plan: InspectionPlan) -> bool:
    """The Chairman approves the Office's plan; an agency head approves the agency's own."""
    owner = plan.owner_unit
    if owner.kind == "office":
        province_id = owner.parent_id or owner.id
        return any(r.role == Role.LEADER and r.unit_id == province_id for r in user.roles)
    return any(r.role == Role.AGENCY_HEAD and r.unit_id == owner.id for r in user.roles)


def approve_plan(user: User, plan: InspectionPlan) -> InspectionPlan:
    if not can_approve_plan(user, plan):
        raise PermissionError("Bạn không có thẩm quyền phê duyệt kế hoạch kiểm tra này.")
    if plan.status == "approved":
        raise FormInvalid({"_form": "Kế hoạch đã được phê duyệt."})
    plan.status, plan.approved_on, plan.approved_by_id = "approved", clock.today(), user.id
    audit.record(
        "inspection_plan_approved", actor_id=user.id, details={"plan_id": plan.id, "year": plan.year}
    )
    return plan

"""The team head may invite more members while the inspection runs (000:13.2, 001:16.2)."""

from __future__ import annotations

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.forms import FormInvalid
from app.models import Inspection, InspectionMember, User
from app.services import audit
from app.services.inspections.access import is_team_head


def invite_member(
    user: User, inspection: Inspection, *, full_name: str, position: str, username: str = ""
) -> InspectionMember:
    if not is_team_head(user, inspection):
        raise PermissionError("Chỉ Trưởng Đoàn kiểm tra được mời thêm thành viên.")
    if inspection.status not in {"in_progress", "reporting"}:
        raise FormInvalid({"_form": "Chỉ mời thêm thành viên trong thời gian kiểm tra."})
    errors = {}
    if len(full_name.strip()) < 3:
        errors["full_name"] = "Vui lòng nhập họ và tên."
    account = (
        db.session.scalar(select(User).where(User.username == username.strip())) if username.strip() else None
    )
    if username.strip() and account is None:
        errors["username"] = f"Không có tài khoản '{username.strip()}'."
    if errors:
        raise FormInvalid(errors)
    member = InspectionMember(
        full_name=full_name.strip(),
        position=position.strip() or None,
        role="invited",
        user_id=account.id if account else None,
        added_at=clock.now(),
    )
    inspection.members.append(member)
    db.session.flush()
    audit.record(
        "inspection_member_invited",
        actor_id=user.id,
        instance_id=inspection.instance_id,
        details={"inspection_id": inspection.id, "full_name": member.full_name, "position": member.position},
    )
    return member

"""Administration of units and accounts (R15): tree edits, roles, passwords, sessions, leavers.

Decisions written down here because the regulation leaves them open:

- **One focal officer per agency.** Appointing a new one *replaces* the previous one in that role;
  the open items the previous focal officer had claimed for that agency move to the new one (they
  are the agency's work, not the person's), each move audited. A plain "add role" that would
  make two focal officers is refused with the name of the current one.
- **A leaver's account is closed, never deleted**: it cannot log in, its sessions and API tokens
  end, its roles are removed (so the agency can appoint a new focal officer), and each open item it
  held goes to the successor chosen by the administrator when that person may take it, otherwise
  back to the unit's shared queue ("Việc của đơn vị"), where the candidates see it at once.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import func, select, update

from app import clock
from app.extensions import db
from app.i18n_marker import N_
from app.models import ApiToken, Role, Unit, UnitKind, User, UserRole, WorkItem
from app.services import audit
from app.services.authz import can_admin_unit, can_admin_user, colleague_ids

MIN_PASSWORD = 8
ROLE_LABELS = {
    Role.OFFICE_OFFICER: N_("Chuyên viên Văn phòng"),
    Role.OFFICE_CHIEF: N_("Chánh Văn phòng"),
    Role.LEADER: N_("Lãnh đạo UBND (Chủ tịch, Phó Chủ tịch)"),
    Role.FOCAL_OFFICER: N_("Đầu mối của cơ quan"),
    Role.AGENCY_HEAD: N_("Thủ trưởng cơ quan"),
    Role.SECTION_HEAD: N_("Trưởng phòng, ban"),
    Role.OFFICER: N_("Chuyên viên"),
    Role.INSPECTOR: N_("Thành viên đoàn kiểm tra"),
    Role.EMULATION_COUNCIL: N_("Hội đồng Thi đua - Khen thưởng (chỉ xem)"),
    Role.ANALYST: N_("Chuyên viên phân tích, thiết kế quy trình"),
    Role.ADMIN: N_("Quản trị hệ thống"),
}
KIND_LABELS = {
    UnitKind.PROVINCE: N_("UBND tỉnh/huyện"),
    UnitKind.OFFICE: N_("Văn phòng UBND"),
    UnitKind.DEPARTMENT: N_("Sở, ban, ngành"),
    UnitKind.DISTRICT: N_("UBND cấp huyện"),
    UnitKind.SECTION: N_("Phòng, ban"),
    UnitKind.COMMUNE: N_("UBND cấp xã"),
}


class OrgInvalid(ValueError):
    """Refused input; `errors` maps a field to a Vietnamese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class OrgForbidden(PermissionError):
    """The administrator's scope does not cover this unit or account."""


def _require_unit(actor: User, unit: Unit) -> None:
    if not can_admin_unit(actor, unit):
        raise OrgForbidden("Đơn vị này nằm ngoài phạm vi bạn quản trị.")


def _require_user(actor: User, target: User) -> None:
    if not can_admin_user(actor, target):
        raise OrgForbidden("Tài khoản này nằm ngoài phạm vi bạn quản trị.")


def _record(action: str, actor: User, **details: object) -> None:
    audit.record(action, actor_id=actor.id, details=dict(details))


# --- units ---------------------------------------------------------------------------------


def create_unit(actor: User, *, code: str, name: str, kind: str, parent: Unit) -> Unit:
    _require_unit(actor, parent)
    code, name = code.strip().lower(), name.strip()
    errors: dict[str, str] = {}
    if not code or not code.replace("-", "").replace(".", "").isalnum():
        errors["code"] = "Mã đơn vị chỉ gồm chữ không dấu, số, dấu gạch ngang."
    elif db.session.scalar(select(Unit.id).where(Unit.code == code)) is not None:
        errors["code"] = f"Mã đơn vị '{code}' đã được dùng."
    if not name:
        errors["name"] = "Vui lòng nhập tên đơn vị."
    if kind not in set(UnitKind):
        errors["kind"] = "Loại đơn vị không hợp lệ."
    if not parent.is_active:
        errors["parent"] = "Đơn vị cấp trên đã ngừng hoạt động."
    if errors:
        raise OrgInvalid(errors)
    unit = Unit(code=code, name=name, kind=kind, parent=parent, path="/", is_active=True)
    db.session.add(unit)
    db.session.flush()
    unit.path = f"{parent.path}{unit.id}/"
    _record("unit_created", actor, unit=unit.code, parent=parent.code)
    return unit


def update_unit(actor: User, unit: Unit, *, name: str, kind: str) -> Unit:
    _require_unit(actor, unit)
    if not name.strip():
        raise OrgInvalid({"name": "Vui lòng nhập tên đơn vị."})
    if kind not in set(UnitKind):
        raise OrgInvalid({"kind": "Loại đơn vị không hợp lệ."})
    before = {"name": unit.name, "kind": unit.kind}
    unit.name, unit.kind = name.strip(), kind
    _record("unit_updated", actor, unit=unit.code, before=before, after={"name": unit.name, "kind": kind})
    return unit


def move_unit(actor: User, unit: Unit, new_parent: Unit) -> Unit:
    """Re-hang a unit (and its whole subtree) under another parent: one UPDATE of the paths."""
    _require_unit(actor, unit)
    _require_unit(actor, new_parent)
    if new_parent.path.startswith(unit.path):
        raise OrgInvalid({"parent": "Không thể chuyển đơn vị vào chính nó hoặc đơn vị cấp dưới của nó."})
    old_prefix, new_prefix = unit.path, f"{new_parent.path}{unit.id}/"
    old_parent = unit.parent.code if unit.parent else None
    unit.parent_id = new_parent.id
    db.session.flush()
    db.session.execute(
        update(Unit)
        .where(Unit.path.startswith(old_prefix, autoescape=True))
        .values(path=new_prefix + func.substr(Unit.path, len(old_prefix) + 1))
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()
    _record("unit_moved", actor, unit=unit.code, from_parent=old_parent, to_parent=new_parent.code)
    return unit


def deactivate_unit(actor: User, unit: Unit) -> Unit:
    """Refused while the unit still has active sub-units, people or open work."""
    _require_unit(actor, unit)
    errors: dict[str, str] = {}
    if db.session.scalar(select(Unit.id).where(Unit.parent_id == unit.id, Unit.is_active.is_(True))):
        errors["unit"] = "Đơn vị còn đơn vị cấp dưới đang hoạt động."
    elif db.session.scalar(
        select(UserRole.id)
        .join(User, User.id == UserRole.user_id)
        .where(UserRole.unit_id == unit.id, User.is_active_account.is_(True))
    ):
        errors["unit"] = "Đơn vị còn tài khoản đang hoạt động; hãy chuyển hoặc đóng các tài khoản trước."
    elif db.session.scalar(
        select(WorkItem.id).where(WorkItem.candidate_unit_id == unit.id, WorkItem.state == "open")
    ):
        errors["unit"] = "Đơn vị còn công việc chưa xử lý."
    if errors:
        raise OrgInvalid(errors)
    unit.is_active = False
    _record("unit_deactivated", actor, unit=unit.code)
    return unit


# --- accounts -------------------------------------------------------------------------------


def create_user(
    actor: User, *, username: str, full_name: str, email: str | None, password: str, unit: Unit, role: str
) -> User:
    _require_unit(actor, unit)
    username = username.strip().lower()
    errors: dict[str, str] = {}
    if not username or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        errors["username"] = "Tên đăng nhập chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang."
    elif db.session.scalar(select(User.id).where(User.username == username)) is not None:
        errors["username"] = f"Tên đăng nhập '{username}' đã có người dùng."
    if not full_name.strip():
        errors["full_name"] = "Vui lòng nhập họ và tên."
    if len(password) < MIN_PASSWORD:
        errors["password"] = f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự."
    if errors:
        raise OrgInvalid(errors)
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=(email or "").strip() or None,
        created_at=clock.now(),
        is_active_account=True,
        session_version=1,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    _record("user_created", actor, user=username)
    add_role(actor, user, unit, role)
    return user


def update_user(actor: User, target: User, *, full_name: str, email: str | None) -> User:
    _require_user(actor, target)
    if not full_name.strip():
        raise OrgInvalid({"full_name": "Vui lòng nhập họ và tên."})
    target.full_name, target.email = full_name.strip(), (email or "").strip() or None
    _record("user_updated", actor, user=target.username)
    return target


def current_focal_officer(unit: Unit) -> User | None:
    return db.session.scalar(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.unit_id == unit.id, UserRole.role == Role.FOCAL_OFFICER)
    )


def add_role(actor: User, target: User, unit: Unit, role: str) -> UserRole:
    _require_unit(actor, unit)
    if role not in set(Role):
        raise OrgInvalid({"role": "Vai trò không hợp lệ."})
    if not target.is_active or not unit.is_active:
        raise OrgInvalid({"role": "Tài khoản hoặc đơn vị đã ngừng hoạt động."})
    if any(r.role == role and r.unit_id == unit.id for r in target.roles):
        raise OrgInvalid({"role": "Người dùng đã có vai trò này ở đơn vị này."})
    if role == Role.FOCAL_OFFICER:
        focal = current_focal_officer(unit)
        if focal is not None:
            raise OrgInvalid(
                {
                    "role": f"{unit.name} đã có đầu mối là {focal.full_name}. "
                    "Mỗi cơ quan chỉ có một đầu mối; dùng «Giao làm đầu mối» để thay người."
                }
            )
    granted = UserRole(user_id=target.id, unit_id=unit.id, role=role)
    db.session.add(granted)
    db.session.flush()
    db.session.refresh(target)
    _record("role_granted", actor, user=target.username, unit=unit.code, role=role)
    return granted


def remove_role(actor: User, granted: UserRole) -> None:
    _require_unit(actor, granted.unit)
    user, unit, role = granted.user, granted.unit, granted.role
    db.session.delete(granted)
    db.session.flush()
    db.session.refresh(user)
    _record("role_removed", actor, user=user.username, unit=unit.code, role=role)


def appoint_focal_officer(actor: User, unit: Unit, successor: User) -> int:
    """Make `successor` the agency's only focal officer; returns how many open items moved to them."""
    _require_unit(actor, unit)
    previous = current_focal_officer(unit)
    if previous is not None and previous.id == successor.id:
        return 0
    moved = 0
    if previous is not None:
        items = db.session.scalars(
            select(WorkItem).where(
                WorkItem.state == "open",
                WorkItem.assignee_id == previous.id,
                WorkItem.candidate_unit_id == unit.id,
                WorkItem.candidate_role == Role.FOCAL_OFFICER,
            )
        ).all()
        for item in items:
            _move_item(actor, item, successor, "focal_officer_replaced")
        moved = len(items)
        old = next(r for r in previous.roles if r.role == Role.FOCAL_OFFICER and r.unit_id == unit.id)
        remove_role(actor, old)
    add_role(actor, successor, unit, Role.FOCAL_OFFICER)
    return moved


def _move_item(actor: User, item: WorkItem, target: User | None, reason: str) -> None:
    before = item.assignee_id
    item.assignee_id = target.id if target is not None else None
    item.claimed_at = clock.now() if target is not None else None
    audit.record(
        "work_item_reassigned",
        actor_id=actor.id,
        directive_id=item.directive_id,
        task_id=item.task_id,
        instance_id=item.instance_id,
        work_item_id=item.id,
        details={"from": before, "to": item.assignee_id, "reason": reason},
    )


def _end_sessions(target: User, now: datetime) -> None:
    target.session_version += 1
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == target.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def revoke_sessions(actor: User, target: User) -> None:
    """Log the user out everywhere (web sessions and API tokens) at once."""
    _require_user(actor, target)
    _end_sessions(target, clock.now())
    _record("sessions_revoked", actor, user=target.username)


def reset_password(actor: User, target: User) -> str:
    """Set a random temporary password (shown once to the administrator) and end every session."""
    _require_user(actor, target)
    password = secrets.token_urlsafe(9)
    target.set_password(password)
    _end_sessions(target, clock.now())
    _record("password_reset", actor, user=target.username)
    return password


def close_account(actor: User, target: User, successor: User | None) -> dict[str, int]:
    """Close a leaver's account and hand over their open work; returns counts moved / released."""
    _require_user(actor, target)
    if target.id == actor.id:
        raise OrgInvalid({"user": "Không thể tự đóng tài khoản của mình."})
    now = clock.now()
    counts = {"moved": 0, "released": 0}
    items = db.session.scalars(
        select(WorkItem).where(WorkItem.state == "open", WorkItem.assignee_id == target.id)
    ).all()
    for item in items:
        if successor is not None and successor.is_active and successor.id in colleague_ids(item):
            _move_item(actor, item, successor, "account_closed")
            counts["moved"] += 1
        else:
            _move_item(actor, item, None, "account_closed")
            counts["released"] += 1
    for granted in list(target.roles):
        db.session.delete(granted)
    target.is_active_account = False
    target.closed_at = now
    _end_sessions(target, now)
    db.session.flush()
    db.session.refresh(target)
    _record("account_closed", actor, user=target.username, **counts)
    return counts


def active_users_in(unit: Unit) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .join(Unit, Unit.id == UserRole.unit_id)
            .where(User.is_active_account.is_(True), Unit.path.startswith(unit.path, autoescape=True))
            .distinct()
            .order_by(User.full_name)
        )
    )

"""In-app notices (the bell) and who receives them; e-mail copies go through the outbox.

A notice is written in the same transaction as what caused it (a reminder, an urging, a model's
`notify(...)`), so it exists exactly when that change committed. E-mail is never sent here: an
outbox row is queued and a job delivers it after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update

from app import clock
from app.extensions import db
from app.models import Notification, NotificationPreference, Role, User, UserRole
from app.services import audit, mail
from app.services.assignment import lane_table, unit_for
from app.workflow import WorkflowError, batch_memo

EMAIL_MODES = {
    "immediate": "Gửi thư ngay khi có thông báo",
    "digest": "Gửi một thư tổng hợp mỗi ngày",
    "off": "Không gửi thư (chỉ xem trên hệ thống)",
}


@dataclass(frozen=True)
class Notice:
    """What to tell: a short title, an optional body, and the objects it is about."""

    kind: str
    title: str
    body: str | None = None
    link: str | None = None
    directive_id: int | None = None
    task_id: int | None = None
    work_item_id: int | None = None


def users_with_role(role: str, unit_id: int) -> list[User]:
    """Active users holding `role` in `unit_id` (a focal officer, a head, the Office...)."""
    return list(batch_memo(("users_with_role", role, unit_id), lambda: _users_with_role(role, unit_id)))


def _users_with_role(role: str, unit_id: int) -> list[User]:
    return list(db.session.scalars(_USERS_WITH_ROLE, {"role": role, "unit_id": unit_id}).unique())


# Built once: every notice a model sends looks its recipients up here.
_USERS_WITH_ROLE = (
    select(User)
    .join(UserRole, UserRole.user_id == User.id)
    .where(
        UserRole.role == bindparam("role"),
        UserRole.unit_id == bindparam("unit_id"),
        User.is_active_account.is_(True),
    )
    .order_by(User.id)
)


def lane_users(code: str, data: dict[str, Any]) -> list[User]:
    """Users behind a lane code of `bpmn/lanes.json` (or a plain user role) for this process data.

    A model may write `notify(..., to_role="office_chief")` with a lane code or with the user role a
    lane resolves to; both name the same people.
    """
    table = lane_table()
    entry = table.get(code) or next((e for e in table.values() if e["user_role"] == code), None)
    if entry is None:
        if code in {str(role) for role in Role}:
            return _role_holders(code, data)
        raise WorkflowError(f"Không có vai trò nhận thông báo '{code}' trong lanes.json.")
    unit_id = unit_for(entry, data)
    if unit_id is None:
        return []
    role = data.get(entry["role_from"]) if "role_from" in entry else None  # as `assignment.assign`
    return users_with_role(str(role or entry["user_role"]), unit_id)


def _role_holders(role: str, data: dict[str, Any]) -> list[User]:
    """A role no lane stands for (the emulation council...): its holders in the province the
    process belongs to, or every holder when the process data names no province."""
    unit_id = data.get("province_unit_id")
    if isinstance(unit_id, int):
        return users_with_role(role, unit_id)
    users = db.session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == role, User.is_active_account.is_(True))
        .order_by(User.id)
    )
    return list(users.unique())


def notify_users(
    users: Iterable[User], notice: Notice, *, dedup: str | None = None, now: datetime | None = None
) -> list[Notification]:
    """One notice per distinct user; with `dedup`, a repeat of the same notice fails to insert."""
    now = now or clock.now()
    created: list[Notification] = []
    seen: set[int] = set()
    for user in users:
        if user.id in seen or not user.is_active:
            continue
        seen.add(user.id)
        notification = Notification(
            user_id=user.id,
            kind=notice.kind,
            title=notice.title[:300],
            body=notice.body,
            link=notice.link,
            directive_id=notice.directive_id,
            task_id=notice.task_id,
            work_item_id=notice.work_item_id,
            created_at=now,
            dedup_key=f"{dedup}:u{user.id}"[:200] if dedup else None,
        )
        db.session.add(notification)
        created.append(notification)
        if mail.mail_enabled() and user.email and email_mode(user) == "immediate":
            mail.queue_notice(user, notification)
    return created


def preference(user: User) -> NotificationPreference | None:
    return db.session.get(NotificationPreference, user.id)


def email_mode(user: User) -> str:
    def read() -> str:
        pref = preference(user)
        return pref.email_mode if pref is not None else "immediate"

    mode: str = batch_memo(("email_mode", user.id), read)
    return mode


def set_email_mode(user: User, mode: str) -> NotificationPreference:
    if mode not in EMAIL_MODES:
        raise ValueError("Cách nhận thư không hợp lệ.")
    pref = preference(user)
    now = clock.now()
    if pref is None:
        pref = NotificationPreference(user_id=user.id, email_mode=mode, updated_at=now)
        db.session.add(pref)
    elif pref.email_mode != mode:
        pref.email_mode, pref.updated_at = mode, now
    if mode == "digest" and pref.digest_through is None:
        pref.digest_through = now  # the first digest covers what comes after the choice
    audit.record("notification_preference_changed", actor_id=user.id, details={"email_mode": mode}, at=now)
    return pref


def unread_count(user: User) -> int:
    return int(
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def recent(user: User, *, unread_only: bool = False, limit: int = 100) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return list(db.session.scalars(query.order_by(Notification.id.desc()).limit(limit)))


def get_own(user: User, notification_id: int) -> Notification | None:
    """A notice of this user; somebody else's is "not found", never shown."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        return None
    return notification


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = clock.now()


def mark_all_read(user: User) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
    )
    return int(getattr(result, "rowcount", 0) or 0)

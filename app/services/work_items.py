"""Inbox queries and actions on work items: claim, unclaim, complete.

Listing reads the `work_item` projection only; completing validates the form against the
schema deployed with the instance's model version, then lets the engine adapter run the step.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select

from app import clock
from app.extensions import db
from app.forms import validate_form, with_defaults
from app.models import User, WorkItem
from app.services import audit
from app.services.authz import can_act_on, candidate_filter
from app.workflow import WorkItemNotReady
from app.workflow import complete_work_item as engine_complete


class NotAllowed(PermissionError):
    """The user may not act on this object (403)."""


class Conflict(ValueError):
    """The object is not in a state that allows the action (409)."""

    code = "conflict"


def inbox_query(user: User, scope: str = "all", state: str = "open") -> Select[Any]:
    """Work items for `scope`: `mine` (assigned to me), `unit` (claimable by me), `all` (both)."""
    mine = WorkItem.assignee_id == user.id
    claimable = WorkItem.assignee_id.is_(None) & candidate_filter(user)
    condition = {"mine": mine, "unit": claimable}.get(scope, or_(mine, claimable))
    query = select(WorkItem).where(condition)
    if state != "all":
        query = query.where(WorkItem.state == state)
    return query.order_by(WorkItem.due_on.is_(None), WorkItem.due_on, WorkItem.id)


def form_schema(item: WorkItem) -> dict[str, Any]:
    """The JSON Schema deployed with the item's model version (a running instance keeps its form)."""
    if not item.form:
        return {"type": "object", "properties": {}}
    forms: dict[str, Any] = item.instance.model_version.bundle.get("forms", {})
    schema: dict[str, Any] = forms[item.form]
    return schema


def _check_actionable(user: User, item: WorkItem) -> None:
    if item.state != "open":
        raise WorkItemNotReady("Bước công việc này đã được xử lý.")
    if not can_act_on(user, item):
        if item.assignee_id is not None and item.assignee_id != user.id:
            raise Conflict("Công việc đã được người khác nhận xử lý.")
        raise NotAllowed("Bạn không có quyền xử lý công việc này.")


def claim(user: User, item: WorkItem) -> WorkItem:
    if item.assignee_id == user.id and item.state == "open":
        return item
    _check_actionable(user, item)
    item.assignee_id = user.id
    item.claimed_at = clock.now()
    audit.record_item("work_item_claimed", user.id, item)
    return item


def unclaim(user: User, item: WorkItem) -> WorkItem:
    if item.state != "open":
        raise WorkItemNotReady("Bước công việc này đã được xử lý.")
    if item.assignee_id != user.id:
        raise NotAllowed("Chỉ người đang nhận công việc mới trả lại được.")
    item.assignee_id = None
    item.claimed_at = None
    audit.record_item("work_item_unclaimed", user.id, item)
    return item


def complete(user: User, item: WorkItem, data: dict[str, Any]) -> None:
    """Validate and complete; raises FormInvalid (422), WorkItemNotReady/StaleInstance (409)."""
    _check_actionable(user, item)
    schema = form_schema(item)
    validate_form(schema, data)
    data = with_defaults(schema, data)
    now = clock.now()
    if item.assignee_id is None:
        item.assignee_id, item.claimed_at = user.id, now
    engine_complete(item, data, now=now, actor_id=user.id)
    audit.record_item("work_item_completed", user.id, item, {"step": item.title, "data": data}, at=now)


def get_item(item_id: int) -> WorkItem | None:
    return db.session.get(WorkItem, item_id)

"""Inbox queries and actions on work items: claim, unclaim, complete.

Listing reads the `work_item` projection only; completing validates the form against the
schema deployed with the instance's model version, then lets the engine adapter run the step.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from app import clock
from app.extensions import db
from app.forms import validate_form, with_defaults
from app.models import User, WorkItem
from app.services import audit
from app.services.authz import can_act_on, can_reassign, candidate_filter, colleague_ids
from app.workflow import WorkItemNotReady, instance_of, version_bundle, with_model_version
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
    forms: dict[str, Any] = version_bundle(instance_of(item).model_version).get("forms", {})
    schema: dict[str, Any] = forms[item.form]
    return schema


def form_ui(item: WorkItem) -> dict[str, Any]:
    """The optional UI schema deployed beside the form (widgets, order, help texts)."""
    if not item.ui_form:
        return {}
    forms: dict[str, Any] = version_bundle(instance_of(item).model_version).get("forms", {})
    ui: dict[str, Any] = forms.get(item.ui_form, {})
    return ui


def effective_schema(item: WorkItem) -> dict[str, Any]:
    """The deployed schema with data-source choices (units, users) filled in."""
    from app.services.form_sources import expand

    return expand(form_schema(item), item)


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
    from app.services import attachments, drafts

    _check_actionable(user, item)
    schema = effective_schema(item)
    validate_form(schema, data)
    attachments.check_form_files(schema, data, item)
    data = with_defaults(schema, data)
    now = clock.now()
    if item.assignee_id is None:
        item.assignee_id, item.claimed_at = user.id, now
    engine_complete(item, data, now=now, actor_id=user.id)
    audit.record_item("work_item_completed", user.id, item, {"step": item.title, "data": data}, at=now)
    drafts.discard(item)


def _hand_over(actor: User, item: WorkItem, target: User | None, action: str) -> WorkItem:
    before = item.assignee_id
    item.assignee_id = target.id if target is not None else None
    item.claimed_at = clock.now() if target is not None else None
    audit.record(
        action,
        actor_id=actor.id,
        directive_id=item.directive_id,
        task_id=item.task_id,
        instance_id=item.instance_id,
        work_item_id=item.id,
        details={"from": before, "to": item.assignee_id, "to_name": target.full_name if target else None},
    )
    return item


def _check_colleague(item: WorkItem, target: User) -> None:
    if not target.is_active or target.id not in colleague_ids(item):
        raise NotAllowed(
            f"{target.full_name} không thuộc {item.candidate_unit.name}, không nhận được việc này."
        )


def delegate(user: User, item: WorkItem, target: User) -> WorkItem:
    """The assignee (or a candidate, claiming on the way) hands the item to a colleague."""
    _check_actionable(user, item)
    if target.id == user.id:
        raise Conflict("Không thể chuyển công việc cho chính mình.")
    _check_colleague(item, target)
    return _hand_over(user, item, target, "work_item_delegated")


def reassign(head: User, item: WorkItem, target: User | None) -> WorkItem:
    """A head moves an item to a colleague, or back to the unit (`target` None), whoever holds it."""
    if item.state != "open":
        raise WorkItemNotReady("Bước công việc này đã được xử lý.")
    if not can_reassign(head, item):
        raise NotAllowed("Chỉ lãnh đạo đơn vị mới phân công lại được công việc này.")
    if target is not None:
        _check_colleague(item, target)
    return _hand_over(head, item, target, "work_item_reassigned")


def bulk_claim(user: User, items: list[WorkItem]) -> tuple[list[WorkItem], list[tuple[WorkItem, str]]]:
    """Claim each item the user may claim; the others are reported with the reason, none is fatal."""
    claimed: list[WorkItem] = []
    refused: list[tuple[WorkItem, str]] = []
    for item in items:
        try:
            claimed.append(claim(user, item))
        except (NotAllowed, Conflict, WorkItemNotReady) as exc:
            refused.append((item, str(exc)))
    return claimed, refused


def get_item(item_id: int) -> WorkItem | None:
    """The work item with its instance and model version, in one query (what its pages and a
    completion read next); the version's large columns come from the adapter's cache."""
    return db.session.get(
        WorkItem, item_id, options=[joinedload(WorkItem.instance).options(with_model_version())]
    )

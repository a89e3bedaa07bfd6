"""Form drafts: what a user typed and saved without submitting, kept per user and work item."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import FormDraft, User, WorkItem


def save(user: User, item: WorkItem, values: dict[str, Any]) -> FormDraft:
    draft = load(user, item)
    if draft is None:
        draft = FormDraft(work_item_id=item.id, user_id=user.id, values=values, saved_at=clock.now())
        db.session.add(draft)
    else:
        draft.values, draft.saved_at = values, clock.now()
    return draft


def load(user: User, item: WorkItem) -> FormDraft | None:
    draft: FormDraft | None = db.session.scalar(
        select(FormDraft).where(FormDraft.work_item_id == item.id, FormDraft.user_id == user.id)
    )
    return draft


def discard(item: WorkItem) -> None:
    """A submitted step needs no drafts any more (anyone's)."""
    for draft in db.session.scalars(select(FormDraft).where(FormDraft.work_item_id == item.id)):
        db.session.delete(draft)

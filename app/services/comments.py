"""The comment thread of a task: short messages between the Office and the agencies."""

from __future__ import annotations

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import Comment, User, WorkItem
from app.services import audit

MAX_LENGTH = 5000


class CommentInvalid(ValueError):
    pass


def add(user: User, item: WorkItem, body: str) -> Comment:
    """Add a comment on the item's task (or the item itself when it has no task)."""
    text = body.strip()
    if not text:
        raise CommentInvalid("Vui lòng nhập nội dung trao đổi.")
    if len(text) > MAX_LENGTH:
        raise CommentInvalid(f"Nội dung trao đổi dài quá {MAX_LENGTH} ký tự.")
    comment = Comment(
        task_id=item.task_id,
        directive_id=item.directive_id,
        work_item_id=item.id,
        author_id=user.id,
        body=text,
        created_at=clock.now(),
    )
    db.session.add(comment)
    db.session.flush()
    audit.record(
        "comment_added",
        actor_id=user.id,
        directive_id=item.directive_id,
        task_id=item.task_id,
        work_item_id=item.id,
        details={"comment_id": comment.id, "excerpt": text[:120]},
    )
    return comment


def thread(item: WorkItem) -> list[Comment]:
    condition = Comment.task_id == item.task_id if item.task_id else Comment.work_item_id == item.id
    return list(db.session.scalars(select(Comment).where(condition).order_by(Comment.id)))

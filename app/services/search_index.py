"""Keep derived columns up to date on every write: folded `search_text` (see app/text.py) and the
work item's `due_sort` (its due date, or 9999-12-31 when it has none).

A `before_flush` listener fills them for new work items and for new or changed directives, so no
code path (web, API, engine projection, seed) can forget. Work items copy their task's content and
their directive's reference: the inbox search box then needs no join.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import InstanceState, Session

from app.models import Directive, Task, WorkItem
from app.text import fold

NO_DUE = date(9999, 12, 31)


def directive_text(directive: Directive) -> str:
    parts = [directive.reference, directive.summary, directive.signer]
    parts += [t.content for t in directive.tasks]
    return fold(" ".join(p for p in parts if p))


def work_item_text(session: Session, item: WorkItem) -> str:
    parts = [item.title]
    task = session.get(Task, item.task_id) if item.task_id else None
    directive = session.get(Directive, item.directive_id) if item.directive_id else None
    # The step's effects read this very task and directive next.
    keep_referenced(session, [task, directive])
    if task is not None:
        parts.append(task.content)
        if task.field:
            parts.append(task.field)
    if directive is not None:
        parts += [directive.reference, directive.summary]
    return fold(" ".join(parts))


KEEP_KEY = "dondoc.search_index_keep"


def keep_referenced(session: Session, objects: Iterable[object | None]) -> None:
    """Keep these loaded objects referenced until the transaction ends (released by `_release`):
    the session's identity map holds unchanged objects only weakly, so an object read for later
    steps of the same transaction would otherwise be dropped and read again."""
    session.info.setdefault(KEEP_KEY, []).extend(o for o in objects if o is not None)


def install() -> None:
    """Listen on every session's flush (idempotent: SQLAlchemy keeps one registration)."""
    if not event.contains(Session, "before_flush", _refresh_search_text):
        event.listen(Session, "before_flush", _refresh_search_text)
    for name in ("after_commit", "after_rollback"):
        if not event.contains(Session, name, _release):
            event.listen(Session, name, _release)


def _release(session: Session) -> None:
    session.info.pop(KEEP_KEY, None)


def _refresh_search_text(session: Session, _context: Any, _instances: Any) -> None:
    with session.no_autoflush:
        touched: set[Directive] = set()
        for obj in list(session.new) + list(session.dirty):
            if isinstance(obj, WorkItem):
                if not obj.search_text:
                    obj.search_text = work_item_text(session, obj)
                if obj.due_sort != (obj.due_on or NO_DUE):
                    obj.due_sort = obj.due_on or NO_DUE
            elif isinstance(obj, Directive):
                touched.add(obj)
            elif isinstance(obj, Task) and _text_may_change(obj) and obj.directive is not None:
                touched.add(obj.directive)
        for directive in touched:
            text = directive_text(directive)
            if directive.search_text != text:
                directive.search_text = text


def _text_may_change(task: Task) -> bool:
    """A new task, or one whose content or directive changed: a status change (most flushes of a
    step) leaves the directive's text as it was, and reading all its tasks again costs two queries."""
    state: InstanceState[Task] = inspect(task)
    if state.pending or not state.persistent:
        return True
    return any(state.attrs[name].history.has_changes() for name in ("content", "directive_id", "directive"))

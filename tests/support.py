"""Helpers shared by the timers, reminders, urging, notification, mail and deployment tests."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.jobs import JOBS_BY_ID, run_job
from app.models import JobRun, Notification, User, WorkItem
from tests.conftest import directive_payload


def run(job_id: str) -> JobRun:
    """Run one background job once, as the scheduler would (tests never start the scheduler)."""
    result = run_job(JOBS_BY_ID[job_id], holder="test")
    assert result.is_ok, result.error
    return result


def open_item(title: str, **where: Any) -> WorkItem:
    query = select(WorkItem).where(WorkItem.title == title, WorkItem.state == "open")
    for key, value in where.items():
        query = query.where(getattr(WorkItem, key) == value)
    items = db.session.scalars(query.order_by(WorkItem.id)).all()
    assert len(items) == 1, (title, where, [i.title for i in items])
    return items[0]


def register_classified(api: Callable[[str], Any], **overrides: Any) -> dict[str, Any]:
    """The Office registers a directive and classifies it at once: its tasks reach the agencies."""
    office = api("vp.chuyenvien")
    created = office.post("/directives", directive_payload(**overrides))
    assert created.status_code == 201, created.json
    directive = created.json
    classify = open_item("Phân loại, giao nhiệm vụ", directive_id=directive["id"])
    done = office.post(f"/work-items/{classify.id}/complete", {"data": {"origin_level": "province"}})
    assert done.status_code == 200, done.json
    return directive


def accept(api: Callable[[str], Any], username: str, task_id: int) -> None:
    item = open_item("Tiếp nhận nhiệm vụ", task_id=task_id)
    done = api(username).post(f"/work-items/{item.id}/complete", {"data": {"decision": "accept"}})
    assert done.status_code == 200, done.json


def notices_of(username: str) -> list[Notification]:
    user = db.session.scalar(select(User).where(User.username == username))
    assert user is not None
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def all_notices() -> list[tuple[str, str, str]]:
    """(kind, username, title) of every notice, oldest first."""
    rows = db.session.execute(
        select(Notification.kind, User.username, Notification.title)
        .join(User, User.id == Notification.user_id)
        .order_by(Notification.id)
    ).all()
    return [(kind, username, title) for kind, username, title in rows]


def free_port() -> int:
    """A loopback port nobody listens on now (for a server a test starts)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])

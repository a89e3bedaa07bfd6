"""Helpers for the staff web tests: log in, post a page's form with its CSRF token, make work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Unit, User, WorkItem
from app.services import org_admin
from tests.conftest import directive_payload
from tests.test_persistence import csrf_from, login

__all__ = ["csrf_from", "login", "post_page_form", "open_items", "register_and_classify"]


def post_page_form(client: Any, page_url: str, action_url: str, data: dict[str, Any], **kwargs: Any) -> Any:
    """Load `page_url` (as a browser would), then post `data` with that page's CSRF token."""
    token = csrf_from(client.get(page_url).get_data(as_text=True))
    return client.post(action_url, data={**data, "csrf_token": token}, **kwargs)


def register_and_classify(api: Any, **overrides: Any) -> dict[str, Any]:
    """The Office registers a directive (two tasks for Sở Tài chính) and classifies it."""
    office = api("vp.chuyenvien")
    directive: dict[str, Any] = office.post("/directives", directive_payload(**overrides)).json
    classify = next(i for i in office.get("/work-items").json if i["directive_id"] == directive["id"])
    office.post(f"/work-items/{classify['id']}/complete", {"data": {"origin_level": "province"}})
    return directive


def open_items(**where: Any) -> list[WorkItem]:
    query = select(WorkItem).where(WorkItem.state == "open").order_by(WorkItem.id)
    for key, value in where.items():
        query = query.where(getattr(WorkItem, key) == value)
    return list(db.session.scalars(query))


def client_for(app: Any, username: str, password: str | None = None) -> Any:
    """A new browser (cookie jar) logged in as `username`.

    The tests share one app context with their requests; conftest clears the request caches in
    `g` after each request, and the CSRF token cached by the test's own page loads is dropped here.
    """
    from flask import g

    g.pop("csrf_token", None)
    browser = app.test_client()
    login(browser, username, password)
    return browser


STAFF_PASSWORD = "Mat-khau-2026"


def unit(code: str) -> Unit:
    return db.session.scalars(select(Unit).where(Unit.code == code)).one()


def new_user(user: Callable[[str], User], username: str, unit_code: str, role: str) -> User:
    """An account created by the administrator, as the user administration page creates it."""
    created = org_admin.create_user(
        user("admin"),
        username=username,
        full_name=f"Cán bộ {username}",
        email=None,
        password=STAFF_PASSWORD,
        unit=unit(unit_code),
        role=role,
    )
    db.session.commit()
    return created

"""Authorisation matrix: every role x every object type x own scope / other scope, by direct URL.

Own scope: for an agency role, objects whose task is led by its agency (Sở Tài chính) and, for an
oversight role, objects of its province; other scope: another agency (Sở Xây dựng) or another
province (tỉnh B). Seeing means 200; anything else must answer 404 (never a leak of existence).
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app import clock
from app.extensions import db
from app.models import Directive, Role, Unit, WorkItem
from app.services import attachments, directives, work_items
from app.services.seed import demo_password, ensure_unit
from app.services.tokens import issue_token
from tests.conftest import directive_payload
from tests.staff import client_for

PDF = b"%PDF-1.4\n%%EOF\n"
AGENCY_ROLES = [Role.FOCAL_OFFICER, Role.AGENCY_HEAD, Role.SECTION_HEAD, Role.OFFICER]
OVERSIGHT = {
    Role.OFFICE_OFFICER: "vp",
    Role.OFFICE_CHIEF: "vp",
    Role.LEADER: "tinh",
    Role.EMULATION_COUNCIL: "tinh",
    Role.INSPECTOR: "tinh",
    Role.ANALYST: "tinh",
    Role.ADMIN: "tinh",
}
OBJECTS = ["directive", "task", "work_item", "attachment", "diagram", "listed_in_register"]


def _register(officer, number: str, lead: str) -> Directive:
    payload = directive_payload(number=number)
    payload["tasks"] = [
        {"content": f"Nhiệm vụ số {number}", "lead_unit": lead, "coordinating_units": [], "due_on": None}
    ]
    directive = directives.register_directive(directives.parse_directive(payload), officer)
    db.session.flush()
    classify = db.session.scalars(select(WorkItem).where(WorkItem.directive_id == directive.id)).one()
    work_items.complete(officer, classify, {"origin_level": "province"})
    db.session.flush()
    return directive


def _objects(directive: Directive) -> dict[str, str]:
    task = directive.tasks[0]
    item = db.session.scalars(
        select(WorkItem).where(WorkItem.task_id == task.id, WorkItem.state == "open")
    ).one()
    focal = db.session.scalars(select(Unit).where(Unit.id == item.candidate_unit_id)).one()
    uploader = next(u for u in _users_with(Role.FOCAL_OFFICER, focal.id))
    attachment = attachments.store(uploader, item, "bien-ban.pdf", io.BytesIO(PDF))
    return {
        "directive": f"/directives/{directive.id}",
        "task": f"/api/v1/tasks/{task.id}",
        "work_item": f"/work-items/{item.id}",
        "attachment": f"/attachments/{attachment.id}",
        "diagram": f"/work-items/{item.id}/diagram.bpmn",
        "listed_in_register": directive.reference,
    }


def _users_with(role: str, unit_id: int):
    from app.models import User, UserRole

    return db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == role, UserRole.unit_id == unit_id)
    ).all()


# A cheap hash for the many accounts of this matrix (the demo accounts keep the real one).
FAST_HASH = generate_password_hash(demo_password(), method="pbkdf2:sha256:1000")


def _add_user(username: str, unit_code: str, role: str) -> None:
    from app.models import User, UserRole

    unit = db.session.scalars(select(Unit).where(Unit.code == unit_code)).one()
    account = User(username=username, full_name=username, password_hash=FAST_HASH, created_at=clock.now())
    db.session.add(account)
    db.session.flush()
    db.session.add(UserRole(user_id=account.id, unit_id=unit.id, role=str(role)))
    db.session.flush()


@pytest.fixture
def world(app, user, freeze):
    """Province A (the demo one) and province B, one directive per scope, files on each item."""
    freeze("2026-03-02T09:00:00+07:00")
    ensure_unit("tinh-b", "UBND tỉnh B", "province", None)
    ensure_unit("vp-b", "Văn phòng UBND tỉnh B", "office", "tinh-b")
    ensure_unit("stc-b", "Sở Tài chính tỉnh B", "department", "tinh-b")
    _add_user("vpb.chuyenvien", "vp-b", Role.OFFICE_OFFICER)
    _add_user("stcb.daumoi", "stc-b", Role.FOCAL_OFFICER)
    for role in AGENCY_ROLES[1:]:
        _add_user(f"stc.{role}", "stc", role)
    for role, unit_code in OVERSIGHT.items():
        _add_user(f"x.{role}", unit_code, role)
    own_agency = _objects(_register(user("vp.chuyenvien"), "101", "stc"))
    other_agency = _objects(_register(user("vp.chuyenvien"), "102", "sxd"))
    other_province = _objects(_register(user("vpb.chuyenvien"), "103", "stc-b"))
    db.session.commit()
    clock.now()
    return {"own_agency": own_agency, "other_agency": other_agency, "other_province": other_province}


def _outcomes(app, username: str, objects: dict[str, str]) -> dict[str, bool]:
    from app.models import User

    browser = client_for(app, username)
    token = issue_token(db.session.scalars(select(User).where(User.username == username)).one())
    db.session.commit()
    seen = {}
    for kind in OBJECTS[:-1]:
        headers = {"Authorization": f"Bearer {token}"} if kind == "task" else {}
        status = browser.get(objects[kind], headers=headers).status_code
        assert status in (200, 404), (username, kind, status)
        seen[kind] = status == 200
    register = browser.get("/directives/").get_data(as_text=True)
    seen["listed_in_register"] = objects["listed_in_register"] in register
    return seen


@pytest.mark.parametrize("role", AGENCY_ROLES)
def test_agency_roles_see_their_agencys_objects_and_nothing_of_another_agency(app, world, role):
    username = "stc.daumoi" if role == Role.FOCAL_OFFICER else f"stc.{role}"
    everything = dict.fromkeys(OBJECTS, True)
    nothing = dict.fromkeys(OBJECTS, False)
    assert _outcomes(app, username, world["own_agency"]) == everything
    assert _outcomes(app, username, world["other_agency"]) == nothing
    assert _outcomes(app, username, world["other_province"]) == nothing


@pytest.mark.parametrize("role", list(OVERSIGHT))
def test_oversight_roles_see_their_province_and_nothing_of_another_province(app, world, role):
    everything = dict.fromkeys(OBJECTS, True)
    nothing = dict.fromkeys(OBJECTS, False)
    assert _outcomes(app, f"x.{role}", world["own_agency"]) == everything
    assert _outcomes(app, f"x.{role}", world["other_agency"]) == everything
    assert _outcomes(app, f"x.{role}", world["other_province"]) == nothing


@pytest.mark.parametrize("role", [Role.EMULATION_COUNCIL, Role.INSPECTOR, Role.ANALYST, Role.LEADER])
def test_read_only_oversight_roles_cannot_claim_or_complete_an_agencys_item(app, world, role):
    browser = client_for(app, f"x.{role}")
    item_url = world["own_agency"]["work_item"]
    html = browser.get(item_url).get_data(as_text=True)
    assert "Nhận xử lý" not in html and "Hoàn thành bước này" not in html
    from tests.staff import csrf_from

    token = csrf_from(html)
    assert browser.post(f"{item_url}", data={"csrf_token": token, "decision": "accept"}).status_code == 403
    refused = browser.post(f"{item_url}/claim", data={"csrf_token": token}, follow_redirects=True)
    assert "Bạn không có quyền xử lý công việc này." in refused.get_data(as_text=True)

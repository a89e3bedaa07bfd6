"""Units and accounts (R15): one focal officer per agency, leavers' work handed over, sessions ended,
the unit tree edited; every change audited and refused in Vietnamese when it breaks a rule."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import ApiToken, AuditEvent, Unit, UserRole
from app.services import org_admin
from app.services.tokens import issue_token, user_for_token
from tests.staff import (
    STAFF_PASSWORD,
    client_for,
    login,
    new_user,
    open_items,
    post_page_form,
    register_and_classify,
    unit,
)

PASSWORD = STAFF_PASSWORD


def test_a_second_focal_officer_for_an_agency_is_refused_with_the_current_ones_name(app, user):
    with pytest.raises(org_admin.OrgInvalid) as refused:
        new_user(user, "stc.daumoi2", "stc", "focal_officer")
    assert "Sở Tài chính đã có đầu mối là Phạm Thị Dung" in refused.value.errors["role"]
    db.session.rollback()


def test_the_database_itself_refuses_two_focal_officers_for_one_agency(app, user):
    """Two administrators racing past the service check still cannot leave two focal officers."""
    other = new_user(user, "stc.canbo", "stc", "officer")
    db.session.add(UserRole(user_id=other.id, unit_id=unit("stc").id, role="focal_officer"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_replacing_the_focal_officer_moves_their_claimed_items_to_the_new_one(app, api, user, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    register_and_classify(api)
    first, second = open_items(candidate_unit_id=unit("stc").id)
    api("stc.daumoi").post(f"/work-items/{first.id}/claim")
    successor = new_user(user, "stc.daumoi.moi", "stc", "officer")
    moved = org_admin.appoint_focal_officer(user("admin"), unit("stc"), successor)
    db.session.commit()
    assert moved == 1
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.assignee_id == successor.id and second.assignee_id is None
    assert org_admin.current_focal_officer(unit("stc")).username == "stc.daumoi.moi"
    assert not any(r.role == "focal_officer" for r in user("stc.daumoi").roles)
    reasons = db.session.scalars(
        select(AuditEvent.details).where(AuditEvent.action == "work_item_reassigned")
    ).all()
    assert reasons == [
        {"from": user("stc.daumoi").id, "to": successor.id, "reason": "focal_officer_replaced"}
    ]


def test_closing_a_leavers_account_hands_work_over_and_ends_sessions_and_tokens(client, api, user, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    register_and_classify(api)
    leaver = new_user(user, "stc.nghiviec", "stc", "officer")
    successor = new_user(user, "stc.thaythe", "stc", "officer")
    first, second = open_items(candidate_unit_id=unit("stc").id)
    first.assignee_id = second.assignee_id = leaver.id
    token = issue_token(leaver)
    db.session.commit()
    browser = client_for(client.application, "stc.nghiviec", PASSWORD)
    assert browser.get("/inbox").status_code == 200

    admin = client_for(client.application, "admin")
    page = f"/admin/users/{leaver.id}"
    closed = post_page_form(
        admin, page, page, {"action": "close", "successor_id": successor.id}, follow_redirects=True
    )
    html = closed.get_data(as_text=True)
    assert "Đã đóng tài khoản." in html and "2 công việc chuyển cho người thay thế" in html
    db.session.expire_all()
    assert {first.assignee_id, second.assignee_id} == {successor.id}
    assert leaver.is_active is False and leaver.closed_at is not None and leaver.roles == []
    assert user_for_token(token) is None
    assert browser.get("/inbox").status_code == 302, "the leaver's open session ended at once"
    again = post_page_form(
        client.application.test_client(),
        "/login",
        "/login",
        {"username": "stc.nghiviec", "password": PASSWORD},
    )
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in again.get_data(as_text=True)


def test_closing_without_a_successor_returns_the_work_to_the_units_queue(app, api, user, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    register_and_classify(api)
    leaver = new_user(user, "stc.nghiviec", "stc", "officer")
    item = open_items(candidate_unit_id=unit("stc").id)[0]
    item.assignee_id = leaver.id
    db.session.commit()
    counts = org_admin.close_account(user("admin"), leaver, None)
    db.session.commit()
    assert counts == {"moved": 0, "released": 1}
    db.session.refresh(item)
    assert item.assignee_id is None
    stc = api("stc.daumoi").get("/work-items", scope="unit").json
    assert item.id in [i["id"] for i in stc]


def test_password_reset_shows_a_temporary_password_once_and_logs_the_user_out(client, user):
    target = new_user(user, "stc.quenmatkhau", "stc", "officer")
    browser = client_for(client.application, "stc.quenmatkhau", PASSWORD)
    admin = client_for(client.application, "admin")
    page = f"/admin/users/{target.id}"
    reset = post_page_form(admin, page, page, {"action": "reset_password"})
    html = reset.get_data(as_text=True)
    assert "Mật khẩu tạm thời" in html
    temporary = html.split('<code class="secret">')[1].split("</code>")[0]
    assert browser.get("/inbox").status_code == 302
    client_for(client.application, "stc.quenmatkhau", temporary)


def test_revoking_sessions_ends_web_sessions_and_api_tokens(client, user):
    target = new_user(user, "stc.matmay", "stc", "officer")
    token = issue_token(target)
    db.session.commit()
    browser = client_for(client.application, "stc.matmay", PASSWORD)
    org_admin.revoke_sessions(user("admin"), target)
    db.session.commit()
    assert browser.get("/inbox").status_code == 302
    assert db.session.scalar(select(ApiToken.revoked_at).where(ApiToken.user_id == target.id)) is not None
    assert user_for_token(token) is None


def test_moving_a_department_moves_its_sections_and_their_visibility(app, user):
    admin = user("admin")
    section = org_admin.create_unit(
        admin, code="stc-ns", name="Phòng Ngân sách", kind="section", parent=unit("stc")
    )
    db.session.flush()
    org_admin.move_unit(admin, unit("stc"), unit("huyen-a"))
    db.session.commit()
    assert unit("stc").path == f"{unit('huyen-a').path}{unit('stc').id}/"
    assert db.session.get(Unit, section.id).path == f"{unit('stc').path}{section.id}/"
    with pytest.raises(org_admin.OrgInvalid) as refused:
        org_admin.move_unit(admin, unit("huyen-a"), db.session.get(Unit, section.id))
    assert "đơn vị cấp dưới của nó" in refused.value.errors["parent"]


def test_a_unit_with_people_cannot_be_deactivated_until_they_are_moved(client, user):
    admin = client_for(client.application, "admin")
    page = f"/admin/units/{unit('sxd').id}"
    refused = post_page_form(admin, page, page, {"action": "deactivate"})
    assert refused.status_code == 422
    assert "Đơn vị còn tài khoản đang hoạt động" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert unit("sxd").is_active


def test_admin_creates_units_and_accounts_in_the_browser_forms(client, user):
    admin = client_for(client.application, "admin")
    created = post_page_form(
        admin,
        "/admin/units",
        "/admin/units",
        {"code": "so-tp", "name": "Sở Tư pháp", "kind": "department", "parent_id": unit("tinh").id},
        follow_redirects=True,
    )
    assert "Đã tạo đơn vị." in created.get_data(as_text=True) and "Sở Tư pháp" in created.get_data(
        as_text=True
    )
    bad = post_page_form(
        admin,
        "/admin/users/new",
        "/admin/users/new",
        {
            "username": "vp.chuyenvien",
            "full_name": "",
            "password": "ngan",
            "unit_id": unit("so-tp").id,
            "role": "officer",
        },
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Tên đăng nhập &#39;vp.chuyenvien&#39; đã có người dùng." in html
    assert "Mật khẩu cần ít nhất 8 ký tự." in html and "Vui lòng nhập họ và tên." in html
    good = post_page_form(
        admin,
        "/admin/users/new",
        "/admin/users/new",
        {
            "username": "stp.daumoi",
            "full_name": "Lý Thị Hoa",
            "password": PASSWORD,
            "unit_id": unit("so-tp").id,
            "role": "focal_officer",
        },
        follow_redirects=True,
    )
    assert "Đã tạo tài khoản." in good.get_data(as_text=True)
    assert org_admin.current_focal_officer(unit("so-tp")).full_name == "Lý Thị Hoa"


def test_admin_pages_are_refused_to_staff_without_the_admin_role(client):
    login(client, "vp.chanh")
    for path in ("/admin/", "/admin/units", "/admin/users", "/admin/users/1"):
        assert client.get(path).status_code == 403
    assert "Quản trị" not in client.get("/inbox").get_data(as_text=True)

"""Forms generated from JSON Schema (+ UI schema) deployed with a model: every field kind, Vietnamese
errors, input and files kept on error, drafts, data-source choices that cannot be forged.

The models in bpmn/ do not use every field kind, so a test-only model is deployed from
tests/fixtures/form_showcase (a form change is a model change: no Python is edited for it)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import AuditEvent, Unit, WorkItem
from app.services import org_admin
from app.services.models_deploy import deploy_directory
from app.workflow import start_instance
from tests.staff import csrf_from, login

FIXTURE = Path(__file__).parent / "fixtures" / "form_showcase"
PDF = b"%PDF-1.4\n% bien ban kiem tra\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def showcase_item(user) -> WorkItem:
    """Deploy the test-only model and start it: one open item for Sở Tài chính's focal officer."""
    deploy_directory(FIXTURE)
    stc = db.session.scalars(select(Unit).where(Unit.code == "stc")).one()
    org_admin.create_user(
        user("admin"),
        username="stc.thanhtra",
        full_name="Ngô Văn Kiểm",
        email=None,
        password="Mat-khau-2026",
        unit=stc,
        role="officer",
    )
    instance = start_instance("form_showcase", {"lead_unit_id": stc.id}, now=clock.now(), actor_id=None)
    db.session.commit()
    return db.session.scalars(select(WorkItem).where(WorkItem.instance_id == instance.id)).one()


@pytest.fixture
def item(app, user, freeze) -> WorkItem:
    freeze("2026-03-02T09:00:00+07:00")
    return showcase_item(user)


def _post(client, item, data, files=None):
    page = client.get(f"/work-items/{item.id}").get_data(as_text=True)
    body = {**data, "csrf_token": csrf_from(page)}
    for name, (content, filename) in (files or {}).items():
        body[name] = (io.BytesIO(content), filename)
    return client.post(f"/work-items/{item.id}", data=body, content_type="multipart/form-data")


GOOD = {
    "members.0.name": "Trần Văn Bình",
    "members.0.position": "Trưởng đoàn",
    "members.0.joined_on": "02/03/2026",
    "members.1.name": "Lê Thị Cúc",
    "summary": "Đơn vị cập nhật hệ thống đầy đủ, đúng hạn.",
    "visits": "3",
    "ended_on": "20/03/2026",
    "rating": "b",
    "inspected_units": ["skhdt", "sxd"],
    "reviewer": "stc.thanhtra",
    "topics": ["update", "deadline"],
    "violations_found": "no",
}


def test_each_field_kind_gets_its_widget_in_the_ui_schemas_order(client, item):
    login(client, "stc.daumoi")
    html = client.get(f"/work-items/{item.id}").get_data(as_text=True)
    order = [
        html.index(s)
        for s in ("Thành viên đoàn kiểm tra", "Tóm tắt kết quả", "Ngày kết thúc kiểm tra", "Xếp loại")
    ]
    assert order == sorted(order), "ui:order puts the group first, then summary and date"
    assert "Nêu ngắn gọn kết luận chính của đoàn." in html and 'placeholder="Đoàn đã kiểm tra..."' in html
    assert re.search(r'name="ended_on"[^>]*placeholder="dd/mm/yyyy" data-date', html)
    assert html.count('name="rating" value=') == 6, (
        "six choices shown as radios because the UI schema says so"
    )
    assert re.search(r'type="checkbox" name="inspected_units" value="sxd"\s*> Sở Xây dựng', html)
    assert re.search(r'name="reviewer" value="stc.thanhtra"\s*> Ngô Văn Kiểm', html), (
        "users source: colleagues"
    )
    assert 'value="ct.ubnd"' not in html, "people outside the unit are not offered"
    assert 'name="violations_found" value="yes"' in html and 'name="violations_found" value="no"' in html
    assert re.search(r'type="checkbox" id="f-publish" name="publish"', html)
    assert 'name="minutes__upload" type="file"' in html
    assert 'name="members.0.name"' in html and 'name="members.__i__.name"' in html, "a row and a row template"
    assert "Ghi <strong>thành viên đoàn</strong>" in html, "instructions from the BPMN, Markdown rendered"


def test_errors_are_vietnamese_per_field_and_input_and_file_are_kept(client, item):
    login(client, "stc.daumoi")
    wrong = {
        **GOOD,
        "members.0.name": "B",
        "summary": "Ngắn",
        "ended_on": "31/02/2026",
        "inspected_units": ["skhdt", "khong-co-don-vi"],
        "reviewer": "ct.ubnd",
        "visits": "ba",
    }
    del wrong["rating"], wrong["violations_found"]
    response = _post(client, item, wrong, files={"minutes__upload": (PDF, "bien-ban.pdf")})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for message in (
        "«Họ và tên thành viên» cần ít nhất 2 ký tự.",
        "«Tóm tắt kết quả» cần ít nhất 10 ký tự.",
        "«Ngày kết thúc kiểm tra» không đúng định dạng (ngày viết dd/mm/yyyy).",
        "Vui lòng nhập «Xếp loại».",
        "«Đơn vị được kiểm tra»: vui lòng chọn một giá trị trong danh sách.",
        "«Người rà soát báo cáo»: vui lòng chọn một giá trị trong danh sách.",
        "Vui lòng nhập «Có phát hiện vi phạm không?».",
        "«Số lần làm việc» không đúng kiểu dữ liệu.",
    ):
        assert message in html, message
    assert 'id="f-members-0-name-err"' in html, "a group cell's error sits next to that cell"
    assert 'value="31/02/2026"' in html and ">Ngắn</textarea>" in html and 'value="Lê Thị Cúc"' in html
    assert re.search(r"Đã tải lên: <a href=\"/attachments/\d+\">bien-ban.pdf</a>", html), "the file is kept"
    db.session.refresh(item)
    assert item.state == "open"


def test_unit_choices_are_the_agencies_of_the_item_s_own_province(client, item):
    """Another province's department is neither offered nor accepted (a forged post is refused)."""
    other = Unit(code="tinh-b", name="UBND tỉnh B", kind="province", path="/")
    db.session.add(other)
    db.session.flush()
    other.path = f"/{other.id}/"
    finance_b = Unit(code="stc-tinh-b", name="Sở Tài chính tỉnh B", kind="department", parent=other, path="/")
    db.session.add(finance_b)
    db.session.flush()
    finance_b.path = f"{other.path}{finance_b.id}/"
    db.session.commit()
    login(client, "stc.daumoi")
    page = client.get(f"/work-items/{item.id}").get_data(as_text=True)
    assert 'value="sxd"' in page and "stc-tinh-b" not in page and "tỉnh B" not in page
    response = _post(client, item, {**GOOD, "inspected_units": ["skhdt", "stc-tinh-b"]})
    assert response.status_code == 422
    assert "«Đơn vị được kiểm tra»: vui lòng chọn một giá trị trong danh sách." in response.get_data(
        as_text=True
    )


def test_corrected_form_completes_with_typed_data_and_the_kept_file(client, item):
    login(client, "stc.daumoi")
    first = _post(client, item, {**GOOD, "summary": "x"}, files={"minutes__upload": (PDF, "bien-ban.pdf")})
    kept = re.search(r'type="hidden" name="minutes" value="(\d+)"', first.get_data(as_text=True)).group(1)
    done = _post(client, item, {**GOOD, "minutes": kept})
    assert done.status_code == 302, done.get_data(as_text=True)[:2000]
    db.session.refresh(item)
    assert item.state == "completed"
    data = db.session.scalars(
        select(AuditEvent.details).where(
            AuditEvent.action == "work_item_completed", AuditEvent.work_item_id == item.id
        )
    ).one()["data"]
    assert data["members"] == [
        {"name": "Trần Văn Bình", "position": "Trưởng đoàn", "joined_on": "2026-03-02"},
        {"name": "Lê Thị Cúc"},
    ]
    assert data["inspected_units"] == ["skhdt", "sxd"] and data["topics"] == ["update", "deadline"]
    assert data["visits"] == 3 and data["ended_on"] == "2026-03-20" and data["minutes"] == kept
    assert data["violations_found"] is False and data["publish"] is False


def test_a_file_field_refuses_a_file_uploaded_on_another_work_item(client, item, api, freeze):
    login(client, "stc.daumoi")
    response = _post(client, item, {**GOOD, "minutes": "999"})
    assert response.status_code == 422
    assert "«Biên bản kiểm tra (PDF)»: tệp đính kèm không hợp lệ, vui lòng tải lại." in response.get_data(
        as_text=True
    )


def test_a_saved_draft_comes_back_when_the_page_is_opened_again(client, item):
    login(client, "stc.daumoi")
    saved = _post(
        client,
        item,
        {"summary": "Đang viết dở báo cáo", "action": "draft", "members.0.name": "Trần Văn Bình"},
    )
    assert saved.status_code == 302
    html = client.get(f"/work-items/{item.id}").get_data(as_text=True)
    assert "Đang hiển thị bản nháp lưu lúc 02/03/2026 09:00" in html
    assert ">Đang viết dở báo cáo</textarea>" in html and 'value="Trần Văn Bình"' in html
    db.session.refresh(item)
    assert item.state == "open"

"""The administrator's calendar pages: who may see them, the year view, adding and removing an
override with its reference, CSV import with line-numbered errors and export, the deadline preview
and the explicit apply; every change audited, every form CSRF-protected."""

from __future__ import annotations

import io
import re
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, CalendarOverride, Directive
from app.services.calendar_service import current_calendar
from tests.conftest import directive_payload
from tests.test_persistence import csrf_from, login

PAGE = "/admin/calendar/"


def token(client, path: str = PAGE) -> str:
    return csrf_from(client.get(path).get_data(as_text=True))


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_only_administrators_reach_the_calendar_and_see_its_link(client):
    assert client.get(PAGE).status_code == 302  # to the login page
    login(client, "vp.chanh")
    assert "Lịch ngày làm việc" not in client.get("/inbox").get_data(as_text=True)
    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}deadlines").status_code == 403
    refused = client.post(
        f"{PAGE}overrides",
        data={
            "date": "02/01/2026",
            "kind": "work",
            "name": "x",
            "reference": "y",
            "csrf_token": token(client, "/inbox"),
        },
    )
    assert refused.status_code == 403 and events("calendar_override_set") == []
    client.post("/logout", data={"csrf_token": token(client, "/inbox")})
    login(client, "admin")
    assert 'href="/admin/"' in client.get("/inbox").get_data(as_text=True)
    assert 'href="/admin/calendar/"' in client.get("/admin/").get_data(as_text=True)


def test_year_view_shows_twelve_months_and_each_day_off_with_name_and_source(client):
    login(client, "admin")
    html = client.get(f"{PAGE}?year=2025").get_data(as_text=True)
    assert html.count('<table class="month">') == 12
    assert 'Tháng 1/2025 <span class="small">· 17 ngày làm việc</span>' in html
    # Tết Ất Tỵ 2025 (TB 6150/TB-LĐTBXH): 27/01-31/01 marked in words, with name and document.
    row = re.search(r'<tr data-date="2025-01-29">(.*?)</tr>', html, re.S).group(1)
    assert "Tết Âm lịch Ất Tỵ (mùng 1)" in row and "6150/TB-LĐTBXH" in row
    assert "Danh sách kèm phần mềm" in row
    saturday = re.search(r'<tr data-date="2025-04-26">(.*?)</tr>', html, re.S).group(1)
    assert "Làm việc" in saturday and "Làm bù cho thứ Sáu 02/05/2025" in saturday
    assert 'title="26/04/2025: Làm bù cho thứ Sáu 02/05/2025' in html


def test_adding_an_override_needs_a_reference_and_is_audited(client, user):
    login(client, "admin")
    form = {"date": "24/11/2026", "kind": "work", "name": "Ngày làm việc bình thường", "reference": " "}
    refused = client.post(f"{PAGE}overrides?year=2026", data={**form, "csrf_token": token(client)})
    assert refused.status_code == 422
    assert "Vui lòng nhập căn cứ" in refused.get_data(as_text=True)
    assert events("calendar_override_set") == [] and not current_calendar().is_working_day(date(2026, 11, 24))

    form["reference"] = "Thông báo 123/TB-UBND ngày 10/11/2026"
    saved = client.post(f"{PAGE}overrides?year=2026", data={**form, "csrf_token": token(client)})
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Đã thêm ngày 24/11/2026: Ngày làm việc bình thường." in page
    db.session.expire_all()
    assert current_calendar().is_working_day(date(2026, 11, 24))
    (event,) = events("calendar_override_set")
    assert event.actor_id == user("admin").id
    assert event.details == {
        "date": "2026-11-24",
        "kind": "work",
        "name": "Ngày làm việc bình thường",
        "reference": "Thông báo 123/TB-UBND ngày 10/11/2026",
        "before": None,
        "via": "form",
    }


def test_forms_without_a_csrf_token_are_refused(client):
    login(client, "admin")
    response = client.post(
        f"{PAGE}overrides", data={"date": "02/01/2026", "kind": "work", "name": "x", "reference": "y"}
    )
    assert response.status_code == 400 and events("calendar_override_set") == []


def test_removing_a_swap_needs_its_own_reference_and_is_audited(client):
    login(client, "admin")
    empty = client.post(
        f"{PAGE}overrides/remove", data={"date": "2026-01-02", "reference": "", "csrf_token": token(client)}
    )
    assert "Vui lòng nhập căn cứ của việc xoá" in client.get(empty.headers["Location"]).get_data(as_text=True)
    assert not current_calendar().is_working_day(date(2026, 1, 2))

    removed = client.post(
        f"{PAGE}overrides/remove",
        data={"date": "2026-01-02", "reference": "Công văn đính chính 2/VPCP", "csrf_token": token(client)},
    )
    page = client.get(removed.headers["Location"]).get_data(as_text=True)
    assert "Đã xoá điều chỉnh ngày 02/01/2026" in page and "xoá theo: Công văn đính chính 2/VPCP" in page
    db.session.expire_all()
    assert current_calendar().is_working_day(date(2026, 1, 2))
    (event,) = events("calendar_override_removed")
    assert (
        event.details["date"] == "2026-01-02"
        and event.details["removal_reference"] == "Công văn đính chính 2/VPCP"
    )


def upload(client, text: str | bytes, name: str = "lich.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        f"{PAGE}import?year=2027",
        data={"file": (io.BytesIO(data), name), "csrf_token": token(client)},
        content_type="multipart/form-data",
    )


def test_csv_import_shows_every_bad_line_in_vietnamese_and_changes_nothing(client):
    login(client, "admin")
    bad = "date,kind,name,reference\n2027-02-30,off,Nghỉ,TB 1\n2027-03-12,nghi,Nghỉ,\n"
    response = upload(client, bad)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Dòng 2: ngày «2027-02-30» không hợp lệ" in html
    assert "Dòng 3: loại «nghi» không hợp lệ" in html and "Dòng 3: thiếu căn cứ" in html
    assert db.session.scalar(select(CalendarOverride.id)) is None and events("calendar_imported") == []
    assert "không phải văn bản UTF-8" in upload(client, "date,kind\n\xff".encode("latin-1")).get_data(
        as_text=True
    )
    # Uploaded text is never taken for a file path on the server.
    assert "Dòng 1: dòng tiêu đề" in upload(client, "/etc/hostname").get_data(as_text=True)


def test_csv_import_then_export_round_trip(client):
    login(client, "admin")
    text = (
        "date,kind,name,reference\n"
        "2027-03-12,off,Nghỉ hoán đổi (làm bù thứ Bảy 20/03/2027),Thông báo 1/TB ngày 01/03/2027\n"
        "2027-03-20,work,Làm bù cho thứ Sáu 12/03/2027,Thông báo 1/TB ngày 01/03/2027\n"
    )
    imported = upload(client, text)
    assert imported.status_code == 302
    assert "thêm 2, sửa 0, không đổi 0" in client.get(imported.headers["Location"]).get_data(as_text=True)
    assert len(events("calendar_override_set")) == 2 and len(events("calendar_imported")) == 1
    assert {e.details["via"] for e in events("calendar_override_set")} == {"csv:lich.csv"}
    exported = client.get(f"{PAGE}export?year=2027")
    assert exported.headers["Content-Type"].startswith("text/csv")
    assert "lich-ngay-lam-viec-2027.csv" in exported.headers["Content-Disposition"]
    assert exported.get_data(as_text=True) == text
    again = upload(client, exported.get_data())
    assert "thêm 0, sửa 0, không đổi 2" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_admin_previews_then_applies_the_deadline_moves(client, api, freeze):
    freeze("2026-04-29T09:00:00+07:00")
    body = directive_payload(
        issued_on="2026-04-29",
        tasks=[{"content": "Tổng kết quý II", "lead_unit": "stc", "due_on": "2026-06-30"}],
    )
    created = api("vp.chuyenvien").post("/directives", body)
    assert created.status_code == 201, created.json
    directive = created.json
    login(client, "admin")
    client.post(
        f"{PAGE}overrides",
        data={
            "date": "04/05/2026",
            "kind": "off",
            "name": "Nghỉ thêm sau lễ 30/4",
            "reference": "Thông báo 77/TB-UBND",
            "csrf_token": token(client),
        },
    )
    page = client.get(PAGE).get_data(as_text=True)
    assert "2 hạn xử lý đang mở</strong> sẽ đổi ngày" in page

    preview = client.get(f"{PAGE}deadlines").get_data(as_text=True)
    assert "Hạn phân loại văn bản 12/QĐ-UBND" in preview and "Bước «Phân loại, giao nhiệm vụ»" in preview
    assert "05/05/2026" in preview and "<strong>06/05/2026</strong>" in preview
    assert "04/05/2026 nay là ngày nghỉ: Nghỉ thêm sau lễ 30/4 (Thông báo 77/TB-UBND)" in preview
    assert db.session.get(Directive, directive["id"]).classify_due_on == date(2026, 5, 5)

    revision = re.search(r'name="revision" value="([^"]+)"', preview).group(1)
    applied = client.post(
        f"{PAGE}deadlines/apply", data={"revision": revision, "csrf_token": csrf_from(preview)}
    )
    assert "Đã tính lại 2 hạn xử lý theo lịch mới." in client.get(applied.headers["Location"]).get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(Directive, directive["id"]).classify_due_on == date(2026, 5, 6)
    assert len(events("deadline_moved")) == 2 and len(events("deadlines_recomputed")) == 1
    timeline = client.get(f"/directives/{directive['id']}").get_data(as_text=True)
    assert "Hạn phân loại văn bản 12/QĐ-UBND: 05/05/2026 → <strong>06/05/2026</strong>" in timeline

    stale = client.post(
        f"{PAGE}deadlines/apply", data={"revision": "vn-wd-1-old", "csrf_token": token(client)}
    )
    assert "vừa thay đổi" in client.get(stale.headers["Location"]).get_data(as_text=True)

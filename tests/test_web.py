"""The staff pages: log in, see the inbox, fill a generated form, get Vietnamese errors, complete."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models import Task, WorkItem
from tests.conftest import directive_payload
from tests.test_persistence import csrf_from, login


def register_and_classify(api) -> dict:
    office = api("vp.chuyenvien")
    directive = office.post("/directives", directive_payload()).json
    classify = office.get("/work-items").json[0]
    office.post(f"/work-items/{classify['id']}/complete", {"data": {"origin_level": "province"}})
    return directive


def test_login_refuses_a_wrong_password_and_forms_without_csrf(client):
    page = client.get("/login")
    assert "Đăng nhập" in page.get_data(as_text=True)
    wrong = client.post(
        "/login",
        data={
            "username": "stc.daumoi",
            "password": "sai-mat-khau",
            "csrf_token": csrf_from(page.get_data(as_text=True)),
        },
    )
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in wrong.get_data(as_text=True)
    no_csrf = client.post("/login", data={"username": "stc.daumoi", "password": "x"})
    assert no_csrf.status_code == 400
    assert client.get("/inbox").status_code == 302  # to the login page


def test_agency_fills_the_generated_form_fixes_an_error_and_completes(client, api, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    directive = register_and_classify(api)
    login(client, "stc.daumoi")
    inbox = client.get("/inbox").get_data(as_text=True)
    assert inbox.count("Tiếp nhận nhiệm vụ") == 2 and "Sắp đến hạn · 04/03/2026" in inbox

    item_id = db.session.scalar(
        select(WorkItem.id).where(WorkItem.task_id == directive["tasks"][0]["id"], WorkItem.state == "open")
    )
    page = client.get(f"/work-items/{item_id}").get_data(as_text=True)
    assert "Xây dựng kế hoạch chuyển đổi số" in page and "Trả lại Văn phòng" in page
    token = csrf_from(page)

    wrong = client.post(
        f"/work-items/{item_id}", data={"decision": "return", "reason": "", "csrf_token": token}
    )
    assert wrong.status_code == 422
    html = wrong.get_data(as_text=True)
    assert "Vui lòng nhập «Lý do trả lại»." in html
    assert re.search(r'value="return"\s+checked', html), "the user's choice is kept after an error"

    done = client.post(f"/work-items/{item_id}", data={"decision": "accept", "csrf_token": token})
    assert done.status_code == 302
    assert db.session.get(Task, directive["tasks"][0]["id"]).status == "in_progress"
    assert "Báo cáo kết quả thực hiện" in client.get("/inbox").get_data(as_text=True)


def test_dates_are_typed_and_shown_dd_mm_yyyy(client, api, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    directive = register_and_classify(api)
    finance = api("stc.daumoi")
    accept = next(i for i in finance.get("/work-items").json if i["task_id"] == directive["tasks"][0]["id"])
    finance.post(f"/work-items/{accept['id']}/complete", {"data": {"decision": "accept"}})
    login(client, "stc.daumoi")
    report_id = db.session.scalar(select(WorkItem.id).where(WorkItem.title == "Báo cáo kết quả thực hiện"))
    token = csrf_from(client.get(f"/work-items/{report_id}").get_data(as_text=True))
    bad = client.post(
        f"/work-items/{report_id}",
        data={
            "result_summary": "Đã hoàn thành dự thảo kế hoạch.",
            "completed_on": "31/02/2026",
            "result_document": "15/BC-STC",
            "csrf_token": token,
        },
    )
    assert bad.status_code == 422
    assert "«Ngày hoàn thành» không đúng định dạng (ngày viết dd/mm/yyyy)." in bad.get_data(as_text=True)
    good = client.post(
        f"/work-items/{report_id}",
        data={
            "result_summary": "Đã hoàn thành dự thảo kế hoạch.",
            "completed_on": "02/03/2026",
            "result_document": "15/BC-STC",
            "csrf_token": token,
        },
    )
    assert good.status_code == 302
    task = db.session.get(Task, directive["tasks"][0]["id"])
    assert task.completed_on.isoformat() == "2026-03-02"


def test_office_registers_a_directive_in_the_web_form(client, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    login(client, "vp.chuyenvien")
    token = csrf_from(client.get("/directives/new").get_data(as_text=True))
    form = {
        "csrf_token": token,
        "doc_type": "chi_thi",
        "number": "05",
        "symbol": "CT-UBND",
        "issued_on": "02/03/2026",
        "summary": "Tăng cường kỷ luật, kỷ cương hành chính",
        "signer": "Lê Văn Cường",
        "task-0-content": "Rà soát quy chế làm việc của Sở",
        "task-0-lead_unit": "sxd",
        "task-0-due_on": "30/03/2026",
        "task-1-content": "Báo cáo kết quả tự kiểm tra",
        "task-1-lead_unit": "",
    }
    refused = client.post("/directives/new", data=form)
    assert refused.status_code == 422
    assert "Không có đơn vị chủ trì" in refused.get_data(as_text=True)
    form["task-1-lead_unit"] = "huyen-a"
    created = client.post("/directives/new", data=form, follow_redirects=True)
    html = created.get_data(as_text=True)
    assert "Đã vào sổ văn bản 05/CT-UBND." in html
    assert "30/03/2026" in html and "Chưa tiếp nhận" in html and "Sở Xây dựng" in html


def test_an_agency_cannot_open_another_agencys_pages(client, api, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    directive = register_and_classify(api)
    login(client, "sxd.daumoi")
    assert client.get(f"/directives/{directive['id']}").status_code == 404
    item_id = db.session.scalar(select(WorkItem.id).where(WorkItem.task_id == directive["tasks"][0]["id"]))
    assert client.get(f"/work-items/{item_id}").status_code == 404
    assert "Không có công việc nào" in client.get("/inbox").get_data(as_text=True)

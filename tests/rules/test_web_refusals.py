"""Refusals by the regulation reach a clerk in the web pages as a clear message, nothing kept."""

from __future__ import annotations

from html import unescape

from sqlalchemy import select

from app.extensions import db
from app.models import Directive, WorkItem
from tests.scenario import FINANCE, one_task
from tests.test_persistence import csrf_from, login


def test_web_registration_of_a_confidential_directive_is_refused_with_the_rule_ben_tre(s, client):
    s.use_profile("ben-tre-2023")
    s.freeze("2026-03-02T09:00:00+07:00")
    login(client, "vp.chuyenvien")
    token = csrf_from(client.get("/directives/new").get_data(as_text=True))
    form = {
        "csrf_token": token,
        "doc_type": "cong_van",
        "number": "11",
        "symbol": "CV-UBND",
        "issued_on": "02/03/2026",
        "summary": "Văn bản mật",
        "signer": "Lê Văn Cường",
        "confidentiality": "confidential",
        "task-0-content": "Nội dung mật",
        "task-0-lead_unit": "stc",
        "task-0-due_on": "31/03/2026",
    }
    page = client.post("/directives/new", data=form)
    text = unescape(page.get_data(as_text=True))
    assert page.status_code == 422
    assert (
        "Không vào sổ: văn bản mật không được đưa vào hệ thống theo QĐ 08/2023/QĐ-UBND tỉnh Bến Tre" in text
    )
    assert db.session.scalar(select(Directive.id)) is None


def test_web_extension_request_too_close_to_the_deadline_is_refused_on_the_form_ninh_thuan(s, client):
    s.use_profile("ninh-thuan-2019")
    s.freeze("2026-03-02T09:00:00+07:00")
    directive = s.register_and_assign(issued_on="2026-03-02", tasks=one_task(due_on="2026-03-20"))
    task_id = directive["tasks"][0]["id"]
    s.accept(task_id)
    s.freeze("2026-03-19T09:00:00+07:00")
    login(client, FINANCE)
    item_id = s.work(task_id)["id"]
    token = csrf_from(client.get(f"/work-items/{item_id}").get_data(as_text=True))
    page = client.post(
        f"/work-items/{item_id}",
        data={
            "csrf_token": token,
            "action": "extension",
            "proposed_due_on": "10/04/2026",
            "extension_reason": "Cần thêm thời gian lấy ý kiến.",
        },
    )
    text = unescape(page.get_data(as_text=True))
    assert page.status_code == 422
    assert "Không nhận đề nghị gia hạn: đề nghị phải gửi trước hạn ít nhất 3 ngày làm việc" in text
    assert db.session.get(WorkItem, item_id).state == "open"

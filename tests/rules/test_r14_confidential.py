"""R14 confidential directives: excluded, redacted or kept in a separate register, per profile."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Directive, Task
from tests.scenario import CHIEF, FINANCE, LEADER, OFFICE


def register_secret(s, profile: str):
    s.use_profile(profile)
    s.freeze("2026-03-02T09:00:00+07:00")
    payload_tasks = [
        {"content": "Nội dung mật thứ nhất", "lead_unit": "stc", "due_on": "2026-03-31"},
        {"content": "Nội dung mật thứ hai", "lead_unit": "stc", "due_on": "2026-04-30"},
    ]
    return s.as_(OFFICE).post(
        "/directives",
        {
            "number": "07",
            "symbol": "QĐ-UBND",
            "doc_type": "quyet_dinh",
            "summary": "Trích yếu văn bản mật",
            "issued_on": "2026-03-02",
            "signer": "Lê Văn Cường",
            "confidentiality": "secret",
            "tasks": payload_tasks,
        },
    )


def test_confidential_directive_is_refused_with_the_rule_ben_tre(s):
    response = register_secret(s, "ben-tre-2023")
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "rule_refused" and "không được đưa vào hệ thống" in error["message"]
    assert error["rule"] == "QĐ 08/2023/QĐ-UBND tỉnh Bến Tre, Điều 1 khoản 1"
    assert db.session.scalar(select(Directive.id)) is None and db.session.scalar(select(Task.id)) is None


def test_confidential_directive_is_refused_lao_cai_stc(s):
    response = register_secret(s, "lao-cai-stc-2017")
    assert response.status_code == 422 and "Điều 4 khoản 3 điểm a" in response.json["error"]["rule"]


def test_confidential_directive_keeps_counts_deadlines_and_outcomes_but_no_contents_ninh_thuan(s):
    response = register_secret(s, "ninh-thuan-2019")
    assert response.status_code == 201, response.json
    directive = response.json
    assert directive["is_redacted"] is True and directive["summary"] == ""
    assert [t["content"] for t in directive["tasks"]] == ["", ""]
    assert [t["due_on"] for t in directive["tasks"]] == ["2026-03-31", "2026-04-30"]
    stored = db.session.scalars(select(Task.content)).all()
    assert "Nội dung mật thứ nhất" not in stored and "Nội dung mật thứ hai" not in stored
    summaries = db.session.scalars(select(Directive.summary)).all()
    assert summaries == [""]
    # The outcome is still tracked: the agency accepts and reports, the Office confirms.
    s.classify(directive)
    task_id = directive["tasks"][0]["id"]
    s.accept(task_id)
    s.freeze("2026-03-20T09:00:00+07:00")
    s.complete(
        FINANCE,
        s.work(task_id),
        action="complete",
        result_summary="Đã thực hiện (báo cáo mật).",
        completed_on="2026-03-20",
        result_document="03/BC-STC(M)",
    )
    s.complete(OFFICE, s.item(OFFICE, "Xác nhận hoàn thành", task_id=task_id), decision="confirm")
    assert s.task(task_id)["report_category"] == "completed_on_time"


def test_confidential_directive_in_a_separate_register_is_seen_only_by_cleared_users_quynh_nhai(s):
    response = register_secret(s, "quynh-nhai-2015")
    assert response.status_code == 201, response.json
    directive = response.json
    assert directive["register"] == "separate" and directive["summary"] == "Trích yếu văn bản mật"
    # The officer who registered it is not cleared: the directive and its steps vanish for them.
    assert s.as_(OFFICE).get(f"/directives/{directive['id']}").status_code == 404
    assert s.items(OFFICE) == []
    # The Office chief (cleared to top secret) sees it and can classify.
    assert (
        s.as_(CHIEF).get(f"/directives/{directive['id']}").json["tasks"][0]["content"]
        == "Nội dung mật thứ nhất"
    )
    classify = s.item(CHIEF, "Phân loại, giao nhiệm vụ", directive_id=directive["id"])
    s.complete(CHIEF, classify, origin_level="province")
    task_id = directive["tasks"][0]["id"]
    # The finance focal officer is not cleared: no acceptance step, no task page.
    assert s.items(FINANCE) == []
    assert s.as_(FINANCE).get(f"/tasks/{task_id}").status_code == 404
    assert s.as_(LEADER).get(f"/tasks/{task_id}").status_code == 200

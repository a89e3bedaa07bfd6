"""Hộp việc: tabs, due-soon window in working days, filters, search without diacritics, pagination,
bulk claim, delegation and reassignment, as a clerk sees them in the page."""

from __future__ import annotations

import re
from datetime import date

from app.extensions import db
from tests.conftest import directive_payload
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


def _tasks(*rows: tuple[str, str, str | None]) -> list[dict]:
    return [
        {
            "content": content,
            "lead_unit": lead or "stc",
            "coordinating_units": [],
            "due_on": None,
            "field": field,
        }
        for content, field, lead in rows
    ]


def test_search_box_finds_don_doc_typed_without_diacritics(client, api, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    register_and_classify(
        api,
        tasks=_tasks(
            ("Đôn đốc các chủ đầu tư hoàn thiện hồ sơ thanh toán", "Đầu tư", None),
            ("Báo cáo tình hình thu ngân sách quý I", "Tài chính", None),
        ),
    )
    login(client, "stc.daumoi")
    found = client.get("/inbox", query_string={"q": "don doc"}).get_data(as_text=True)
    assert "Đôn đốc các chủ đầu tư" in found and "thu ngân sách" not in found
    assert "1 công việc" in found
    upper = client.get("/inbox", query_string={"q": "ĐÔN ĐỐC chu dau tu"}).get_data(as_text=True)
    assert "Đôn đốc các chủ đầu tư" in upper
    by_reference = client.get("/inbox", query_string={"q": "12/qd-ubnd ngan sach"}).get_data(as_text=True)
    assert "thu ngân sách" in by_reference and "Đôn đốc các chủ đầu tư" not in by_reference
    nothing = client.get("/inbox", query_string={"q": "xay dung cau"}).get_data(as_text=True)
    assert "Không có công việc nào đang chờ." in nothing


def test_due_soon_counts_working_days_so_a_monday_deadline_is_due_soon_on_friday(client, api, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    register_and_classify(
        api,
        tasks=_tasks(
            ("Nhiệm vụ hạn thứ Hai", "", None),
            ("Nhiệm vụ hạn thứ Năm", "", None),
            ("Nhiệm vụ đã quá hạn", "", None),
        ),
    )
    monday, thursday, past = open_items(candidate_role="focal_officer")
    monday.due_on, thursday.due_on, past.due_on = date(2026, 3, 9), date(2026, 3, 12), date(2026, 3, 5)
    db.session.commit()
    freeze("2026-03-06T09:00:00+07:00")  # a Friday: the 2-working-day window ends on Tuesday 10/03
    login(client, "stc.daumoi")
    soon = client.get("/inbox", query_string={"tab": "due_soon"}).get_data(as_text=True)
    assert f'/work-items/{monday.id}"' in soon and f'/work-items/{thursday.id}"' not in soon
    assert "Sắp đến hạn · 09/03/2026" in soon
    overdue = client.get("/inbox", query_string={"tab": "overdue"}).get_data(as_text=True)
    assert "Quá hạn · 05/03/2026" in overdue and f'/work-items/{monday.id}"' not in overdue
    every = client.get("/inbox").get_data(as_text=True)
    assert re.search(r'class="tab tab-due_soon">Sắp đến hạn <span class="tab-count">1</span>', every)
    assert re.search(r'class="tab tab-overdue">Quá hạn <span class="tab-count">1</span>', every)
    assert "Chưa nhận · 12/03/2026" in every, "an unclaimed item far from its deadline says so in words"


def test_filters_by_field_and_task_status_and_pages_of_25(client, api, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    rows = [(f"Nhiệm vụ tài chính số {i}", "Tài chính", None) for i in range(27)]
    rows += [(f"Nhiệm vụ đầu tư số {i}", "Đầu tư", None) for i in range(3)]
    register_and_classify(api, tasks=_tasks(*rows))
    login(client, "stc.daumoi")
    first = client.get("/inbox").get_data(as_text=True)
    assert "30 công việc" in first and "trang 1/2" in first and first.count('name="ids"') == 25
    second = client.get("/inbox", query_string={"page": 2}).get_data(as_text=True)
    assert second.count('name="ids"') == 5
    invest = client.get("/inbox", query_string={"field": "Đầu tư"}).get_data(as_text=True)
    assert "3 công việc" in invest and "Nhiệm vụ tài chính" not in invest
    none_started = client.get("/inbox", query_string={"status": "in_progress"}).get_data(as_text=True)
    assert "Không có công việc nào đang chờ." in none_started
    by_unit = client.get("/inbox", query_string={"unit": unit("sxd").id}).get_data(as_text=True)
    assert "Không có công việc nào đang chờ." in by_unit


def test_bulk_claim_moves_items_to_my_work_and_ignores_items_of_other_units(client, api, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    register_and_classify(api)
    register_and_classify(api, number="13", tasks=_tasks(("Việc của Sở Xây dựng", "", "sxd")))
    stc_items = open_items(candidate_role="focal_officer", candidate_unit_id=unit("stc").id)
    (sxd_item,) = open_items(candidate_role="focal_officer", candidate_unit_id=unit("sxd").id)
    login(client, "stc.daumoi")
    ids = [str(i.id) for i in stc_items[:2]] + [str(sxd_item.id)]
    done = post_page_form(client, "/inbox", "/inbox/claim", {"ids": ids}, follow_redirects=True)
    html = done.get_data(as_text=True)
    assert "Đã nhận xử lý 2 công việc." in html
    assert re.search(
        r'aria-current="page" class="tab tab-mine">Việc của tôi <span class="tab-count">2</span>', html
    )
    db.session.expire_all()
    assert sxd_item.assignee_id is None


def test_focal_officer_delegates_to_a_colleague_and_the_head_returns_it_to_the_unit(
    client, api, user, freeze
):
    freeze("2026-03-02T09:00:00+07:00")
    register_and_classify(api)
    officer = new_user(user, "stc.chuyenvien", "stc", "officer")
    head = new_user(user, "stc.truongphong", "stc", "agency_head")
    outsider = new_user(user, "sxd.chuyenvien", "sxd", "officer")
    item = open_items(candidate_unit_id=unit("stc").id)[0]
    login(client, "stc.daumoi")
    page = f"/work-items/{item.id}"
    refused = post_page_form(
        client, page, f"{page}/delegate", {"user_id": outsider.id}, follow_redirects=True
    )
    assert "không thuộc Sở Tài chính" in refused.get_data(as_text=True)
    moved = post_page_form(client, page, f"{page}/delegate", {"user_id": officer.id}, follow_redirects=True)
    assert "Đã chuyển công việc cho Cán bộ stc.chuyenvien." in moved.get_data(as_text=True)
    db.session.expire_all()
    assert item.assignee_id == officer.id

    other = client_for(client.application, "stc.chuyenvien", PASSWORD)
    assert f'/work-items/{item.id}"' in other.get("/inbox", query_string={"tab": "mine"}).get_data(
        as_text=True
    )

    boss = client_for(client.application, "stc.truongphong", PASSWORD)
    back = post_page_form(boss, page, f"{page}/reassign", {"user_id": ""}, follow_redirects=True)
    assert "Đã trả công việc về đơn vị." in back.get_data(as_text=True)
    db.session.expire_all()
    assert item.assignee_id is None
    assert head.id != officer.id
    unit_tab = client_for(client.application, "stc.daumoi")
    assert f'/work-items/{item.id}"' in unit_tab.get("/inbox", query_string={"tab": "unit"}).get_data(
        as_text=True
    )


def test_an_officer_cannot_reassign_items_only_heads_can(client, api, user, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    register_and_classify(api)
    new_user(user, "stc.chuyenvien", "stc", "officer")
    item = open_items(candidate_unit_id=unit("stc").id)[0]
    login(client, "stc.chuyenvien", PASSWORD)
    page = f"/work-items/{item.id}"
    html = client.get(page).get_data(as_text=True)
    assert "Phân công lại" not in html
    refused = post_page_form(client, page, f"{page}/reassign", {"user_id": ""}, follow_redirects=True)
    assert "Chỉ lãnh đạo đơn vị mới phân công lại" in refused.get_data(as_text=True)


def test_directive_payload_without_field_still_registers(api, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    created = api("vp.chuyenvien").post("/directives", directive_payload())
    assert created.status_code == 201

"""The bell: unread count on every page, the list, mark one or all read, nobody else's notices."""

from __future__ import annotations

import re

from tests.staff import client_for
from tests.support import notices_of, register_classified
from tests.test_persistence import csrf_from

TASKS = [{"content": "Rà soát danh mục dự án đầu tư công", "lead_unit": "stc", "due_on": "2026-03-31"}]


def urge_twice(api, task_id: int) -> None:
    for message in ("Đề nghị báo cáo tiến độ rà soát.", "Đề nghị hoàn thành rà soát trong tuần."):
        assert (
            api("vp.chuyenvien").post("/urgings", {"task_ids": [task_id], "message": message}).status_code
            == 201
        )


def unread_badge(html: str) -> int:
    match = re.search(r'data-unread="(\d+)"', html)
    return int(match.group(1)) if match else 0


def test_the_bell_counts_unread_notices_and_reading_them_clears_it(app, api, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    directive = register_classified(api, tasks=TASKS)
    task_id = directive["tasks"][0]["id"]
    urge_twice(api, task_id)
    finance = client_for(app, "stc.daumoi")
    assert unread_badge(finance.get("/inbox").get_data(as_text=True)) == 2
    assert unread_badge(finance.get(f"/directives/{directive['id']}").get_data(as_text=True)) == 2

    page = finance.get("/notifications/").get_data(as_text=True)
    assert page.count('class="notice unread"') == 2 and "Văn phòng đôn đốc (thông báo)" in page
    newest, oldest = notices_of("stc.daumoi")[::-1]
    opened = finance.post(
        f"/notifications/{oldest.id}/read", data={"open": "1", "csrf_token": csrf_from(page)}
    )
    assert (
        opened.status_code == 302
        and opened.headers["Location"] == f"/directives/{directive['id']}#task-{task_id}"
    )
    assert unread_badge(finance.get("/inbox").get_data(as_text=True)) == 1
    assert "Chưa đọc (1)" in finance.get("/notifications/?tab=unread").get_data(as_text=True)

    assert finance.post(f"/notifications/{newest.id}/read", data={}).status_code == 400  # CSRF required
    done = finance.post(
        "/notifications/read-all", data={"csrf_token": csrf_from(page)}, follow_redirects=True
    )
    assert "Đã đánh dấu 1 thông báo là đã đọc." in done.get_data(as_text=True)
    assert unread_badge(finance.get("/inbox").get_data(as_text=True)) == 0

    head = client_for(app, "stc.giamdoc")  # the agency head got his own copies, still unread
    assert unread_badge(head.get("/inbox").get_data(as_text=True)) == 2
    token = csrf_from(head.get("/notifications/").get_data(as_text=True))
    assert head.post(f"/notifications/{newest.id}/read", data={"csrf_token": token}).status_code == 404


def test_the_api_lists_and_marks_notices_of_the_token_s_user_only(api, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    directive = register_classified(api, tasks=TASKS)
    urge_twice(api, directive["tasks"][0]["id"])
    finance = api("stc.daumoi")
    listed = finance.get("/notifications", unread="1").json
    assert listed["unread"] == 2 and [n["kind"] for n in listed["items"]] == ["urged", "urged"]
    first = listed["items"][0]
    assert first["task_id"] == directive["tasks"][0]["id"] and first["read_at"] is None
    marked = finance.post(f"/notifications/{first['id']}/read")
    assert marked.status_code == 200 and marked.json["read_at"] is not None
    assert finance.get("/notifications").json["unread"] == 1
    assert api("stc.giamdoc").post(f"/notifications/{first['id']}/read").status_code == 404

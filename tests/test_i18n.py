"""Vietnamese by default, English on request; dates stay dd/mm/yyyy in both."""

from __future__ import annotations

from tests.staff import login, post_page_form, register_and_classify


def test_the_interface_is_vietnamese_until_the_user_switches_to_english_and_back(client, api, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    register_and_classify(api)
    login(client, "stc.daumoi")
    vietnamese = client.get("/inbox").get_data(as_text=True)
    assert '<html lang="vi">' in vietnamese and "Việc của tôi" in vietnamese and "Đăng xuất" in vietnamese
    english = post_page_form(
        client, "/inbox", "/language", {"locale": "en", "next": "/inbox?tab=unit"}, follow_redirects=True
    )
    html = english.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "My work" in html and "Unit&#39;s work" in html and "Log out" in html and "Due soon" in html
    assert "04/03/2026" in html, "dates keep the dd/mm/yyyy form in English too"
    back = post_page_form(
        client, "/inbox", "/language", {"locale": "vi", "next": "/inbox"}, follow_redirects=True
    )
    assert "Việc của tôi" in back.get_data(as_text=True)


def test_an_unknown_language_or_an_outside_next_address_is_ignored(client):
    login(client, "stc.daumoi")
    response = post_page_form(
        client, "/inbox", "/language", {"locale": "fr", "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == "/inbox"
    assert "Việc của tôi" in client.get("/inbox").get_data(as_text=True)


def _cell_texts(workbook) -> set[str]:
    return {
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }


def test_english_staff_pages_translate_headings_and_labels_but_exports_stay_vietnamese(client, api, freeze):
    from io import BytesIO

    from openpyxl import load_workbook

    freeze("2026-03-02T09:00:00+07:00")
    directive = register_and_classify(api)
    login(client, "vp.chuyenvien")
    post_page_form(client, "/inbox", "/language", {"locale": "en", "next": "/inbox"})

    inbox = client.get("/inbox").get_data(as_text=True)
    assert '<html lang="en">' in inbox
    assert "My work" in inbox and "Notifications" in inbox and "Urging" in inbox and "Weekly overdue" in inbox
    assert "In progress (with difficulties or obstacles)" in inbox, "status labels in the filter are English"
    assert "Đang thực hiện" not in inbox and "Thông báo" not in inbox

    page = client.get(f"/directives/{directive['id']}").get_data(as_text=True)
    assert "Not received" in page, "the task's status label is English"
    assert "Chưa tiếp nhận" not in page

    dashboard = client.get("/reports/dashboard?from=01/01/2026&to=02/03/2026").get_data(as_text=True)
    assert "Task implementation status" in dashboard and "Key figures" in dashboard
    assert "Completed on time" in dashboard and "Overdue (not completed)" in dashboard
    assert "Tình hình thực hiện nhiệm vụ" not in dashboard and "Hoàn thành đúng hạn" not in dashboard

    notices = client.get("/notifications/").get_data(as_text=True)
    assert "Receive notifications by e-mail" in notices and "Nhận thông báo" not in notices
    assert "Urged tasks" in client.get("/urging/").get_data(as_text=True)

    # Official documents stay Vietnamese whatever the screen's language.
    appendix = client.get("/reports/appendix01.xlsx?as_of=2026-03-02")
    assert appendix.status_code == 200
    texts = " ".join(_cell_texts(load_workbook(BytesIO(appendix.data))))
    assert "Nội dung chỉ đạo" in texts and "Chưa triển khai" in texts  # both have English on screen
    assert "Directive content" not in texts and "Not started" not in texts
    summary = client.get("/reports/summary.xlsx?from=01/01/2026&to=02/03/2026")
    assert summary.status_code == 200
    summary_texts = " ".join(_cell_texts(load_workbook(BytesIO(summary.data))))
    assert "Tổng cộng" in summary_texts and "Hoàn thành đúng hạn" in summary_texts
    assert "Total" not in summary_texts and "Completed on time" not in summary_texts

"""English on the inspection, health, rules, public and feedback pages; official documents stay Vietnamese."""

from __future__ import annotations

from tests.staff import client_for, post_page_form
from tests.support import accept, register_classified
from tests.test_inspection_documents import concluded_inspection, paragraphs


def in_english(client, page: str) -> str:  # type: ignore[no-untyped-def]
    """Switch the session to English from `page`, then return that page's HTML."""
    post_page_form(client, page, "/language", {"locale": "en", "next": page})
    html = client.get(page).get_data(as_text=True)
    assert '<html lang="en">' in html
    return html


def test_inspection_pages_are_english_and_the_word_decision_stays_vietnamese(app, api, user, freeze):
    inspection = concluded_inspection(api, user, freeze)
    office = client_for(app, "vp.chuyenvien")
    vietnamese = office.get(f"/inspections/{inspection.id}").get_data(as_text=True)
    assert "Đơn vị được kiểm tra" in vietnamese and "Hồ sơ kiểm tra (000:15, 001:18)" in vietnamese

    page = in_english(office, f"/inspections/{inspection.id}")
    assert "Inspection decision" in page and "Inspected units" in page and "Inspection result report" in page
    assert "Inspection dossier (000:15, 001:18)" in page and "Download the whole dossier (.zip)" in page
    assert "<strong>Decision No. 15/QĐ-UBND</strong> of 21/04/2026" in page, "one sentence, dates dd/mm/yyyy"
    assert "Concluded, results notified" in page, "the status label is English"
    assert "Inspection decision, establishing the inspection team" in page, "dossier items are English"
    assert "Recommendations" in page and "Severity" in page and "Download the .docx for signing" in page
    for heading in (
        "Đơn vị được kiểm tra",
        "Hồ sơ kiểm tra",
        "Quyết định kiểm tra</h2>",
        "Đã kết luận, thông báo",
    ):
        assert heading not in page

    listing = office.get("/inspections/").get_data(as_text=True)
    assert "Inspection of task implementation" in listing and "Inspection plans" in listing
    assert "Ad hoc inspection" in listing and "<h1>Kiểm tra việc thực hiện nhiệm vụ</h1>" not in listing
    plans = office.get("/inspections/plans").get_data(as_text=True)
    assert "Annual inspection plans" in plans and "Kế hoạch kiểm tra hằng năm" not in plans

    # The decision to sign is an official document: Vietnamese whatever the screen's language.
    download = office.get(f"/inspections/{inspection.id}/quyet-dinh.docx")
    assert download.status_code == 200
    texts = "\n".join(paragraphs(download.data))
    assert "QUYẾT ĐỊNH" in texts and "Điều 2. Thành lập Đoàn kiểm tra" in texts and "Trưởng đoàn" in texts
    assert "Inspection team" not in texts and "Team head" not in texts and "DECISION" not in texts


def test_health_and_rules_pages_are_english_for_the_administrator(app):
    admin = client_for(app, "admin")
    assert "Tình trạng các tác vụ nền" in admin.get("/admin/health").get_data(as_text=True)

    health = in_english(admin, "/admin/health")
    assert "Background job status" in health and "Scheduler" in health and "Process timers" in health
    assert (
        "Background jobs (last 24 hours)" in health and "Send queued e-mail, retry failed messages" in health
    )
    assert "Waiting to be sent" in health and "Failed (no more retries)" in health
    assert (
        "Tình trạng các tác vụ nền" not in health and "Bộ lập lịch" not in health and "Chờ gửi" not in health
    )

    rules = admin.get("/admin/rules/").get_data(as_text=True)
    assert "Rules in force" in rules and "Regulation profile in force" in rules
    assert "History of rule changes" in rules and "Save and apply (new version)" in rules
    assert "When: " in rules and "Legal basis" in rules
    assert "Quy định áp dụng" not in rules and "Lịch sử thay đổi quy định" not in rules


def test_public_page_is_english_when_the_session_chose_english(client):
    assert "Công khai kết quả thực hiện nhiệm vụ" in client.get("/public/").get_data(as_text=True)
    page = in_english(client, "/public/")
    assert "Published results of task implementation" in page and "Results by reporting period" in page
    assert "Published inspection conclusions" in page and "Published tasks" in page
    assert "No report has been published yet." in page
    assert "Công khai kết quả thực hiện nhiệm vụ" not in page and "Kết quả theo kỳ báo cáo" not in page


def test_feedback_form_is_english(app, api, freeze):
    freeze("2026-02-16T09:00:00+07:00")
    tasks = [
        {"content": "Giải ngân vốn nông thôn mới", "lead_unit": "stc", "coordinating_units": ["huyen-a"]}
    ]
    directive = register_classified(api, issued_on="2026-02-16", tasks=tasks)
    task_id = directive["tasks"][0]["id"]
    accept(api, "stc.daumoi", task_id)
    district = client_for(app, "huyen-a.daumoi")
    url = f"/feedback/new?task={task_id}"
    assert "Phản hồi về việc thực hiện nhiệm vụ" in district.get(url).get_data(as_text=True)

    form = in_english(district, url)
    assert "Feedback on task implementation" in form and "Send feedback" in form
    assert "Not on time" in form and "Not as required" in form and "Lead agency" in form
    assert "within 07 working days" in form
    assert "Phản hồi về việc thực hiện nhiệm vụ" not in form and "Không đúng thời hạn" not in form
    sent = post_page_form(
        district,
        url,
        "/feedback/new",
        {
            "task": task_id,
            "kind": "late",
            "content": "Đến nay Sở Tài chính chưa giải ngân vốn hỗ trợ cho 5 xã của huyện A.",
        },
    )
    assert sent.status_code == 302
    after = district.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Your feedback has been sent to the Office" in after, "the flash message is English"

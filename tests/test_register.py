"""The directive register for the Office: rows added in the browser, search and filters, timeline."""

from __future__ import annotations

from app.extensions import db
from app.models import Directive
from tests.conftest import directive_payload
from tests.staff import login, post_page_form


def test_rows_added_in_the_browser_with_any_numbering_are_all_registered_with_their_field(client, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    login(client, "vp.chuyenvien")
    form = {
        "doc_type": "ke_hoach",
        "number": "77",
        "symbol": "KH-UBND",
        "issued_on": "02/03/2026",
        "summary": "Kế hoạch đôn đốc giải ngân vốn đầu tư công",
        "signer": "Lê Văn Cường",
        "task-0-content": "Lập danh mục dự án chậm giải ngân",
        "task-0-lead_unit": "skhdt",
        "task-0-field": "Đầu tư",
        "task-7-content": "Thanh toán khối lượng hoàn thành",
        "task-7-lead_unit": "stc",
        "task-7-due_on": "31/03/2026",
        "task-7-field": "Tài chính",
    }
    done = post_page_form(client, "/directives/new", "/directives/new", form, follow_redirects=True)
    html = done.get_data(as_text=True)
    assert "Đã vào sổ văn bản 77/KH-UBND." in html
    directive = db.session.query(Directive).filter_by(number="77").one()
    assert [(t.seq, t.field) for t in directive.tasks] == [(1, "Đầu tư"), (2, "Tài chính")]


def test_register_search_ignores_diacritics_and_filters_by_type_and_issue_date(client, api, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    office = api("vp.chuyenvien")
    office.post("/directives", directive_payload())
    office.post(
        "/directives",
        directive_payload(
            number="9",
            doc_type="chi_thi",
            symbol="CT-UBND",
            summary="Tăng cường kỷ cương hành chính",
            issued_on="2026-02-10",
            tasks=[
                {
                    "content": "Rà soát quy chế làm việc",
                    "lead_unit": "sxd",
                    "coordinating_units": [],
                    "due_on": None,
                }
            ],
        ),
    )
    login(client, "vp.chuyenvien")
    found = client.get("/directives/", query_string={"q": "chuyen doi so"}).get_data(as_text=True)
    assert "12/QĐ-UBND" in found and "9/CT-UBND" not in found and "1 văn bản" in found
    by_task = client.get("/directives/", query_string={"q": "so hoa ho so"}).get_data(as_text=True)
    assert "12/QĐ-UBND" in by_task and "9/CT-UBND" not in by_task, "task contents are searchable too"
    by_type = client.get("/directives/", query_string={"doc_type": "chi_thi"}).get_data(as_text=True)
    assert "9/CT-UBND" in by_type and "12/QĐ-UBND" not in by_type
    by_date = client.get("/directives/", query_string={"issued_from": "01/03/2026"}).get_data(as_text=True)
    assert "12/QĐ-UBND" in by_date and "9/CT-UBND" not in by_date


def test_an_agency_sees_only_the_directives_that_concern_it_in_the_register(client, api, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    api("vp.chuyenvien").post("/directives", directive_payload())
    login(client, "sxd.daumoi")
    html = client.get("/directives/").get_data(as_text=True)
    assert "Không có văn bản nào." in html and "Vào sổ văn bản" not in html

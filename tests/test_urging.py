"""Urging (R11): the Office urges many tasks at once with a signed document; every task's history
shows it; the file stays private; the leadership sees which tasks were urged how often."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import Unit, Urging
from tests.staff import client_for
from tests.support import notices_of, register_classified
from tests.test_persistence import csrf_from

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TASKS = [
    {"content": "Bố trí vốn đối ứng cho dự án trọng điểm", "lead_unit": "stc", "due_on": "2026-03-20"},
    {
        "content": "Hoàn thiện hồ sơ quyết toán dự án đường tỉnh 12",
        "lead_unit": "sxd",
        "due_on": "2026-03-25",
    },
    {"content": "Báo cáo tiến độ giải ngân quý I", "lead_unit": "skhdt", "due_on": "2026-03-31"},
]


def urging_form(page: str, task_ids: list[int], **fields) -> dict:
    data = {"csrf_token": csrf_from(page), "task_ids": [str(t) for t in task_ids]}
    data.update(fields)
    return data


def test_the_office_urges_two_tasks_by_a_signed_document_shown_in_each_task_s_history(app, api, freeze):
    freeze("2026-03-10T09:00:00+07:00")
    directive = register_classified(api, issued_on="2026-03-02", tasks=TASKS)
    first, second, third = (t["id"] for t in directive["tasks"])
    office = client_for(app, "vp.chuyenvien")
    page = office.get(f"/urging/new?task={first}").get_data(as_text=True)
    assert f'name="task_ids" value="{first}" checked' in page

    sent = office.post(
        "/urging/new",
        data={
            **urging_form(page, [first, second]),
            "message": "Đề nghị các Sở khẩn trương hoàn thành nhiệm vụ, báo cáo UBND tỉnh trước 15/03/2026.",
            "doc_reference": "215/VP-TH",
            "doc_date": "09/03/2026",
            "doc_signer": "Trần Thị Bình",
            "file": (io.BytesIO(PDF), "Văn bản đôn đốc 215.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)[:2000]
    urging = db.session.scalars(select(Urging)).one()
    assert (urging.kind, urging.doc_reference, urging.doc_date.isoformat(), urging.doc_signer) == (
        "document",
        "215/VP-TH",
        "2026-03-09",
        "Trần Thị Bình",
    )
    assert sorted(t.id for t in urging.tasks) == [first, second]
    stored = Path(app.config["DONDOC_UPLOAD_DIR"]) / "urging" / urging.file_key
    assert stored.read_bytes() == PDF and "static" not in stored.parts
    assert urging.file_name == "Văn bản đôn đốc 215.pdf" and urging.file_key.endswith(".pdf")

    for task_id, lead in ((first, "stc.daumoi"), (second, "sxd.daumoi")):
        history = api(lead).get(f"/tasks/{task_id}").json["history"]
        urged = [e for e in history if e["action"] == "task_urged"]
        assert len(urged) == 1 and urged[0]["details"]["doc_reference"] == "215/VP-TH"
        assert urged[0]["actor"] == "vp.chuyenvien"
    third_history = api("skhdt.daumoi").get(f"/tasks/{third}").json["history"]
    assert not any(e["action"] == "task_urged" for e in third_history)
    assert [n.kind for n in notices_of("stc.daumoi")] == ["urged"]
    assert [n.kind for n in notices_of("stc.giamdoc")] == ["urged"]
    assert notices_of("skhdt.daumoi") == []

    finance = client_for(app, "stc.daumoi")
    directive_page = finance.get(f"/directives/{directive['id']}").get_data(as_text=True)
    assert "Đôn đốc</strong> bằng văn bản 215/VP-TH ngày 09/03/2026, Trần Thị Bình ký" in directive_page
    download = finance.get(f"/urging/{urging.id}/file")
    assert download.status_code == 200 and download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    outsider = client_for(app, "skhdt.daumoi")
    assert outsider.get(f"/urging/{urging.id}/file").status_code == 404
    assert outsider.get(f"/urging/{urging.id}").status_code == 404


def test_a_fake_pdf_an_oversized_file_and_a_half_filled_document_are_refused_in_vietnamese(app, api, freeze):
    freeze("2026-03-10T09:00:00+07:00")
    directive = register_classified(api, issued_on="2026-03-02", tasks=TASKS)
    task_id = directive["tasks"][0]["id"]
    office = client_for(app, "vp.chuyenvien")
    page = office.get("/urging/new").get_data(as_text=True)
    base = {
        **urging_form(page, [task_id]),
        "message": "Đề nghị khẩn trương hoàn thành nhiệm vụ được giao.",
        "doc_reference": "216/VP-TH",
        "doc_date": "10/03/2026",
        "doc_signer": "Trần Thị Bình",
    }
    fake = office.post(
        "/urging/new",
        data={**base, "file": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "dondoc.pdf")},
        content_type="multipart/form-data",
    )
    assert fake.status_code == 422 and "Nội dung tệp không phải định dạng PDF." in fake.get_data(as_text=True)
    app.config["DONDOC_MAX_URGING_FILE_BYTES"] = 64
    big = office.post(
        "/urging/new",
        data={**base, "file": (io.BytesIO(PDF), "dondoc.pdf")},
        content_type="multipart/form-data",
    )
    assert big.status_code == 422 and "Tệp quá lớn" in big.get_data(as_text=True)
    half = office.post("/urging/new", data={**base, "doc_signer": "", "doc_date": "31/02/2026"})
    html = half.get_data(as_text=True)
    assert half.status_code == 422
    assert "Văn bản đôn đốc cần «Người ký»." in html and "Ngày không hợp lệ (dd/mm/yyyy)." in html
    nothing = office.post("/urging/new", data={"csrf_token": base["csrf_token"], "message": "ngắn"})
    assert "Chọn ít nhất một nhiệm vụ cần đôn đốc." in nothing.get_data(as_text=True)
    assert db.session.scalars(select(Urging)).all() == []
    assert list((Path(app.config["DONDOC_UPLOAD_DIR"]) / "urging").glob("*")) == []


def test_only_the_office_urges_and_only_open_tasks(app, api, freeze):
    freeze("2026-03-10T09:00:00+07:00")
    directive = register_classified(api, issued_on="2026-03-02", tasks=TASKS)
    task_id = directive["tasks"][0]["id"]
    body = {"task_ids": [task_id], "message": "Đề nghị khẩn trương hoàn thành nhiệm vụ."}
    assert api("stc.daumoi").post("/urgings", body).status_code == 403
    assert client_for(app, "stc.daumoi").get("/urging/new").status_code == 403
    refused = api("vp.chuyenvien").post("/urgings", {**body, "task_ids": [999999]})
    assert refused.status_code == 422 and "999999" in refused.json["error"]["fields"]["task_ids"]
    assert api("vp.chuyenvien").post("/urgings", body).status_code == 201


def test_the_leadership_sees_which_tasks_were_urged_how_often(app, api, freeze):
    freeze("2026-03-10T09:00:00+07:00")
    directive = register_classified(api, issued_on="2026-03-02", tasks=TASKS)
    first, second, third = (t["id"] for t in directive["tasks"])
    office = api("vp.chuyenvien")
    for day, ids in (("11", [first, second]), ("12", [second]), ("13", [second, third])):
        freeze(f"2026-03-{day}T09:00:00+07:00")
        body = {"task_ids": ids, "message": f"Đôn đốc ngày {day}/03/2026: đề nghị báo cáo tiến độ."}
        assert office.post("/urgings", body).status_code == 201
    office.post(
        "/urgings",
        {
            "task_ids": [third],
            "message": "Đề nghị báo cáo tiến độ giải ngân quý I.",
            "doc_reference": "230/VP-KT",
            "doc_date": "2026-03-13",
            "doc_signer": "Trần Thị Bình",
        },
    )
    summary = api("ct.ubnd").get("/urgings").json
    assert [(r["task_id"], r["count"], r["documents"]) for r in summary] == [
        (second, 3, 0),
        (third, 2, 1),
        (first, 1, 0),
    ]
    assert [r["task_id"] for r in api("stc.daumoi").get("/urgings").json] == [first]  # only its own

    leader = client_for(app, "ct.ubnd")
    page = leader.get("/urging/").get_data(as_text=True)
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    order = [rows.index(f'data-task-id="{t}"') for t in (second, third, first)]
    assert order == sorted(order)
    assert "Hoàn thiện hồ sơ quyết toán dự án đường tỉnh 12" in rows
    construction = db.session.scalar(select(Unit.id).where(Unit.code == "sxd"))
    filtered = leader.get(f"/urging/?unit={construction}").get_data(as_text=True).split("<tbody>")[1]
    assert f'data-task-id="{second}"' in filtered and f'data-task-id="{first}"' not in filtered
    assert len(api("vp.chuyenvien").get(f"/tasks/{second}/urgings").json) == 3

"""Attachments are checked by type and content, limited in size, stored outside the web root under
random names and downloaded only by people who may see the task; comments form a thread."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import Attachment, AuditEvent
from tests.staff import client_for, csrf_from, login, open_items, register_and_classify

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


def _upload(client, item_id: int, content: bytes, name: str):
    token = csrf_from(client.get(f"/work-items/{item_id}").get_data(as_text=True))
    return client.post(
        f"/work-items/{item_id}/attachments",
        data={"csrf_token": token, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def _first_stc_item(api):
    register_and_classify(api)
    return next(i for i in open_items() if i.candidate_role == "focal_officer")


def test_a_pdf_is_stored_outside_the_web_root_under_a_random_name_and_downloads_as_a_file(
    client, api, app, freeze
):
    freeze("2026-03-02T09:00:00+07:00")
    item = _first_stc_item(api)
    login(client, "stc.daumoi")
    html = _upload(client, item.id, PDF, "../../Báo cáo kết quả.pdf").get_data(as_text=True)
    assert "Đã đính kèm tệp." in html and "Báo cáo kết quả.pdf" in html
    stored = db.session.scalars(select(Attachment)).one()
    path = Path(app.config["DONDOC_UPLOAD_DIR"]) / stored.stored_name[:2] / stored.stored_name
    assert path.read_bytes() == PDF and stored.original_name == "Báo cáo kết quả.pdf"
    assert not str(path.resolve()).startswith(str(Path(app.static_folder).resolve()))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    download = client.get(f"/attachments/{stored.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "attachment_added"))


def test_a_renamed_program_an_unknown_type_and_an_oversized_file_are_refused(client, api, app, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    app.config["DONDOC_MAX_ATTACHMENT_BYTES"] = 1024
    item = _first_stc_item(api)
    login(client, "stc.daumoi")
    fake = _upload(client, item.id, b"MZ\x90\x00 this is a windows program", "bao-cao.pdf").get_data(
        as_text=True
    )
    assert "Nội dung tệp «bao-cao.pdf» không đúng với loại .pdf." in fake
    exe = _upload(client, item.id, b"MZ\x90\x00", "setup.exe").get_data(as_text=True)
    assert "Tệp «setup.exe» không thuộc loại được phép" in exe
    big = _upload(client, item.id, PDF + b"0" * 2048, "lon.pdf").get_data(as_text=True)
    assert "Tệp «lon.pdf» lớn quá" in big
    assert db.session.scalar(select(Attachment.id)) is None
    leftovers = [p for p in Path(app.config["DONDOC_UPLOAD_DIR"]).rglob("*") if p.is_file()]
    assert leftovers == [], "refused files are not left on disk"


def test_the_configured_virus_scanner_refuses_an_infected_file(client, api, app, freeze, tmp_path):
    freeze("2026-03-02T09:00:00+07:00")
    scanner = tmp_path / "scan.sh"
    scanner.write_text('#!/bin/sh\n! grep -q "EICAR-STANDARD-ANTIVIRUS-TEST-FILE" "$1"\n')
    scanner.chmod(0o700)
    app.config["DONDOC_VIRUS_SCAN_COMMAND"] = str(scanner)
    item = _first_stc_item(api)
    login(client, "stc.daumoi")
    infected = PDF + b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
    assert "bị từ chối khi quét virus" in _upload(client, item.id, infected, "nhiem.pdf").get_data(
        as_text=True
    )
    assert "Đã đính kèm tệp." in _upload(client, item.id, PDF, "sach.pdf").get_data(as_text=True)


def test_another_agency_cannot_download_a_file_even_with_its_address(client, api, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    item = _first_stc_item(api)
    login(client, "stc.daumoi")
    _upload(client, item.id, PDF, "bao-cao.pdf")
    attachment_id = db.session.scalar(select(Attachment.id))
    outsider = client_for(client.application, "sxd.daumoi")
    assert outsider.get(f"/attachments/{attachment_id}").status_code == 404
    office = client_for(client.application, "vp.chuyenvien")
    assert office.get(f"/attachments/{attachment_id}").status_code == 200


def test_comments_form_a_thread_visible_to_the_office_and_recorded_in_the_history(client, api, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    item = _first_stc_item(api)
    login(client, "stc.daumoi")
    page = f"/work-items/{item.id}"
    token = csrf_from(client.get(page).get_data(as_text=True))
    empty = client.post(f"{page}/comments", data={"csrf_token": token, "body": "   "}, follow_redirects=True)
    assert "Vui lòng nhập nội dung trao đổi." in empty.get_data(as_text=True)
    client.post(f"{page}/comments", data={"csrf_token": token, "body": "Đề nghị VP cho biết mẫu báo cáo."})
    office = client_for(client.application, "vp.chuyenvien")
    html = office.get(page).get_data(as_text=True)
    assert "Đề nghị VP cho biết mẫu báo cáo." in html and "Phạm Thị Dung" in html
    assert "Trao đổi: «Đề nghị VP cho biết mẫu báo cáo.»" in html, "the task history lists the comment"

"""The inspection dossier (hồ sơ kiểm tra, 000:15, 001:18): eight items, files or references, one archive.

Files are stored outside the web root under a generated name (never the uploader's), with their
SHA-256; the archive is built on request with a UTF-8 index of every item, what it holds and whether
a mandatory item is still missing. The documents the system drafts (decision, result report) and
the reports the inspected units entered are added to the archive as well, marked as such.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import re
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

from app import clock
from app.extensions import db
from app.forms import FormInvalid
from app.models import Inspection, InspectionDocument, InspectionSubject, User
from app.services import audit
from app.services.inspections.labels import DOSSIER_BY_NO, DOSSIER_ITEMS, DossierItem

Render = Callable[[Inspection], bytes]
ALLOWED_EXTENSIONS = {
    ".pdf",
    ".doc",
    ".docx",
    ".odt",
    ".xls",
    ".xlsx",
    ".ods",
    ".jpg",
    ".jpeg",
    ".png",
    ".txt",
}
MAX_DOSSIER_FILE_BYTES = 20 * 1024 * 1024
# A file's first bytes must match its extension, so a renamed executable is not filed as a PDF.
MAGIC = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
}


@dataclass(frozen=True)
class ItemState:
    item: DossierItem
    documents: list[InspectionDocument]
    recorded_in_system: bool

    @property
    def is_satisfied(self) -> bool:
        return bool(self.documents) or self.recorded_in_system


def checklist(inspection: Inspection) -> list[ItemState]:
    by_item: dict[int, list[InspectionDocument]] = {item.no: [] for item in DOSSIER_ITEMS}
    for document in inspection.documents:
        by_item[document.item_no].append(document)
    return [
        ItemState(item, by_item[item.no], _recorded_in_system(inspection, item.no)) for item in DOSSIER_ITEMS
    ]


def _recorded_in_system(inspection: Inspection, item_no: int) -> bool:
    """Item 4 (units' reports) is met when every inspected unit reported through its work item."""
    return item_no == 4 and bool(inspection.subjects) and all(s.reported_at for s in inspection.subjects)


def missing_mandatory_items(inspection: Inspection) -> list[DossierItem]:
    return [
        state.item for state in checklist(inspection) if state.item.is_mandatory and not state.is_satisfied
    ]


def _storage_dir() -> Path:
    directory = Path(current_app.config["DONDOC_UPLOAD_DIR"]) / "inspections"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _safe_display_name(name: str) -> str:
    """Keep the uploader's name for display and the archive, without any path or control characters."""
    base = Path(name.replace("\\", "/")).name
    cleaned = re.sub(r"[\x00-\x1f/:*?\"<>|]+", "_", base).strip(" .")
    return cleaned[:200] or "tai-lieu"


def _check_file(name: str, content: bytes) -> str:
    extension = Path(name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise FormInvalid(
            {"file": "Chỉ nhận tệp PDF, Word, Excel, OpenDocument, ảnh JPG/PNG hoặc văn bản TXT."}
        )
    if not content:
        raise FormInvalid({"file": "Tệp rỗng."})
    if len(content) > MAX_DOSSIER_FILE_BYTES:
        raise FormInvalid({"file": "Tệp vượt quá 20 MB."})
    signatures = MAGIC.get(extension)
    if signatures and not content.startswith(signatures):
        raise FormInvalid({"file": "Nội dung tệp không đúng với định dạng của tên tệp."})
    return extension


def add_document(
    user: User, inspection: Inspection, *, item_no: int, title: str, upload: FileStorage | None = None
) -> InspectionDocument:
    """File a document (an uploaded file, or a reference to a paper original) under one item."""
    if item_no not in DOSSIER_BY_NO:
        raise FormInvalid({"item_no": "Mục hồ sơ không hợp lệ."})
    if inspection.status in {"closed", "cancelled"}:
        raise FormInvalid({"_form": "Đợt kiểm tra đã kết thúc, hồ sơ không được sửa đổi."})
    title = title.strip()
    document = InspectionDocument(
        inspection_id=inspection.id, item_no=item_no, uploaded_by_id=user.id, uploaded_at=clock.now()
    )
    if upload is not None and upload.filename:
        content = upload.read(MAX_DOSSIER_FILE_BYTES + 1)
        display = _safe_display_name(upload.filename)
        extension = _check_file(display, content)
        document.stored_name = f"{uuid.uuid4().hex}{extension}"
        (_storage_dir() / document.stored_name).write_bytes(content)
        document.file_name, document.size = display, len(content)
        document.sha256 = hashlib.sha256(content).hexdigest()
        document.content_type = mimetypes.guess_type(display)[0] or "application/octet-stream"
        title = title or display
    if len(title) < 3:
        raise FormInvalid(
            {"title": "Vui lòng nhập tên văn bản, tài liệu (số, ký hiệu, trích yếu) hoặc chọn tệp."}
        )
    document.title = title[:500]
    db.session.add(document)
    db.session.flush()
    audit.record(
        "inspection_document_added",
        actor_id=user.id,
        instance_id=inspection.instance_id,
        details={
            "inspection_id": inspection.id,
            "item_no": item_no,
            "title": document.title,
            "sha256": document.sha256,
        },
    )
    return document


def read_document(document: InspectionDocument) -> bytes:
    if not document.stored_name:
        raise FileNotFoundError("Tài liệu này không có tệp đính kèm.")
    return (_storage_dir() / document.stored_name).read_bytes()


# Scans, office files and images are compressed already: storing them saves time and nothing else.
STORED_EXTENSIONS = {".pdf", ".docx", ".xlsx", ".odt", ".ods", ".jpg", ".jpeg", ".png"}


def _compression(name: str) -> int:
    return zipfile.ZIP_STORED if Path(name).suffix.lower() in STORED_EXTENSIONS else zipfile.ZIP_DEFLATED


def _folder(item: DossierItem) -> str:
    return f"{item.no:02d} - {item.title}"


def build_archive(inspection: Inspection) -> bytes:
    """The whole dossier as one zip: a folder per item and `00 - Mục lục.txt` indexing all of it."""
    from app.services.inspections.documents import decision_docx, report_docx

    buffer = io.BytesIO()
    index = _index_header(inspection)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for state in checklist(inspection):
            entries = []
            for n, document in enumerate(state.documents, start=1):
                if document.stored_name:
                    name = f"{_folder(state.item)}/{n:02d} - {document.file_name}"
                    archive.writestr(name, read_document(document), compress_type=_compression(name))
                    entries.append(f"   - {name} ({document.size} byte, SHA-256 {document.sha256})")
                else:
                    entries.append(f"   - {document.title} (bản giấy, không có tệp)")
            generated = _generated_files(inspection, state.item.no, decision_docx, report_docx)
            for file_name, content in generated:
                name = f"{_folder(state.item)}/{file_name}"
                archive.writestr(name, content)
                entries.append(f"   - {name} (hệ thống tạo)")
            index.extend(_index_item(state, entries))
        archive.writestr("00 - Mục lục.txt", "\n".join(index) + "\n")
    return buffer.getvalue()


def _generated_files(
    inspection: Inspection, item_no: int, decision_docx: Render, report_docx: Render
) -> list[tuple[str, bytes]]:
    if item_no == 1 and inspection.decision_number:
        return [("Dự thảo Quyết định kiểm tra (hệ thống tạo).docx", decision_docx(inspection))]
    if item_no == 7 and inspection.report_number:
        return [("Dự thảo Báo cáo kết quả kiểm tra (hệ thống tạo).docx", report_docx(inspection))]
    if item_no == 4:
        return [
            (f"Báo cáo của {s.unit.name}.txt", _unit_report_text(s).encode())
            for s in inspection.subjects
            if s.reported_at is not None
        ]
    if item_no == 6 and inspection.minutes_summary:
        return [("Tóm tắt biên bản kiểm tra.txt", inspection.minutes_summary.encode())]
    return []


def _unit_report_text(subject: InspectionSubject) -> str:
    lines = [
        f"Đơn vị: {subject.unit.name}",
        f"Báo cáo lúc: {subject.reported_at:%d/%m/%Y %H:%M} (UTC)",
        "",
        subject.report_summary or "",
    ]
    if subject.documents:
        lines += ["", "Hồ sơ, tài liệu đã cung cấp:", subject.documents]
    return "\n".join(lines)


def _index_header(inspection: Inspection) -> list[str]:
    return [
        "MỤC LỤC HỒ SƠ KIỂM TRA",
        f"Đợt kiểm tra: {inspection.title}",
        f"Quyết định kiểm tra: {inspection.decision_reference or 'chưa ban hành'}",
        f"Báo cáo kết quả: {inspection.report_reference or 'chưa có'}",
        f"Lập lúc: {clock.now().astimezone(clock.VIETNAM):%d/%m/%Y %H:%M}",
        "Căn cứ: Điều 15 QĐ 02/2015/QĐ-UBND; Điều 18 QĐ 69/2019/QĐ-UBND",
        "",
    ]


def _index_item(state: ItemState, entries: list[str]) -> list[str]:
    if state.is_satisfied:
        mark = "ĐỦ"
    else:
        mark = "THIẾU (bắt buộc)" if state.item.is_mandatory else "không có (không bắt buộc)"
    if state.recorded_in_system and not state.documents:
        entries = [*entries, "   - Các đơn vị đã báo cáo trên hệ thống"]
    return [f"{state.item.no}. {state.item.title} — {mark}", *entries, ""]

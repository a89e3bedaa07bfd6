"""Attachments: type and size checked, stored outside the web root under random names.

Why this shape: a file a clerk uploads may be anything. It is accepted only when its extension is
on the list *and* its first bytes match that type (a renamed .exe is refused); it is written under
`DONDOC_UPLOAD_DIR` with a random name (never the user's), never served by the static route, and
downloaded only through a route that checks the viewer may see the work item, always as a
download (`Content-Disposition: attachment`, `nosniff`). When `DONDOC_VIRUS_SCAN_COMMAND` is set
(e.g. `clamdscan --no-summary --fdpass`), each file is scanned before it is kept: a non-zero exit
refuses it.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shlex
import subprocess
from pathlib import Path
from typing import IO, Any

from flask import current_app
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.forms import FormInvalid
from app.models import Attachment, User, WorkItem
from app.services import audit

CHUNK = 64 * 1024
ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0",)
# extension -> (content type served, accepted leading bytes)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    "odt": ("application/vnd.oasis.opendocument.text", ZIP),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    "doc": ("application/msword", OLE),
    "xls": ("application/vnd.ms-excel", OLE),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}


class AttachmentRefused(ValueError):
    """The file was not kept; the message tells the clerk why, in Vietnamese."""


def max_bytes() -> int:
    return int(current_app.config.get("DONDOC_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024))


def upload_root() -> Path:
    return Path(current_app.config["DONDOC_UPLOAD_DIR"])


def _extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def _clean_name(filename: str) -> str:
    """Keep the user's name for display only: no path, no control characters, bounded length."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[-200:] or "tep-dinh-kem"


def _write(stream: IO[bytes], target: Path, limit: int) -> tuple[int, str, bytes]:
    digest, size, head = hashlib.sha256(), 0, b""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                break
            if len(head) < 16:
                head = (head + chunk)[:16]
            digest.update(chunk)
            out.write(chunk)
    return size, digest.hexdigest(), head


def _scan(path: Path) -> bool:
    command = current_app.config.get("DONDOC_VIRUS_SCAN_COMMAND")
    if not command:
        return True
    done = subprocess.run([*shlex.split(command), str(path)], capture_output=True, timeout=120, check=False)
    return done.returncode == 0


def store(
    user: User, item: WorkItem, filename: str, stream: IO[bytes], *, field: str | None = None
) -> Attachment:
    """Check and keep one uploaded file for `item`; raises AttachmentRefused."""
    name = _clean_name(filename)
    kind = ALLOWED.get(_extension(name))
    if kind is None:
        allowed = ", ".join(sorted(ALLOWED))
        raise AttachmentRefused(f"Tệp «{name}» không thuộc loại được phép ({allowed}).")
    stored = secrets.token_hex(20)
    target = upload_root() / stored[:2] / stored
    limit = max_bytes()
    size, sha256, head = _write(stream, target, limit)
    problem = None
    if size > limit:
        problem = f"Tệp «{name}» lớn quá {limit // (1024 * 1024)} MB."
    elif size == 0:
        problem = f"Tệp «{name}» rỗng."
    elif not any(head.startswith(magic) for magic in kind[1]):
        problem = f"Nội dung tệp «{name}» không đúng với loại .{_extension(name)}."
    elif not _scan(target):
        problem = f"Tệp «{name}» bị từ chối khi quét virus."
    if problem:
        target.unlink(missing_ok=True)
        raise AttachmentRefused(problem)
    attachment = Attachment(
        work_item_id=item.id,
        task_id=item.task_id,
        directive_id=item.directive_id,
        field_name=field,
        original_name=name,
        stored_name=stored,
        content_type=kind[0],
        size_bytes=size,
        sha256=sha256,
        uploaded_by_id=user.id,
        uploaded_at=clock.now(),
    )
    db.session.add(attachment)
    db.session.flush()
    audit.record(
        "attachment_added",
        actor_id=user.id,
        directive_id=item.directive_id,
        task_id=item.task_id,
        instance_id=item.instance_id,
        work_item_id=item.id,
        details={"name": name, "size": size, "sha256": sha256, "attachment_id": attachment.id},
    )
    return attachment


def path_of(attachment: Attachment) -> Path:
    return upload_root() / attachment.stored_name[:2] / attachment.stored_name


def for_task(task_id: int | None, work_item_id: int) -> list[Attachment]:
    """A task's files (from every step), or the item's own files when it has no task."""
    condition = Attachment.task_id == task_id if task_id else Attachment.work_item_id == work_item_id
    return list(db.session.scalars(select(Attachment).where(condition).order_by(Attachment.id)))


def check_form_files(schema: dict[str, Any], data: dict[str, Any], item: WorkItem) -> None:
    """A file field holds the id of a file uploaded on this very work item, nothing else."""
    errors: dict[str, str] = {}
    for name, prop in schema.get("properties", {}).items():
        if prop.get("format") != "file" or name not in data:
            continue
        value = str(data[name])
        found = db.session.scalar(
            select(Attachment.id).where(
                Attachment.id == (int(value) if value.isdigit() else -1), Attachment.work_item_id == item.id
            )
        )
        if found is None:
            errors[name] = f"«{prop.get('title', name)}»: tệp đính kèm không hợp lệ, vui lòng tải lại."
    if errors:
        raise FormInvalid(errors)

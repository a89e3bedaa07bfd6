"""Uploaded documents: checked for size and real type, stored outside the web root under new names.

The extension a browser claims is not trusted: the first bytes must match the format (a PDF starts
with "%PDF-", a .docx is a ZIP...). The original name is kept for display and download only.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

# extension -> (MIME type, accepted leading bytes)
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


class UploadRefused(ValueError):
    """The file is refused; the message says why, for a clerk."""


@dataclass(frozen=True)
class StoredFile:
    key: str
    name: str
    size: int
    content_type: str
    sha256: str


def _directory(category: str) -> Path:
    path = Path(current_app.config["DONDOC_UPLOAD_DIR"]) / category
    path.mkdir(parents=True, exist_ok=True, mode=0o750)
    return path


def check(name: str, data: bytes, max_bytes: int) -> tuple[str, str]:
    """(extension, MIME type) of an acceptable file, or `UploadRefused`."""
    extension = Path(name).suffix.lower()
    if extension not in ALLOWED_TYPES:
        allowed = ", ".join(sorted(e.lstrip(".") for e in ALLOWED_TYPES))
        raise UploadRefused(f"Chỉ nhận tệp {allowed}.")
    if not data:
        raise UploadRefused("Tệp rỗng.")
    if len(data) > max_bytes:
        raise UploadRefused(f"Tệp quá lớn ({len(data) // 1024} KB), giới hạn {max_bytes // 1024} KB.")
    content_type, signatures = ALLOWED_TYPES[extension]
    if not any(data.startswith(signature) for signature in signatures):
        raise UploadRefused(f"Nội dung tệp không phải định dạng {extension.lstrip('.').upper()}.")
    return extension, content_type


def store(category: str, name: str, data: bytes, *, max_bytes: int) -> StoredFile:
    extension, content_type = check(name, data, max_bytes)
    key = uuid.uuid4().hex + extension
    target = _directory(category) / key
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    display = Path(name.replace("\\", "/")).name[:255] or key
    return StoredFile(key, display, len(data), content_type, hashlib.sha256(data).hexdigest())


def path_of(category: str, key: str) -> Path:
    """Where a stored file is; the key is ours (hex + extension), never a user-given path."""
    if not key or "/" in key or "\\" in key or key.startswith("."):
        raise FileNotFoundError(key)
    return _directory(category) / key

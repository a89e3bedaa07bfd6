"""Language and formats: Vietnamese first (English second), dd/mm/yyyy, Vietnam time.

Source strings are Vietnamese (the product's first language, and the words of the regulations);
`app/translations/en/LC_MESSAGES/messages.po` translates them to English. Vietnamese needs no
catalogue. The compiled `.mo` is generated (`make setup`, and the test set-up) and never committed.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from flask import Flask, request, session
from flask_babel import Babel

from app.clock import VIETNAM

SUPPORTED_LOCALES = ("vi", "en")


def select_locale() -> str:
    chosen = session.get("locale") if request else None
    if chosen in SUPPORTED_LOCALES:
        return str(chosen)
    return "vi"


def format_date(value: date | str | None) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.astimezone(VIETNAM).date()
    return value.strftime("%d/%m/%Y")


def format_instant(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def init_babel(app: Flask) -> None:
    Babel(app, locale_selector=select_locale, default_timezone="Asia/Ho_Chi_Minh")
    app.jinja_env.filters["dmy"] = format_date
    app.jinja_env.filters["instant"] = format_instant


TRANSLATIONS = Path(__file__).parent / "translations"


def compile_catalogues(directory: Path = TRANSLATIONS) -> list[Path]:
    """Compile every messages.po whose .mo is missing or older; returns the files written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as source:
            catalog = read_po(source)
        with mo_path.open("wb") as target:
            write_mo(target, catalog)
        written.append(mo_path)
    return written

"""Language and formats: Vietnamese first (English second), dd/mm/yyyy, Vietnam time."""

from __future__ import annotations

from datetime import date, datetime

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

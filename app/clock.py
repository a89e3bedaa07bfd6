"""The one clock all code asks for "now".

In training sessions and tests an operator can freeze it (`flask clock set`); the frozen instant
is kept in the database so every process of a running server follows it. The override is
honoured only when DONDOC_ALLOW_CLOCK_OVERRIDE=1: in production the clock is always real.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, g, has_app_context, has_request_context
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import AppSetting

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
CLOCK_KEY = "clock.frozen_at"


def now() -> datetime:
    """The current instant, UTC-aware; frozen when an allowed override is set."""
    if has_request_context():
        if "dondoc_now" not in g:
            g.dondoc_now = _read_now()
        cached: datetime = g.dondoc_now
        return cached
    return _read_now()


def today() -> date:
    """Today's date in Vietnam, where every deadline is counted."""
    return now().astimezone(VIETNAM).date()


def _read_now() -> datetime:
    if current_app.config.get("DONDOC_ALLOW_CLOCK_OVERRIDE"):
        frozen = _frozen_setting()
        if frozen:
            return datetime.fromisoformat(frozen).astimezone(UTC)
    return datetime.now(UTC)


# The override as read in the current transaction, kept in the session until it commits or rolls
# back: outside a request (jobs, sweeps, CLI) every clock reading was a query (and an autoflush).
SETTING_CACHE_KEY = "dondoc.clock_override"


def _frozen_setting() -> str | None:
    info = db.session.info
    if SETTING_CACHE_KEY not in info:
        setting = db.session.get(AppSetting, CLOCK_KEY)
        info[SETTING_CACHE_KEY] = setting.value if setting is not None else None
    value: str | None = info[SETTING_CACHE_KEY]
    return value


@sa_event.listens_for(Session, "after_commit")
@sa_event.listens_for(Session, "after_rollback")
@sa_event.listens_for(Session, "after_soft_rollback")
def _forget_setting(session: Session, *_args: Any) -> None:
    session.info.pop(SETTING_CACHE_KEY, None)


def freeze(instant: datetime) -> None:
    """Freeze the clock at `instant` (aware); refused unless overrides are allowed."""
    _require_override_allowed()
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=VIETNAM)
    _store(instant.astimezone(UTC).isoformat())
    _forget_cached_now()


def release() -> None:
    _require_override_allowed()
    _store(None)
    _forget_cached_now()


def _forget_cached_now() -> None:
    """Drop the per-request cache: `g` outlives one request when an app context is reused (tests)."""
    if has_app_context():
        g.pop("dondoc_now", None)


def _store(value: str | None) -> None:
    setting = db.session.get(AppSetting, CLOCK_KEY)
    if setting is None:
        db.session.add(AppSetting(key=CLOCK_KEY, value=value))
    else:
        setting.value = value
    db.session.info[SETTING_CACHE_KEY] = value


def _require_override_allowed() -> None:
    if not current_app.config.get("DONDOC_ALLOW_CLOCK_OVERRIDE"):
        raise PermissionError(
            "Không được chỉnh đồng hồ: đặt DONDOC_ALLOW_CLOCK_OVERRIDE=1 (chỉ dùng cho đào tạo, kiểm thử)."
        )

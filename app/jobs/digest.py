"""The daily digest: once a day after DONDOC_DIGEST_TIME, one e-mail per user who chose it."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import clock
from app.extensions import db
from app.models import Notification, NotificationPreference, User
from app.services import mail


def run(now: datetime | None = None) -> dict[str, Any]:
    now = now or clock.now()
    local = now.astimezone(clock.VIETNAM)
    if not mail.mail_enabled() or local.time() < time.fromisoformat(current_app.config["DONDOC_DIGEST_TIME"]):
        return {"queued": 0}
    queued = 0
    prefs = list(
        db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.email_mode == "digest")
        )
    )
    for pref in prefs:
        try:
            queued += _digest_for(pref, now, local.date().isoformat())
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # today's digest exists already
    return {"queued": queued}


def _digest_for(pref: NotificationPreference, now: datetime, day: str) -> int:
    user = db.session.get(User, pref.user_id)
    if user is None or not user.email or not user.is_active:
        return 0
    query = select(Notification).where(Notification.user_id == user.id, Notification.created_at <= now)
    if pref.digest_through is not None:
        query = query.where(Notification.created_at > pref.digest_through)
    notices = list(db.session.scalars(query.order_by(Notification.id)))
    pref.digest_through = now
    if not notices:
        return 0
    body = mail.render(
        "mail/digest.txt",
        user=user,
        notifications=notices,
        until=now,
        base_url=current_app.config["DONDOC_BASE_URL"].rstrip("/"),
    )
    subject = f"[DonDoc] Tổng hợp {len(notices)} thông báo ngày {now.astimezone(clock.VIETNAM):%d/%m/%Y}"
    mail.queue(user, user.email, subject, body, kind="digest", dedup=f"digest:{user.id}:{day}")
    db.session.flush()
    return 1

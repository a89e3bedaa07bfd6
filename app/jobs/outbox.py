"""The e-mail outbox job: claim due messages, send them after the fact, retry failures with backoff.

A message is claimed (state `sending`, `locked_until`) and committed before the SMTP dialogue, so
two senders never send the same row; a sender that dies mid-way leaves a claim that expires and
the row is tried again. Delivery is therefore at least once, never lost.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update

from app.extensions import db
from app.models import MailOutbox
from app.services import mail

log = logging.getLogger(__name__)
BATCH = 50
MAX_ATTEMPTS = 8
CLAIM = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes, at most 6 hours, between attempts."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), timedelta(hours=6))


def run(now: datetime | None = None) -> dict[str, Any]:
    if not mail.mail_enabled():
        return {"enabled": False}
    now = now or mail.wall_now()
    rows = _claim(now)
    if not rows:
        return {"enabled": True, "sent": 0, "failed": 0}
    outcomes = mail.deliver(rows)
    sent = failed = 0
    by_id = {row.id: row for row in rows}
    for outcome in outcomes:
        row = by_id[outcome.message_id]
        if outcome.error is None:
            row.state, row.sent_at, row.last_error, row.locked_until = "sent", mail.wall_now(), None, None
            sent += 1
        else:
            _failed(row, outcome.error, now)
            failed += 1
    db.session.commit()
    return {"enabled": True, "sent": sent, "failed": failed}


def _claim(now: datetime) -> list[MailOutbox]:
    due = or_(
        and_(MailOutbox.state == "pending", MailOutbox.next_attempt_at <= now),
        and_(MailOutbox.state == "sending", MailOutbox.locked_until < now),
    )
    ids = list(db.session.scalars(select(MailOutbox.id).where(due).order_by(MailOutbox.id).limit(BATCH)))
    claimed: list[int] = []
    for message_id in ids:
        result = db.session.execute(
            update(MailOutbox)
            .where(MailOutbox.id == message_id, due)
            .values(state="sending", locked_until=now + CLAIM)
        )
        if getattr(result, "rowcount", 0) == 1:
            claimed.append(message_id)
    db.session.commit()
    return list(
        db.session.scalars(select(MailOutbox).where(MailOutbox.id.in_(claimed)).order_by(MailOutbox.id))
    )


def _failed(row: MailOutbox, error: str, now: datetime) -> None:
    row.attempts += 1
    row.last_error = error[:2000]
    row.locked_until = None
    if row.attempts >= MAX_ATTEMPTS:
        row.state = "failed"
        log.error("mail %s to %s given up after %s attempts: %s", row.id, row.to_address, row.attempts, error)
    else:
        row.state = "pending"
        row.next_attempt_at = now + backoff(row.attempts)
        log.warning("mail %s to %s failed (attempt %s): %s", row.id, row.to_address, row.attempts, error)

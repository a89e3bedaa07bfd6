"""The reminder sweep: send every due reminder, one per transaction, each at most once."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from app import clock
from app.extensions import db
from app.services import reminders
from app.services.rule_tables import active_profile

log = logging.getLogger(__name__)


def run(now: datetime | None = None) -> dict[str, Any]:
    now = now or clock.now()
    profile = active_profile()
    due = reminders.due_reminders(reminders.reminder_today(now))
    db.session.rollback()
    sent = skipped = failed = 0
    for reminder in due:
        try:
            row = reminders.send(reminder, now=now)
            db.session.commit()
            sent += row is not None
            skipped += row is None
        except IntegrityError:
            db.session.rollback()  # sent by a concurrent sweep: exactly once holds
            skipped += 1
        except Exception:  # noqa: BLE001 - one bad object must not stop the others
            db.session.rollback()
            log.exception("reminder %s failed", reminder.dedup)
            failed += 1
    return {"profile": profile, "due": len(due), "sent": sent, "skipped": skipped, "failed": failed}

"""E-mail: queue messages in the outbox, render the Vietnamese templates, talk to the SMTP server.

Queuing happens inside the caller's transaction and never touches the network, so a down mail
server cannot block a completion. `deliver` is called by the outbox job after the commit. The
standard library's smtplib is the client: it speaks SMTP, STARTTLS and AUTH, and a framework
extension would add nothing but a dependency.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from flask import current_app

from app import clock
from app.extensions import db
from app.models import MailOutbox, Notification, User


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str
    password: str
    starttls: bool
    timeout: int
    sender: str

    @classmethod
    def from_config(cls) -> SmtpSettings:
        config = current_app.config
        return cls(
            host=config["DONDOC_SMTP_HOST"],
            port=int(config["DONDOC_SMTP_PORT"]),
            user=config["DONDOC_SMTP_USER"],
            password=config["DONDOC_SMTP_PASSWORD"],
            starttls=bool(config["DONDOC_SMTP_STARTTLS"]),
            timeout=int(config["DONDOC_SMTP_TIMEOUT"]),
            sender=config["DONDOC_MAIL_FROM"],
        )


def mail_enabled() -> bool:
    """E-mail is on when an SMTP host is configured; without one the bell still works."""
    return bool(current_app.config.get("DONDOC_SMTP_HOST"))


def wall_now() -> datetime:
    """Delivery retries run on real time: a frozen business clock must not stall them."""
    return datetime.now(UTC)


def absolute(link: str | None) -> str | None:
    if not link:
        return None
    return str(current_app.config["DONDOC_BASE_URL"]).rstrip("/") + link


def render(template: str, **context: Any) -> str:
    """Render a plain-text mail template (no request, no HTML escaping: the mail is text/plain)."""
    return current_app.jinja_env.get_template(template).render(**context)


def queue(
    user: User | None,
    to_address: str,
    subject: str,
    body: str,
    *,
    kind: str = "notice",
    notification: Notification | None = None,
    dedup: str | None = None,
) -> MailOutbox:
    message = MailOutbox(
        user_id=user.id if user is not None else None,
        to_address=to_address,
        subject=subject[:300],
        body=body,
        kind=kind,
        dedup_key=dedup,
        state="pending",
        attempts=0,
        created_at=clock.now(),
        next_attempt_at=wall_now(),
    )
    if notification is not None:
        message.notification = notification
    db.session.add(message)
    return message


def queue_notice(user: User, notification: Notification) -> MailOutbox | None:
    """The e-mail copy of one notice, for users who want each notice at once."""
    if not mail_enabled() or not user.email:
        return None
    body = render("mail/notice.txt", user=user, notification=notification, url=absolute(notification.link))
    return queue(user, user.email, f"[DonDoc] {notification.title}", body, notification=notification)


@dataclass
class Delivery:
    message_id: int
    error: str | None = None


def _message(settings: SmtpSettings, row: MailOutbox) -> EmailMessage:
    email = EmailMessage()
    email["From"] = settings.sender
    email["To"] = row.to_address
    email["Subject"] = row.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain="dondoc.local")
    email.set_content(row.body, charset="utf-8")
    return email


def deliver(rows: Sequence[MailOutbox], settings: SmtpSettings | None = None) -> list[Delivery]:
    """Send each row over one SMTP connection; a connection failure fails every row of the batch."""
    settings = settings or SmtpSettings.from_config()
    try:
        server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    except (OSError, smtplib.SMTPException) as exc:
        return [Delivery(row.id, f"Không kết nối được máy chủ thư: {exc}") for row in rows]
    outcomes: list[Delivery] = []
    try:
        if settings.starttls:
            server.starttls(context=ssl.create_default_context())
        if settings.user:
            server.login(settings.user, settings.password)
        for row in rows:
            try:
                server.send_message(_message(settings, row))
                outcomes.append(Delivery(row.id))
            except (OSError, smtplib.SMTPException) as exc:
                outcomes.append(Delivery(row.id, f"Máy chủ thư từ chối: {exc}"))
    except (OSError, smtplib.SMTPException) as exc:
        done = {o.message_id for o in outcomes}
        outcomes += [Delivery(row.id, f"Lỗi phiên SMTP: {exc}") for row in rows if row.id not in done]
    finally:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            server.close()
    return outcomes

"""E-mail against a real SMTP server (aiosmtpd on 127.0.0.1): sent after the commit, in Vietnamese,
retried when the server is down without ever blocking the user's step, daily digests once a day."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.extensions import db
from app.jobs import digest, outbox
from app.models import MailOutbox, User
from app.services.mail import wall_now
from tests.staff import client_for
from tests.support import accept, free_port, notices_of, open_item, register_classified, run
from tests.test_persistence import csrf_from

TASKS = [
    {
        "content": "Rà soát hồ sơ thanh toán vốn đầu tư công",
        "lead_unit": "stc",
        "coordinating_units": ["huyen-a"],
        "due_on": "2026-03-31",
    },
]


@dataclass
class Inbox:
    """An aiosmtpd handler keeping every message it accepts."""

    messages: list[email.message.EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.recipients.append(list(envelope.rcpt_tos))
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port, self.inbox = port, Inbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=port)

    def __enter__(self) -> Inbox:
        self.controller.start()
        return self.inbox

    def __exit__(self, *_exc: Any) -> None:
        self.controller.stop()


@pytest.fixture
def smtp(app):
    """Mail configured to a port; the test decides when a real server listens on it."""
    port = free_port()
    app.config.update(
        DONDOC_SMTP_HOST="127.0.0.1", DONDOC_SMTP_PORT=port, DONDOC_MAIL_FROM="DonDoc <dondoc@ubnd.test>"
    )
    return SmtpServer(port)


def give_email(username: str, address: str) -> None:
    db.session.scalar(select(User).where(User.username == username)).email = address
    db.session.commit()


def urge(
    api, task_id: int, message: str = "Đề nghị Sở Tài chính khẩn trương hoàn thành, báo cáo kết quả."
) -> None:
    sent = api("vp.chuyenvien").post("/urgings", {"task_ids": [task_id], "message": message})
    assert sent.status_code == 201, sent.json


def test_a_notice_mail_goes_out_after_the_commit_in_vietnamese_once(app, api, freeze, smtp):
    freeze("2026-03-02T09:00:00+07:00")
    give_email("stc.daumoi", "dung.pt@stc.gov.vn")
    directive = register_classified(api, tasks=TASKS)
    task_id = directive["tasks"][0]["id"]
    with smtp as inbox:
        urge(api, task_id)
        assert inbox.messages == []  # the request only queued it
        queued = db.session.scalars(select(MailOutbox)).all()
        assert [(m.to_address, m.state) for m in queued] == [("dung.pt@stc.gov.vn", "pending")]

        assert run("mail").summary == {"enabled": True, "sent": 1, "failed": 0}
        assert run("mail").summary == {"enabled": True, "sent": 0, "failed": 0}

    assert inbox.recipients == [["dung.pt@stc.gov.vn"]]
    message = inbox.messages[0]
    assert message["From"] == "DonDoc <dondoc@ubnd.test>"
    assert (
        message["Subject"]
        == "[DonDoc] Văn phòng đôn đốc (thông báo): Rà soát hồ sơ thanh toán vốn đầu tư công"
    )
    body = message.get_content()
    assert body.startswith("Kính gửi Phạm Thị Dung (đầu mối Sở Tài chính),")
    assert "Đề nghị Sở Tài chính khẩn trương hoàn thành" in body and "Hạn xử lý: 31/03/2026" in body
    assert f"Xem chi tiết: http://127.0.0.1:5000/directives/{directive['id']}#task-{task_id}" in body
    assert db.session.scalars(select(MailOutbox.state)).all() == ["sent"]


def test_a_down_mail_server_never_blocks_a_completion_and_the_mail_is_retried(app, api, freeze, smtp):
    freeze("2026-03-02T09:00:00+07:00")
    give_email("huyen-a.daumoi", "hung.dv@huyena.gov.vn")
    give_email("stc.daumoi", "dung.pt@stc.gov.vn")
    directive = register_classified(api, tasks=TASKS)
    task_id = directive["tasks"][0]["id"]
    reported = api("huyen-a.daumoi").post(
        f"/tasks/{task_id}/feedback",
        {
            "kind": "late",
            "content": "Sở Tài chính chưa rà soát hồ sơ thanh toán của các dự án trên địa bàn huyện.",
        },
    )
    assert reported.status_code == 201, reported.json

    # Nobody listens on the SMTP port: the Office's step still completes at once.
    handle = open_item("Xử lý thông tin phản hồi", task_id=task_id)
    done = api("vp.chuyenvien").post(
        f"/work-items/{handle.id}/complete",
        {
            "data": {
                "check_result": "Đã kiểm tra: Sở Tài chính chưa rà soát hồ sơ như phản ánh.",
                "decision": "urging_document",
                "doc_reference": "215/VP-TH",
                "doc_date": "2026-03-02",
                "doc_signer": "Trần Thị Bình",
                "urging_message": "Đề nghị Sở Tài chính rà soát hồ sơ thanh toán trước ngày 10/03/2026.",
            }
        },
    )
    assert done.status_code == 200, done.json
    pending = db.session.scalars(select(MailOutbox).order_by(MailOutbox.id)).all()
    assert sorted(m.to_address for m in pending) == ["dung.pt@stc.gov.vn", "hung.dv@huyena.gov.vn"]

    failed_run = run("mail")  # the job itself survives the failure
    assert failed_run.summary == {"enabled": True, "sent": 0, "failed": 2}
    db.session.expire_all()
    for message in db.session.scalars(select(MailOutbox)):
        assert message.state == "pending" and message.attempts == 1
        assert message.last_error.startswith("Không kết nối được máy chủ thư")
        assert message.next_attempt_at > wall_now() + timedelta(seconds=50)
    assert outbox.run().get("sent") == 0  # not due again before the backoff

    admin = client_for(app, "admin")
    assert "Không kết nối được máy chủ thư" in admin.get("/admin/health").get_data(as_text=True)

    with smtp as inbox:
        assert outbox.run(now=wall_now() + timedelta(minutes=2)) == {"enabled": True, "sent": 2, "failed": 0}
    subjects = sorted(m["Subject"] for m in inbox.messages)
    assert subjects == [
        "[DonDoc] Kết quả xử lý phản hồi về nhiệm vụ của văn bản 12/QĐ-UBND",
        "[DonDoc] Văn phòng đôn đốc (văn bản 215/VP-TH): Rà soát hồ sơ thanh toán vốn đầu tư công",
    ]
    outcome = next(m for m in inbox.messages if m["To"] == "hung.dv@huyena.gov.vn").get_content()
    assert "Văn bản: 215/VP-TH ngày 02/03/2026, người ký Trần Thị Bình" in outcome


def test_a_mail_that_keeps_failing_is_given_up_after_the_last_attempt(app, api, freeze, smtp):
    freeze("2026-03-02T09:00:00+07:00")
    give_email("stc.daumoi", "dung.pt@stc.gov.vn")
    directive = register_classified(api, tasks=TASKS)
    urge(api, directive["tasks"][0]["id"])
    at = wall_now()
    for _ in range(outbox.MAX_ATTEMPTS):
        at += timedelta(hours=7)
        outbox.run(now=at)
    message = db.session.scalars(select(MailOutbox)).one()
    assert message.state == "failed" and message.attempts == outbox.MAX_ATTEMPTS
    with smtp as inbox:
        outbox.run(now=at + timedelta(days=1))
    assert inbox.messages == []


def test_the_daily_digest_collects_the_day_s_notices_in_one_mail_once_a_day(app, api, freeze, smtp):
    freeze("2026-03-02T09:00:00+07:00")
    give_email("stc.daumoi", "dung.pt@stc.gov.vn")
    finance = client_for(app, "stc.daumoi")
    page = finance.get("/notifications/").get_data(as_text=True)
    chosen = finance.post(
        "/notifications/settings", data={"email_mode": "digest", "csrf_token": csrf_from(page)}
    )
    assert chosen.status_code == 302
    directive = register_classified(api, tasks=TASKS)
    task_id = directive["tasks"][0]["id"]
    accept(api, "stc.daumoi", task_id)
    freeze("2026-03-02T10:00:00+07:00")
    urge(api, task_id, "Lần 1: đề nghị báo cáo tiến độ rà soát hồ sơ.")
    urge(api, task_id, "Lần 2: đề nghị báo cáo tiến độ trước 16 giờ.")
    assert db.session.scalars(select(MailOutbox)).all() == []  # no mail per notice in digest mode

    with smtp as inbox:
        freeze("2026-03-02T16:00:00+07:00")
        assert digest.run() == {"queued": 0}  # before DONDOC_DIGEST_TIME (16:30)
        freeze("2026-03-02T16:31:00+07:00")
        assert digest.run() == {"queued": 1}
        assert digest.run() == {"queued": 0}
        run("mail")
        freeze("2026-03-03T10:00:00+07:00")
        urge(api, task_id, "Lần 3: đề nghị hoàn thành rà soát trong tuần.")
        freeze("2026-03-03T17:00:00+07:00")
        assert digest.run() == {"queued": 1}
        run("mail")

    assert [m["Subject"] for m in inbox.messages] == [
        "[DonDoc] Tổng hợp 2 thông báo ngày 02/03/2026",
        "[DonDoc] Tổng hợp 1 thông báo ngày 03/03/2026",
    ]
    first, second = (m.get_content() for m in inbox.messages)
    assert first.count("Văn phòng đôn đốc (thông báo)") == 2 and "1. [02/03/2026 10:00]" in first
    assert second.count("Văn phòng đôn đốc (thông báo)") == 1
    assert len(notices_of("stc.daumoi")) == 3  # the bell has them all


def test_users_who_turn_mail_off_still_see_the_bell(app, api, freeze, smtp):
    freeze("2026-03-02T09:00:00+07:00")
    give_email("stc.daumoi", "dung.pt@stc.gov.vn")
    finance = client_for(app, "stc.daumoi")
    token = csrf_from(finance.get("/notifications/").get_data(as_text=True))
    finance.post("/notifications/settings", data={"email_mode": "off", "csrf_token": token})
    directive = register_classified(api, tasks=TASKS)
    urge(api, directive["tasks"][0]["id"])
    assert db.session.scalars(select(MailOutbox)).all() == []
    assert 'data-unread="1"' in finance.get("/inbox").get_data(as_text=True)
    refused = finance.post("/notifications/settings", data={"email_mode": "fax", "csrf_token": token})
    assert refused.status_code == 302
    assert "Cách nhận thư không hợp lệ." in finance.get("/notifications/").get_data(as_text=True)

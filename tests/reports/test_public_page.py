"""The public page needs no login and shows aggregates only: never a confidential document, never
a task's content unless the task is marked public."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ReportPeriod, WorkItem
from tests.reports.dataset import concluded_inspection
from tests.test_persistence import csrf_from, login

pytestmark = pytest.mark.slow

SECRETS = ("K9", "Chỉ thị mật", "22/CT-UBND", "Kiểm tra bí mật", "Thẩm định bí mật")
NOT_PUBLIC = ("Rà soát các khoản nợ đọng", "Báo cáo tiến độ giải ngân", "Hoàn thiện hồ sơ quy hoạch")


def request_ad_hoc(client, title: str) -> ReportPeriod:
    login(client, "ct.ubnd")
    page = client.get("/reports/periods/new")
    assert page.status_code == 200
    unit_ids = [str(i) for i in _agency_ids()]
    response = client.post(
        "/reports/periods/new",
        data={
            "title": title,
            "agency_due_on": "27/03/2026",
            "office_due_on": "30/03/2026",
            "unit_ids": unit_ids,
            "note": "Phục vụ họp UBND tháng 3",
            "csrf_token": csrf_from(page.get_data(as_text=True)),
        },  # fmt: skip
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/inbox").get_data(as_text=True))})
    return db.session.scalar(select(ReportPeriod).where(ReportPeriod.title == title))


def _agency_ids():
    from app.models import Unit

    return db.session.scalars(select(Unit.id).where(Unit.code.in_(["stc", "skhdt", "sxd", "huyen-a"])))


def approve(api, period: ReportPeriod, *, publish: bool) -> None:
    consolidate = db.session.scalar(
        select(WorkItem).where(WorkItem.instance_id == period.instance_id, WorkItem.state == "open")
    )
    assert consolidate is None  # agencies have not reported and the deadline has not passed
    from datetime import datetime

    from app.services.timers import run_due

    run_due(datetime.fromisoformat("2026-03-28T00:05:00+07:00"))
    consolidate = db.session.scalar(
        select(WorkItem).where(WorkItem.instance_id == period.instance_id, WorkItem.state == "open")
    )
    body = {"summary": "Tổng hợp báo cáo đột xuất.", "obstacles": "Không có.", "proposals": "Không có."}
    assert (
        api("vp.chuyenvien").post(f"/work-items/{consolidate.id}/complete", {"data": body}).status_code == 200
    )
    approval = db.session.scalar(
        select(WorkItem).where(WorkItem.instance_id == period.instance_id, WorkItem.state == "open")
    )
    data = {"decision": "approve", "publish": publish}
    assert api("ct.ubnd").post(f"/work-items/{approval.id}/complete", {"data": data}).status_code == 200


def test_published_report_shows_per_unit_figures_without_login_and_nothing_confidential(
    register, client, api
):
    period = request_ad_hoc(client, "Báo cáo đột xuất tình hình thực hiện nhiệm vụ quý I")
    assert (period.agency_due_on.isoformat(), period.cutoff_on.isoformat()) == ("2026-03-27", "2026-03-27")
    approve(api, period, publish=True)

    index = client.get("/public/")
    assert index.status_code == 200  # no login
    html = index.get_data(as_text=True)
    assert "Báo cáo đột xuất tình hình thực hiện nhiệm vụ quý I" in html
    assert "Lập dự toán thu chi ngân sách quý I" in html  # a1 is marked public
    page = client.get(f"/public/periods/{period.id}").get_data(as_text=True)
    # at 27/03: stc a1 on time, a2 late, b6 in progress, d10 in progress -> 4 tasks, rate 50,0%
    assert '<th scope="row">Sở Tài chính</th><td class="num">4</td><td class="num">1</td>' in page
    assert "50,0%" in page
    for text in (html, page):
        shown = without_csrf_tokens(text)
        for secret in SECRETS + NOT_PUBLIC:
            assert secret not in shown, secret


def without_csrf_tokens(html: str) -> str:
    """The page less its random CSRF tokens (the language switch carries one even without login):
    a token may happen to contain a short secret such as "K9"."""
    return re.sub(r'<input type="hidden" name="csrf_token" value="[^"]*">', "", html)


def test_an_unpublished_or_unapproved_report_is_not_public(register, client, api):
    period = request_ad_hoc(client, "Báo cáo đột xuất không công khai")
    assert client.get(f"/public/periods/{period.id}").status_code == 404  # not approved yet
    approve(api, period, publish=False)
    assert client.get(f"/public/periods/{period.id}").status_code == 404
    assert "Báo cáo đột xuất không công khai" not in client.get("/public/").get_data(as_text=True)


def test_the_public_page_shows_published_inspection_conclusions_only(register, client):
    concluded_inspection(
        "stc", "minor", title="Kiểm tra việc thực hiện nhiệm vụ năm 2026", finding="Chậm báo cáo kết quả"
    )
    concluded_inspection(
        "sxd", "none", title="Kiểm tra Sở Xây dựng (chưa công bố)", finding="Kết luận nội bộ", published=False
    )
    html = client.get("/public/").get_data(as_text=True)
    assert "Kiểm tra việc thực hiện nhiệm vụ năm 2026" in html
    assert "Chậm báo cáo kết quả" in html and "Nhẹ" in html and "20/03/2026" in html
    assert "12/QĐ-UBND" in html
    assert "chưa công bố" not in html and "Kết luận nội bộ" not in html

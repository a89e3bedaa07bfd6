"""Staff pages of reports: dashboard and drill-down, report work items pre-filled, scorecards."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AgencyReport, Unit, WorkItem
from app.services.reports import periods
from app.services.reports.periods import AdHocRequest
from app.workflow import runtime
from tests.reports.dataset import concluded_inspection
from tests.test_persistence import login

pytestmark = pytest.mark.slow
Q1 = {"from": "01/01/2026", "to": "20/03/2026"}


def chart_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="dashboard-data">(.*?)</script>', html, re.S)
    assert match, "the page carries its chart data"
    return json.loads(match.group(1))


def test_dashboard_charts_hold_the_four_categories_rates_trend_and_heat_map(register, client):
    login(client, "vp.chanh")
    response = client.get("/reports/dashboard", query_string=Q1)
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    assert "<script>" not in html and "onclick" not in html.lower()  # no inline script under the CSP
    data = chart_data(html)
    assert dict(zip(data["categories"]["keys"], data["categories"]["values"], strict=True)) == {
        "completed_on_time": 1,
        "completed_late": 2,
        "in_progress_on_time": 3,
        "overdue": 3,
    }
    assert data["units"]["labels"] == [
        "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Sở Xây dựng", "UBND huyện A", "UBND huyện B",
    ]  # fmt: skip
    assert data["units"]["rates"] == [0.5, 0.0, 0.0, 0.0, None]
    trend = data["trend"]
    assert trend["months"] == ["2026-01", "2026-02", "2026-03"]
    # tasks by month of assignment: January a1-a4, February b5-b6, March c7, c9, c12 (c8 cancelled)
    assert [sum(trend["series"][k][i] for k in trend["series"]) for i in range(3)] == [4, 2, 3]
    assert trend["series"]["overdue"] == [1, 1, 1]
    heat = data["heatmap"]
    # missed deadlines per unit and month due: a2 (stc, 02), a3 (skhdt, 02), b5 (sxd, 03), c7 (huyen-a, 03),
    # c12 (skhdt, 03)
    assert heat["cells"] == [[0, 1, 0], [0, 1, 1], [0, 0, 1], [0, 0, 1], [0, 0, 0]]
    assert "/static/vendor/chart.js/chart.umd.min.js" in html and "/static/dashboard.js" in html


def test_every_chart_drills_down_to_the_tasks_behind_it(register, client):
    login(client, "vp.chanh")
    overdue = client.get("/reports/tasks", query_string={**Q1, "category": "overdue"}).get_data(as_text=True)
    assert "Danh sách nhiệm vụ (3)" in overdue
    assert "Báo cáo tiến độ giải ngân vốn đầu tư công" in overdue and "21 ngày" in overdue
    assert "(Văn bản mật: không hiển thị nội dung)" in overdue and "K9" not in overdue
    skhdt = db.session.scalar(select(Unit.id).where(Unit.code == "skhdt"))
    cell = client.get(
        "/reports/tasks", query_string={**Q1, "row": skhdt, "due_month": "2026-03", "missed": 1}
    )
    assert "Danh sách nhiệm vụ (1)" in cell.get_data(as_text=True)
    month = client.get("/reports/tasks", query_string={**Q1, "issued_month": "2026-02"}).get_data(
        as_text=True
    )
    assert "Danh sách nhiệm vụ (2)" in month
    csv = client.get("/reports/tasks", query_string={**Q1, "category": "overdue", "format": "csv"})
    assert csv.mimetype == "text/csv" and len(csv.data.decode("utf-8").splitlines()) == 4


def test_dashboard_filters_by_unit_field_and_leader(register, client):
    login(client, "vp.chanh")
    by_field = chart_data(
        client.get("/reports/dashboard", query_string={**Q1, "field": "Xây dựng"}).get_data(as_text=True)
    )
    assert sum(by_field["categories"]["values"]) == 2
    sxd = db.session.scalar(select(Unit.id).where(Unit.code == "sxd"))
    by_unit = chart_data(
        client.get("/reports/dashboard", query_string={**Q1, "unit": sxd}).get_data(as_text=True)
    )
    assert by_unit["units"]["labels"] == ["Sở Xây dựng"] and sum(by_unit["categories"]["values"]) == 2
    page = client.get("/reports/dashboard", query_string=Q1).get_data(as_text=True)
    assert "Lê Văn Cường (Chủ tịch UBND)" in page and "Tài chính - ngân sách" in page  # the filter choices


def test_an_agency_sees_its_own_figures_only_and_no_period_or_appendix(register, client):
    login(client, "sxd.daumoi")
    data = chart_data(client.get("/reports/dashboard", query_string=Q1).get_data(as_text=True))
    assert data["units"]["labels"] == ["Sở Xây dựng"]
    stc = db.session.scalar(select(Unit.id).where(Unit.code == "stc"))
    assert client.get("/reports/dashboard", query_string={**Q1, "unit": stc}).status_code == 403
    assert client.get("/reports/appendix01.xlsx").status_code == 403
    assert client.get("/reports/scorecards").status_code == 403


def test_agency_report_form_is_prefilled_with_the_units_figures_from_the_register(register, client, user):
    period = periods.request_ad_hoc(
        user("ct.ubnd"),
        AdHocRequest(
            "Báo cáo phục vụ họp UBND", date(2026, 3, 31), date(2026, 4, 2), list(_ids("skhdt", "stc"))
        ),
    )
    db.session.commit()
    item = db.session.scalar(
        select(WorkItem)
        .join(AgencyReport, AgencyReport.instance_id == WorkItem.instance_id)
        .where(AgencyReport.period_id == period.id, AgencyReport.unit_id == _ids("skhdt")[0])
    )
    login(client, "skhdt.daumoi")
    html = client.get(f"/work-items/{item.id}").get_data(as_text=True)
    # at 26/03 (the clock) skhdt has a3 overdue, a4 in progress, c12 completed late
    assert (
        "Trong kỳ, Sở Kế hoạch và Đầu tư được giao 3 nhiệm vụ: hoàn thành đúng hạn 0, hoàn thành quá hạn 1, "
        "đang thực hiện trong hạn 1, quá hạn 1; tỷ lệ đúng hạn 0,0%."
    ) in html
    assert "Báo cáo tiến độ giải ngân vốn đầu tư công" in html and "quá hạn 27 ngày" in html
    assert "Sở Tài chính" not in html  # the agency's panel holds its own row only


def _ids(*codes: str) -> list[int]:
    return list(db.session.scalars(select(Unit.id).where(Unit.code.in_(codes)).order_by(Unit.id)))


def test_scorecards_show_the_formula_and_rank_units(register, client):
    login(client, "vp.chanh")
    html = client.get("/reports/scorecards", query_string={"year": 2026}).get_data(as_text=True)
    assert "0.6 × Tỷ lệ hoàn thành đúng hạn + 0.3 × Tỷ lệ cập nhật kết quả đúng hạn" in html
    # stc: on time 1 of 2 decided (50%); a1, a2 past their update deadline, neither entered late -> 100
    # score = (0.6 * 50 + 0.3 * 100) / 0.9 = 66.7
    first = re.search(r"<tr><td>1</td><th scope=\"row\">([^<]+)</th>.*?<strong>([^<]+)</strong>", html, re.S)
    assert first and first.groups() == ("Sở Tài chính", "66,7")
    csv = client.get("/reports/scorecards", query_string={"year": 2026, "format": "csv"})
    assert csv.data.decode("utf-8").splitlines()[1].startswith("1,Sở Tài chính,4,50,0,2,100,0,,66.7")


def test_an_inspection_conclusion_enters_the_units_scorecard_by_its_severity(register, client):
    concluded_inspection("stc", "minor", title="Kiểm tra Sở Tài chính", finding="Chậm báo cáo")
    concluded_inspection("sxd", "very_serious", title="Kiểm tra Sở Xây dựng", finding="Không báo cáo")
    login(client, "vp.chanh")
    csv = client.get("/reports/scorecards", query_string={"year": 2026, "format": "csv"})
    lines = csv.data.decode("utf-8").splitlines()
    # stc: (0.6 * 50 + 0.3 * 100 + 0.1 * 70) / 1.0 = 67.0, one inspection rated 70 (minor)
    assert lines[1].startswith("1,Sở Tài chính,4,50,0,2,100,1,70,67")
    # sxd: on time 0 of 1 decided, b5 entered late -> updates 0; very serious -> 0: score 0
    assert next(line for line in lines if ",Sở Xây dựng," in line).endswith(",1,0,0")
    html = client.get("/reports/scorecards", query_string={"year": 2026}).get_data(as_text=True)
    assert "vi phạm nhẹ 70" in html


def test_report_pages_never_deserialize_a_workflow(register, client, monkeypatch):
    def forbidden(*_args, **_kwargs):
        raise AssertionError("a report page deserialized a workflow")

    monkeypatch.setattr(runtime, "decode_state", forbidden)
    monkeypatch.setattr(runtime, "load", forbidden)
    login(client, "vp.chanh")
    for path in ("/reports/", "/reports/dashboard", "/reports/tasks", "/reports/scorecards", "/public/"):
        assert client.get(path, query_string=Q1).status_code == 200, path
    assert client.get("/reports/summary.xlsx", query_string=Q1).status_code == 200

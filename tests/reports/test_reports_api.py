"""GET /api/v1/reports/summary and the report downloads through the API."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.slow


def test_summary_gives_the_four_categories_and_rate_per_unit_code_at_the_to_date(register, api):
    response = api("vp.chuyenvien").get("/reports/summary", **{"from": "2026-01-01", "to": "2026-03-20"})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["from"], body["to"]) == ("2026-01-01", "2026-03-20")
    pick = ("completed_on_time", "completed_late", "in_progress_on_time", "overdue", "total", "on_time_rate")
    units = {code: tuple(v[k] for k in pick) for code, v in body["units"].items()}
    assert units == {
        "stc": (1, 1, 1, 0, 3, 0.5),
        "skhdt": (0, 0, 1, 2, 3, 0.0),
        "sxd": (0, 0, 1, 1, 2, 0.0),
        "huyen-a": (0, 1, 0, 0, 1, 0.0),
        "huyen-b": (0, 0, 0, 0, 0, None),
    }
    assert tuple(body["total"][k] for k in pick) == (1, 2, 3, 3, 9, 0.1667)
    assert body["units"]["stc"]["quality"] == {"good": 1, "fair": 1, "poor": 0}


def test_summary_at_a_later_date_moves_a_task_done_late_out_of_overdue(register, api):
    body = (
        api("vp.chuyenvien").get("/reports/summary", **{"from": "2026-01-01", "to": "2026-03-26"}).get_json()
    )
    assert (body["units"]["skhdt"]["overdue"], body["units"]["skhdt"]["completed_late"]) == (1, 1)


def test_an_agency_gets_only_its_own_unit(register, api):
    body = api("stc.daumoi").get("/reports/summary", **{"from": "2026-01-01", "to": "2026-03-20"}).get_json()
    # the department's report: its sections as rows, its own tasks in its own row
    assert set(body["units"]) == {"stc-qlns", "stc"}
    assert (body["units"]["stc"]["total"], body["total"]["total"]) == (3, 3)
    assert api("stc.daumoi").get("/reports/appendix01.xlsx").status_code == 403


def test_bad_dates_are_refused_with_a_vietnamese_message(register, api):
    office = api("vp.chuyenvien")
    missing = office.get("/reports/summary", **{"from": "2026-01-01"})
    assert missing.status_code == 400 and "'to'" in missing.get_json()["error"]["message"]
    wrong = office.get("/reports/summary", **{"from": "01/01/2026", "to": "2026-03-20"})
    assert wrong.status_code == 400 and "YYYY-MM-DD" in wrong.get_json()["error"]["message"]
    assert office.client.get("/api/v1/reports/summary").status_code == 401  # no token


def test_exports_download_through_the_api(register, api):
    office = api("vp.chuyenvien")
    xlsx = office.get("/reports/summary.xlsx", **{"from": "2026-01-01", "to": "2026-03-20"})
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")
    assert load_workbook(BytesIO(xlsx.data))["Tổng hợp"].cell(row=11, column=3).value == 9
    csv = office.get("/reports/summary.csv", **{"from": "2026-01-01", "to": "2026-03-20"})
    assert csv.data.decode("utf-8").splitlines()[-1].startswith(",Tổng cộng,9,1,2,3,3,0.1667")
    appendix = office.get("/reports/appendix01.xlsx", as_of="2026-03-20")
    assert appendix.headers["Content-Disposition"].endswith("phu-luc-01-tuan-12-2026.xlsx")
    overdue = {"from": "2026-01-01", "to": "2026-03-20", "category": "overdue"}
    chief = api("vp.chanh").get("/reports/tasks.csv", **overdue).data.decode("utf-8")
    assert len(chief.splitlines()) == 4 and "(Văn bản mật)" in chief  # b5 listed, its content masked
    # b5's directive is in Quỳnh Nhai's separate register (R14): an officer without clearance
    # does not even see that it exists
    officer = office.get("/reports/tasks.csv", **overdue).data.decode("utf-8")
    assert len(officer.splitlines()) == 3 and "22/CT-UBND" not in officer

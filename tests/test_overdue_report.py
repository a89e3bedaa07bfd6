"""The weekly overdue table (R11, Appendix 01 of 004): generated on Friday per unit, once; on the
last working day before a Friday off; the units fill columns 9-14 in the app."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import OverdueReport
from tests.staff import client_for
from tests.support import all_notices, register_classified, run
from tests.test_persistence import csrf_from

TASKS = [
    {"content": "Báo cáo thu ngân sách tháng 2", "lead_unit": "stc", "due_on": "2026-03-02"},
    {"content": "Thẩm định dự toán mua sắm tập trung", "lead_unit": "stc", "due_on": "2026-03-05"},
    {"content": "Kiểm tra chất lượng công trình trường học", "lead_unit": "sxd", "due_on": "2026-03-06"},
    {"content": "Tổng hợp nhu cầu vốn năm 2027", "lead_unit": "skhdt", "due_on": "2026-03-16"},
]


def reports() -> list[tuple[str, str, int]]:
    return [
        (r.unit.code, r.week_start.isoformat(), r.row_count)
        for r in db.session.scalars(
            select(OverdueReport).order_by(OverdueReport.week_start, OverdueReport.unit_id)
        )
    ]


def test_the_table_is_generated_on_friday_once_per_unit_with_overdue_tasks(api, freeze):
    freeze("2026-02-16T09:00:00+07:00")
    register_classified(api, issued_on="2026-02-16", tasks=TASKS)
    for moment in ("2026-03-12T09:00", "2026-03-13T07:30"):  # Thursday; Friday before 08:00
        freeze(moment + ":00+07:00")
        assert run("weekly_overdue").summary["generated"] == 0
    freeze("2026-03-13T09:00:00+07:00")
    assert run("weekly_overdue").summary == {
        "week_start": "2026-03-09",
        "report_on": "2026-03-13",
        "generated": 2,
    }
    assert run("weekly_overdue").summary["generated"] == 0
    freeze("2026-03-14T10:00:00+07:00")
    assert run("weekly_overdue").summary["generated"] == 0
    assert reports() == [("stc", "2026-03-09", 2), ("sxd", "2026-03-09", 1)]

    stc = db.session.scalars(select(OverdueReport).where(OverdueReport.row_count == 2)).one()
    assert [(r.seq, r.reference, r.due_on.isoformat(), r.days_overdue, r.unit_name) for r in stc.rows] == [
        (1, "12/QĐ-UBND", "2026-03-02", 9, "Sở Tài chính"),  # 9 working days overdue on Friday 13/03
        (2, "12/QĐ-UBND", "2026-03-05", 6, "Sở Tài chính"),
    ]
    notices = {(kind, user) for kind, user, _ in all_notices() if kind == "weekly_overdue_table"}
    assert notices == {
        ("weekly_overdue_table", u)
        for u in ("stc.daumoi", "stc.giamdoc", "sxd.daumoi", "vp.chuyenvien", "vp.chanh")
    }
    office_title = next(t for k, u, t in all_notices() if u == "vp.chanh" and k == "weekly_overdue_table")
    assert office_title == "Tổng hợp nhiệm vụ quá hạn tuần 09/03-13/03/2026: 3 nhiệm vụ, 2 đơn vị"

    freeze("2026-03-20T09:00:00+07:00")  # next Friday: the Planning department's task joined
    assert run("weekly_overdue").summary["generated"] == 3
    assert reports()[2:] == [("stc", "2026-03-16", 2), ("skhdt", "2026-03-16", 1), ("sxd", "2026-03-16", 1)]


def test_a_friday_off_moves_the_table_to_the_last_working_day_before_it(api, freeze):
    freeze("2026-04-06T09:00:00+07:00")
    register_classified(
        api,
        issued_on="2026-04-06",
        tasks=[{"content": "Quyết toán kinh phí quý I", "lead_unit": "stc", "due_on": "2026-04-20"}],
    )
    # Thu 30/04 and Fri 01/05/2026 are holidays: Wednesday 29/04 is the week's last working day.
    freeze("2026-04-28T09:00:00+07:00")
    assert run("weekly_overdue").summary["generated"] == 0
    freeze("2026-04-29T09:00:00+07:00")
    assert run("weekly_overdue").summary == {
        "week_start": "2026-04-27",
        "report_on": "2026-04-29",
        "generated": 1,
    }
    freeze("2026-05-01T09:00:00+07:00")
    assert run("weekly_overdue").summary["generated"] == 0


def test_the_unit_fills_its_columns_and_nobody_else_can(app, api, freeze):
    freeze("2026-02-16T09:00:00+07:00")
    register_classified(api, issued_on="2026-02-16", tasks=TASKS)
    freeze("2026-03-13T09:00:00+07:00")
    run("weekly_overdue")
    report = db.session.scalars(select(OverdueReport).where(OverdueReport.row_count == 2)).one()
    first = report.rows[0]

    finance = client_for(app, "stc.daumoi")
    page = finance.get(f"/overdue-reports/{report.id}").get_data(as_text=True)
    assert "Cập nhật tình hình thực hiện (cột 9-14)" in page
    token = csrf_from(page)
    incomplete = finance.post(
        f"/overdue-reports/{report.id}/rows/{first.id}",
        data={"situation": "in_progress", "csrf_token": token},
    )
    html = incomplete.get_data(as_text=True)
    assert incomplete.status_code == 422
    assert "Vui lòng nêu nguyên nhân chậm." in html and "Vui lòng nhập thời gian dự kiến hoàn thành." in html
    saved = finance.post(
        f"/overdue-reports/{report.id}/rows/{first.id}",
        data={
            "situation": "in_progress",
            "cause": "Chờ số liệu thu của Cục Thuế",
            "expected_on": "20/03/2026",
            "csrf_token": token,
        },
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert (first.situation, first.cause, first.expected_on.isoformat(), first.filled_by.username) == (
        "in_progress",
        "Chờ số liệu thu của Cục Thuế",
        "2026-03-20",
        "stc.daumoi",
    )
    table = finance.get(f"/overdue-reports/{report.id}").get_data(as_text=True)
    row_html = table.split(f'id="row-{first.id}"')[1].split("</tr>")[0]
    cells = [c.split(">", 1)[1].split("</td>")[0] for c in row_html.split("<td")[1:]]
    assert cells[8:12] == ["", "", "Chờ số liệu thu của Cục Thuế", "20/03/2026"]  # columns 9-12
    history = api("stc.daumoi").get(f"/tasks/{first.task_id}").json["history"]
    assert [e["details"]["situation"] for e in history if e["action"] == "overdue_row_filled"] == [
        "in_progress"
    ]

    assert client_for(app, "sxd.daumoi").get(f"/overdue-reports/{report.id}").status_code == 404
    office = client_for(app, "vp.chuyenvien")
    office_page = office.get(f"/overdue-reports/{report.id}").get_data(as_text=True)
    assert "Cập nhật tình hình thực hiện" not in office_page
    refused = office.post(
        f"/overdue-reports/{report.id}/rows/{first.id}",
        data={"situation": "done", "confirmation": "x", "csrf_token": csrf_from(office_page)},
    )
    assert refused.status_code == 403
    summary = client_for(app, "ct.ubnd").get("/overdue-reports/").get_data(as_text=True)
    assert "Sở Tài chính" in summary and "Sở Xây dựng" in summary and "<strong>3</strong>" in summary
    listed = api("stc.daumoi").get("/overdue-reports", week="2026-03-09").json
    assert [r["unit"] for r in listed] == ["stc"] and listed[0]["rows"][0][
        "cause"
    ] == "Chờ số liệu thu của Cục Thuế"

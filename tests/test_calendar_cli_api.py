"""The stable calendar commands and API endpoints: exact output, exit codes, JSON shapes, 422 errors."""

from __future__ import annotations

import pytest

from app.extensions import db


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        ("2024-02-07", "2", "2024-02-16"),  # Tết Giáp Thìn 08-14/02/2024
        ("2026-04-29", "2", "2026-05-05"),  # 30/4, 1/5 and the weekend
        ("2025-04-25", "1", "2025-04-26"),  # make-up Saturday 26/04/2025 counts
        ("2025-12-31", "1", "2026-01-05"),  # 01/01/2026 and its swap 02/01/2026
    ],
)
def test_add_days_prints_the_date_and_nothing_else(app, start, days, expected):
    result = app.test_cli_runner().invoke(args=["calendar", "add-days", start, days])
    assert result.exit_code == 0 and result.stdout == f"{expected}\n"


def test_between_prints_the_integer(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["calendar", "between", "2024-02-07", "2024-02-16"]).stdout == "2\n"
    assert runner.invoke(args=["calendar", "between", "2024-02-16", "2024-02-07"]).stdout == "-2\n"
    assert runner.invoke(args=["calendar", "between", "2025-12-31", "2025-12-31"]).stdout == "0\n"


def test_bad_arguments_fail_with_a_message_and_no_output(app):
    runner = app.test_cli_runner()
    for args in (
        ["add-days", "2026-02-30", "2"],
        ["add-days", "2026-02-03", "0"],
        ["between", "03/02/2026", "2026-02-05"],
    ):
        result = runner.invoke(args=["calendar", *args])
        assert result.exit_code == 2 and result.stdout == "" and "Error" in result.stderr


def test_import_then_export_and_add_days_see_the_change(app, tmp_path):
    runner = app.test_cli_runner()
    good = tmp_path / "2027.csv"
    good.write_text(
        "date,kind,name,reference\n2027-03-12,off,Nghỉ hoán đổi (làm bù thứ Bảy 20/03/2027),TB 1/2027\n"
        "2027-03-20,work,Làm bù cho thứ Sáu 12/03/2027,TB 1/2027\n",
        encoding="utf-8",
    )
    assert runner.invoke(args=["calendar", "add-days", "2027-03-11", "1"]).stdout == "2027-03-12\n"
    imported = runner.invoke(args=["calendar", "import", str(good), "--user", "admin"])
    assert imported.exit_code == 0 and imported.stdout == "Đã nhập 2027.csv: thêm 2, sửa 0, không đổi 0\n"
    db.session.rollback()
    assert runner.invoke(args=["calendar", "add-days", "2027-03-11", "1"]).stdout == "2027-03-15\n"
    assert runner.invoke(args=["calendar", "add-days", "2027-03-19", "1"]).stdout == "2027-03-20\n"
    exported = runner.invoke(args=["calendar", "export", "2027"])
    assert exported.exit_code == 0 and exported.stdout == good.read_text(encoding="utf-8")
    shipped_2026 = runner.invoke(args=["calendar", "export", "2026"]).stdout.splitlines()
    assert shipped_2026[0] == "date,kind,name,reference" and len(shipped_2026) == 1 + 15
    assert shipped_2026[2].startswith("2026-01-02,off,Nghỉ hoán đổi") and "12729/VPCP-KGVX" in shipped_2026[2]


def test_import_with_errors_changes_nothing_and_lists_the_lines(app, tmp_path):
    runner = app.test_cli_runner()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "date,kind,name,reference\n2027-03-12,off,Nghỉ,\n2027-13-01,work,Làm,TB\n", encoding="utf-8"
    )
    result = runner.invoke(args=["calendar", "import", str(bad)])
    assert result.exit_code == 1 and result.stdout == ""
    assert (
        "Dòng 2: thiếu căn cứ" in result.stderr and "Dòng 3: ngày «2027-13-01» không hợp lệ" in result.stderr
    )
    assert runner.invoke(args=["calendar", "export", "2027"]).stdout == "date,kind,name,reference\n"


def test_api_adds_working_days(api):
    client = api("stc.daumoi")
    response = client.get("/calendar/add-working-days", **{"from": "2024-02-07", "days": "2"})
    assert response.status_code == 200 and response.json == {"date": "2024-02-16"}
    assert client.get("/calendar/add-working-days", **{"from": "2026-04-26", "days": "1"}).json == {
        "date": "2026-04-28"  # Giỗ Tổ 2026 falls on Sunday 26/04: Monday 27/04 is off instead
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-02-30", "days": "2"}, "from"),
        ({"from": "07/02/2024", "days": "2"}, "from"),
        ({"days": "2"}, "from"),
        ({"from": "2024-02-07", "days": "0"}, "days"),
        ({"from": "2024-02-07", "days": "hai"}, "days"),
        ({"from": "2024-02-07"}, "days"),
        ({"from": "2100-12-30", "days": "30"}, "from"),
    ],
)
def test_api_refuses_bad_input_with_422(api, params, field):
    response = api("stc.daumoi").get("/calendar/add-working-days", **params)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "validation_failed" and field in response.json["error"]["fields"]


def test_api_lists_days_off_with_names_and_sources(api, client):
    assert client.get("/api/v1/calendar/days-off?year=2026").status_code == 401
    listed = api("huyen-a.daumoi").get("/calendar/days-off", year="2026")
    assert listed.status_code == 200
    by_date = {d["date"]: d for d in listed.json}
    assert by_date["2026-01-02"] == {
        "date": "2026-01-02",
        "name": "Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)",
        "source": "override",
        "reference": "Công văn 12729/VPCP-KGVX ngày 25/12/2025 (nghỉ Tết Dương lịch 2026)",
    }
    assert by_date["2026-04-26"]["source"] == "holidays" and "Giỗ Tổ" in by_date["2026-04-26"]["name"]
    assert by_date["2026-04-27"]["source"] == "override" and "Nghỉ bù Giỗ Tổ" in by_date["2026-04-27"]["name"]
    assert "2026-01-10" not in by_date  # a make-up Saturday is a working day
    assert "2026-01-03" not in by_date  # ordinary weekends are not listed
    assert api("huyen-a.daumoi").get("/calendar/days-off", year="20x6").status_code == 422

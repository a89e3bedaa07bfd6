"""The calendar in force: shipped swaps under the administrator's rows, seeded once, cached per process
and switched in every process when the overrides change."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.calendar import Override, default_calendar, shipped_overrides
from app.extensions import db
from app.models import AppSetting, AuditEvent, CalendarOverride, CalendarRevision
from app.services import calendar_admin
from app.services.calendar_service import SCRIPT_FUNCTIONS, STAMP_KEY, current_calendar
from app.services.seed import seed_demo
from app.workflow.scripting import registered_functions

ROOT = Path(__file__).resolve().parent.parent


def audit_count(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def test_before_any_change_the_shipped_swaps_are_in_force(app):
    assert current_calendar().revision == default_calendar().revision
    # Tết Dương lịch 2026: Friday 02/01 off, Saturday 10/01 worked (CV 12729/VPCP-KGVX).
    assert not current_calendar().is_working_day(date(2026, 1, 2))
    assert current_calendar().is_working_day(date(2026, 1, 10))


def test_first_set_up_stores_the_shipped_swaps_once_with_one_audit_entry(app):
    runner = app.test_cli_runner()
    shipped = len(shipped_overrides())
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0
    assert f"Lịch ngày làm việc: nạp {shipped} ngày điều chỉnh kèm theo" in first.output
    stored = db.session.scalar(select(func.count()).select_from(CalendarOverride))
    assert stored == shipped and audit_count("calendar_seeded") == 1
    second = runner.invoke(args=["init"])
    assert second.exit_code == 0 and "Lịch ngày làm việc: không đổi" in second.output
    assert db.session.scalar(select(func.count()).select_from(CalendarOverride)) == shipped
    assert audit_count("calendar_seeded") == 1
    assert seed_demo() is True and audit_count("calendar_seeded") == 1  # the demo seed adds nothing more


def test_a_removed_shipped_swap_stays_removed_after_the_next_set_up(app, user):
    admin = user("admin")
    calendar_admin.seed_shipped()
    calendar_admin.remove_override(admin, date(2026, 1, 2), "Công văn đính chính 1/VPCP-KGVX")
    db.session.commit()
    assert current_calendar().is_working_day(date(2026, 1, 2))
    assert calendar_admin.seed_shipped() == 0
    db.session.commit()
    assert current_calendar().is_working_day(date(2026, 1, 2))
    row = db.session.scalar(select(CalendarOverride).where(CalendarOverride.day == date(2026, 1, 2)))
    assert (
        row is not None and not row.is_active and row.removal_reference == "Công văn đính chính 1/VPCP-KGVX"
    )


def test_removing_a_shipped_line_that_was_never_stored_keeps_the_removal(app, user):
    # Without the seed, the shipped 10/01/2026 make-up Saturday is in force from the file alone.
    calendar_admin.remove_override(user("admin"), date(2026, 1, 10), "Thông báo 5/TB")
    db.session.commit()
    assert not current_calendar().is_working_day(date(2026, 1, 10))
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "calendar_override_removed")
    ).one()
    assert event.details["kind"] == "work" and event.details["removal_reference"] == "Thông báo 5/TB"


def test_each_change_writes_a_stamp_and_a_snapshot_of_the_new_revision(app, user):
    calendar_admin.set_override(user("admin"), Override(date(2027, 2, 8), "off", "Tết Đinh Mùi", "TB 2027"))
    db.session.commit()
    revision = current_calendar().revision
    assert revision != default_calendar().revision
    assert db.session.get(AppSetting, STAMP_KEY).value == revision
    snapshot = db.session.get(CalendarRevision, revision)
    assert ["2027-02-08", "off", "Tết Đinh Mùi", "TB 2027"] in snapshot.overrides


def test_a_change_made_by_another_process_is_seen_without_a_restart(app, database_url, tmp_path):
    assert current_calendar().is_working_day(date(2027, 3, 12))  # this process has built and cached it
    csv_file = tmp_path / "swap-2027.csv"
    csv_file.write_text(
        "date,kind,name,reference\n2027-03-12,off,Nghỉ hoán đổi,Thông báo 1/TB ngày 01/03/2027\n"
    )
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test"}
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "calendar", "import", str(csv_file)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Đã nhập swap-2027.csv: thêm 1, sửa 0, không đổi 0"
    db.session.rollback()  # end this process's read snapshot, as the next request would
    assert not current_calendar().is_working_day(date(2027, 3, 12))


def test_stored_rows_beat_the_shipped_lines_and_the_holidays_package(app, user):
    admin = user("admin")
    # A shipped day off made a working day, and a statutory holiday (Labour Code) cancelled.
    calendar_admin.set_override(admin, Override(date(2026, 1, 2), "work", "Đi làm", "TB 9"))
    calendar_admin.set_override(
        admin, Override(date(2026, 11, 24), "work", "Ngày làm việc bình thường", "TB 10")
    )
    db.session.commit()
    calendar = current_calendar()
    assert calendar.is_working_day(date(2026, 1, 2)) and calendar.is_working_day(date(2026, 11, 24))
    assert calendar.add_working_days(date(2026, 1, 1), 1) == date(2026, 1, 2)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    day=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    kind=st.sampled_from(["off", "work"]),
)
def test_an_override_saved_by_the_administrator_always_decides_its_date(app, user, day, kind):
    calendar_admin.set_override(user("admin"), Override(day, kind, "Điều chỉnh thử", "TB thử"))
    db.session.commit()
    assert current_calendar().is_working_day(day) is (kind == "work")


def test_calendar_helpers_for_models_count_with_the_calendar_in_force(app):
    functions = registered_functions()
    assert set(SCRIPT_FUNCTIONS) <= set(functions)
    # Tết Giáp Thìn 2024: 08/02-14/02 off.
    assert functions["add_working_days"]("2024-02-07", 2) == "2024-02-16"
    assert functions["working_days_between"]("2024-02-07", "2024-02-16") == 2
    assert functions["working_days_between"]("2024-02-16", "2024-02-07") == -2
    assert functions["is_working_day"]("2024-02-12") is False
    assert functions["next_working_day"]("2024-02-07") == "2024-02-15"
    assert functions["roll_forward"]("2024-02-10") == "2024-02-15"
    assert functions["working_days_after"]("2024-02-07", 1) == "2024-02-15T08:00:00+07:00"


@pytest.mark.parametrize(
    ("day", "kind", "name", "reference", "field"),
    [
        ("", "off", "Nghỉ", "TB 1", "date"),
        ("31/02/2026", "off", "Nghỉ", "TB 1", "date"),
        ("02/01/2026", "holiday", "Nghỉ", "TB 1", "kind"),
        ("02/01/2026", "off", " ", "TB 1", "name"),
        ("02/01/2026", "off", "Nghỉ", "  ", "reference"),
    ],
)
def test_override_form_refuses_incomplete_input_in_vietnamese(day, kind, name, reference, field):
    with pytest.raises(calendar_admin.OverrideInvalid) as caught:
        calendar_admin.parse_override(day, kind, name, reference)
    assert set(caught.value.errors) == {field}
    assert caught.value.errors[field].startswith(("Vui lòng", "Ngày «"))

"""Deadline reminders and escalation: on the right working days, to the right people, exactly once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AppSetting, AuditEvent, Notification, Reminder, User
from app.services import rules_admin
from app.services.calendar_service import current_calendar
from app.services.reminders import reminder_day
from app.workflow.dmn import CellEdit
from tests.support import accept, all_notices, register_classified, run

TASK = "Xây dựng kế hoạch chuyển đổi số của ngành tài chính"
AGENCY = {"stc.daumoi", "stc.giamdoc"}
OFFICE = {"vp.chuyenvien", "vp.chanh"}


def one_task(due_on: str, issued_on: str = "2026-03-02") -> list[dict]:
    return [{"content": TASK, "lead_unit": "stc", "coordinating_units": ["skhdt"], "due_on": due_on}]


def walk(freeze, first: date, last: date, hour: str = "09:00") -> dict[str, set[tuple[str, str]]]:
    """Run the reminder job twice a day at `hour` from `first` to `last`; what each day brought."""
    seen = len(all_notices())
    by_day: dict[str, set[tuple[str, str]]] = {}
    day = first
    while day <= last:
        freeze(f"{day.isoformat()}T{hour}:00+07:00")
        run("reminders")
        run("reminders")  # a second sweep the same day sends nothing more
        notices = all_notices()
        new = notices[seen:]
        seen = len(notices)
        if new:
            pairs = [(kind, user) for kind, user, _ in new]
            assert len(pairs) == len(set(pairs)), f"duplicate notices on {day}: {pairs}"
            by_day[day.isoformat()] = set(pairs)
        day += timedelta(days=1)
    return by_day


def escalations(by_day: dict[str, set[tuple[str, str]]]) -> dict[str, set[str]]:
    """Who was told of an escalation, per day (days without one left out)."""
    return {
        day: {user for kind, user in pairs if kind == "escalation"}
        for day, pairs in by_day.items()
        if any(kind == "escalation" for kind, _ in pairs)
    }


def test_reminders_come_before_on_and_after_the_deadline_on_working_days_and_escalate_once(api, freeze):
    # Task due Monday 16/03/2026, accepted on the day it arrived.
    freeze("2026-03-02T09:00:00+07:00")
    directive = register_classified(api, tasks=one_task("2026-03-16"))
    task_id = directive["tasks"][0]["id"]
    accept(api, "stc.daumoi", task_id)

    by_day = walk(freeze, date(2026, 3, 3), date(2026, 3, 25))

    assert by_day == {
        # 3 working days before: Wed 11/03 (the last day to ask for an extension, 001:6.2.c).
        "2026-03-11": {("due_soon", u) for u in AGENCY},
        "2026-03-16": {("due_today", u) for u in AGENCY | OFFICE},
        "2026-03-17": {("overdue", u) for u in AGENCY | OFFICE},
        # 3 working days after the deadline: the Office chief (001:7.2.a); 5: the leadership.
        "2026-03-19": {("escalation", "vp.chanh")},
        # Sat 21 and Sun 22/03 are skipped: the 5th working day after 16/03 is Mon 23/03.
        "2026-03-23": {("escalation", "ct.ubnd")},
    }
    history = api("vp.chuyenvien").get(f"/tasks/{task_id}").json["history"]
    sent = [(e["details"]["kind"], e["details"]["due_on"]) for e in history if e["action"] == "reminder_sent"]
    assert sent == [
        ("due_soon", "2026-03-16"),
        ("due_today", "2026-03-16"),
        ("overdue", "2026-03-16"),
        ("escalation", "2026-03-16"),
        ("escalation", "2026-03-16"),
    ]


def test_overdue_status_starts_the_day_after_the_deadline(api, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    directive = register_classified(api, tasks=one_task("2026-03-13"))  # Friday
    task_id = directive["tasks"][0]["id"]
    finance = api("stc.daumoi")
    freeze("2026-03-13T23:59:00+07:00")
    assert finance.get(f"/tasks/{task_id}").json["report_category"] == "in_progress_on_time"
    freeze("2026-03-14T00:01:00+07:00")
    assert finance.get(f"/tasks/{task_id}").json["report_category"] == "overdue"
    # The overdue notice waits for a working day: Monday 16/03, not the weekend.
    by_day = walk(freeze, date(2026, 3, 14), date(2026, 3, 16))
    assert list(by_day) == ["2026-03-16"]
    assert ("overdue", "stc.daumoi") in by_day["2026-03-16"]


def test_a_deadline_on_a_holiday_is_reminded_on_the_working_days_around_it(api, freeze):
    # Thu 30/04/2026 is a holiday; 25-27/04 are a weekend and the Hùng Kings compensating day,
    # 01-03/05 Labour Day and a weekend.
    freeze("2026-04-20T09:00:00+07:00")
    directive = register_classified(api, issued_on="2026-04-20", tasks=one_task("2026-04-30"))
    accept(api, "stc.daumoi", directive["tasks"][0]["id"])

    by_day = walk(freeze, date(2026, 4, 21), date(2026, 5, 11))

    assert {day: {kind for kind, _ in pairs} for day, pairs in by_day.items()} == {
        "2026-04-24": {"due_soon"},  # 3 working days before: 29, 28, then Fri 24/04
        "2026-04-29": {"due_today"},  # the deadline is a day off: the last working day before it
        "2026-05-04": {"overdue"},  # first working day after the deadline
        "2026-05-06": {"escalation"},
        "2026-05-08": {"escalation"},
    }


def test_nothing_goes_out_before_the_morning_hour_and_a_missed_day_is_caught_up(api, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    directive = register_classified(api, tasks=one_task("2026-03-16"))
    accept(api, "stc.daumoi", directive["tasks"][0]["id"])
    freeze("2026-03-11T07:30:00+07:00")
    assert run("reminders").summary["sent"] == 0
    # The server was down on Wed 11/03 after 08:00: Thursday's first sweep sends the reminder.
    freeze("2026-03-12T08:05:00+07:00")
    assert run("reminders").summary["sent"] == 1
    assert {(k, u) for k, u, _ in all_notices()} == {("due_soon", u) for u in AGENCY}


def test_a_completed_task_gets_no_more_reminders(api, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    directive = register_classified(api, tasks=one_task("2026-03-16"))
    task_id = directive["tasks"][0]["id"]
    accept(api, "stc.daumoi", task_id)
    from tests.support import open_item

    report = open_item("Báo cáo kết quả thực hiện", task_id=task_id)
    freeze("2026-03-10T10:00:00+07:00")
    result = {
        "result_summary": "Đã ban hành kế hoạch chuyển đổi số.",
        "completed_on": "2026-03-10",
        "result_document": "35/KH-STC",  # R9: the result document is part of the completion report
    }
    assert api("stc.daumoi").post(f"/work-items/{report.id}/complete", {"data": result}).status_code == 200
    confirm = open_item("Xác nhận hoàn thành", task_id=task_id)
    api("vp.chuyenvien").post(f"/work-items/{confirm.id}/complete", {"data": {"decision": "confirm"}})
    assert walk(freeze, date(2026, 3, 11), date(2026, 3, 24)) == {}


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        # Bến Tre: results are due 1 working day after the deadline (003:1.5(8.1.a)).
        ("ben-tre-2023", {"2026-03-17": {"vp.chanh"}, "2026-03-23": {"ct.ubnd"}}),
        # Lào Cai's department: the leadership hears of an overdue task at once (004:16.3).
        ("lao-cai-stc-2017", {"2026-03-17": {"ct.ubnd"}}),
        # Hưng Yên's text gives no numbers: the national defaults apply.
        ("hung-yen-2019", {"2026-03-19": {"vp.chanh"}, "2026-03-23": {"ct.ubnd"}}),
    ],
)
def test_escalation_days_come_from_the_active_profile_s_decision_table(api, freeze, profile, expected):
    db.session.add(AppSetting(key="rules.profile", value=profile))
    db.session.commit()
    freeze("2026-03-02T09:00:00+07:00")
    directive = register_classified(api, tasks=one_task("2026-03-16"))
    accept(api, "stc.daumoi", directive["tasks"][0]["id"])
    by_day = walk(freeze, date(2026, 3, 3), date(2026, 3, 25))
    assert escalations(by_day) == expected
    assert set(db.session.scalars(select(Reminder.profile))) == {profile}


def test_a_directive_keeps_the_reminder_rules_of_the_profile_it_was_registered_under(api, freeze):
    """Switching the active profile changes new directives only: Lào Cai's one-day escalation keeps
    applying to a directive registered under it after the province moves to Hưng Yên's rules."""
    db.session.add(AppSetting(key="rules.profile", value="lao-cai-stc-2017"))
    db.session.commit()
    freeze("2026-03-02T09:00:00+07:00")
    directive = register_classified(api, tasks=one_task("2026-03-16"))
    accept(api, "stc.daumoi", directive["tasks"][0]["id"])
    db.session.get(AppSetting, "rules.profile").value = "hung-yen-2019"
    db.session.commit()
    by_day = walk(freeze, date(2026, 3, 3), date(2026, 3, 25))
    assert escalations(by_day) == {"2026-03-17": {"ct.ubnd"}}
    assert set(db.session.scalars(select(Reminder.profile))) == {"lao-cai-stc-2017"}


def test_a_step_s_own_deadline_reminds_whoever_may_take_it(api, freeze):
    # Acceptance is due 2 working days after receipt (Wed 04/03); nobody has claimed it yet.
    freeze("2026-03-02T09:00:00+07:00")
    register_classified(api, tasks=one_task("2026-03-31"))
    by_day = walk(freeze, date(2026, 3, 3), date(2026, 3, 6))
    assert by_day == {
        "2026-03-03": {("due_soon", "stc.daumoi")},
        "2026-03-04": {("due_today", "stc.daumoi")},
        "2026-03-05": {("overdue", "stc.daumoi")},
    }
    titles = [title for _, _, title in all_notices()]
    assert titles[0].startswith("Sắp đến hạn 04/03/2026: Tiếp nhận nhiệm vụ — Xây dựng kế hoạch")


def test_concurrent_sweeps_send_each_reminder_once(app, api, freeze, database_url):
    import threading

    from tests.conftest import make_app

    freeze("2026-03-02T09:00:00+07:00")
    for number in ("1", "2", "3"):
        directive = register_classified(api, number=number, tasks=one_task("2026-03-16"))
        accept(api, "stc.daumoi", directive["tasks"][0]["id"])
    freeze("2026-03-16T09:00:00+07:00")
    db.session.remove()
    # The three apps are built here, one after the other: CPython 3.11's compiler (which Werkzeug
    # uses for each route) is not safe to run in several threads at once. Only the sweeps race.
    racers = [make_app(database_url) for _ in range(3)]
    barrier = threading.Barrier(3, timeout=180)
    summaries = []

    def sweep(racer) -> None:
        with racer.app_context():
            barrier.wait()
            from app.jobs import reminders

            summaries.append(reminders.run())
            db.session.remove()
            db.engine.dispose()

    threads = [threading.Thread(target=sweep, args=(racer,)) for racer in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert sum(s["sent"] for s in summaries) == 3, summaries
    assert len(db.session.scalars(select(Reminder)).all()) == 3
    notices = db.session.execute(select(Notification.kind, Notification.user_id, Notification.task_id)).all()
    assert len(notices) == len(set(notices)) == 3 * 4  # 3 tasks x (2 agency + 2 Office) "due today"
    assert len(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "reminder_sent")).all()) == 3


@pytest.mark.parametrize(
    ("due", "offset", "expected"),
    [
        (date(2026, 3, 16), -3, date(2026, 3, 11)),
        (date(2026, 3, 16), 0, date(2026, 3, 16)),
        (date(2026, 3, 15), 0, date(2026, 3, 13)),  # a Sunday deadline: Friday
        (date(2026, 3, 13), 1, date(2026, 3, 16)),
        (date(2026, 4, 30), -3, date(2026, 4, 24)),
        (date(2026, 4, 30), 1, date(2026, 5, 4)),
    ],
)
def test_reminder_days_count_working_days(app, due, offset, expected):
    assert reminder_day(current_calendar(), due, offset) == expected


@pytest.mark.parametrize(
    "profile", ["default", "quynh-nhai-2015", "ninh-thuan-2019", "ben-tre-2023", "lao-cai-stc-2017"]
)
def test_every_rule_of_every_profile_cites_its_basis_and_names_known_recipients(app, profile):
    from app.services.assignment import lane_table
    from app.services.rule_tables import reminder_rules

    for subject in ("task", "work_item"):
        rules = reminder_rules(subject, profile)
        assert rules, (profile, subject)
        assert len({r.code for r in rules}) == len(rules), "rule codes are the reminders' unique keys"
        for rule in rules:
            assert rule.citation.strip(), rule
            assert rule.kind in {"due_soon", "due_today", "overdue", "escalation"}
            assert set(rule.recipients) <= set(lane_table()) | {"assignee"}, rule
            assert (rule.offset < 0) == (rule.kind == "due_soon")


def test_a_reminder_day_changed_on_the_rules_page_applies_without_a_code_change(api, freeze):
    """The administrator moves Lào Cai's escalation to the leadership from 1 to 2 working days late."""
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    rules_admin.set_profile("lao-cai-stc-2017", actor=admin, reason="Quy chế của Sở")
    rules_admin.change_rules(
        "rules/reminders.dmn",
        [CellEdit("Rule_lc_escalate_leader_1", "output", 1, "2")],
        actor=admin,
        reason="Lãnh đạo Sở cho thêm một ngày",
    )
    db.session.commit()
    freeze("2026-03-02T09:00:00+07:00")
    directive = register_classified(api, tasks=one_task("2026-03-16"))
    accept(api, "stc.daumoi", directive["tasks"][0]["id"])
    by_day = walk(freeze, date(2026, 3, 3), date(2026, 3, 25))
    assert escalations(by_day) == {"2026-03-18": {"ct.ubnd"}}

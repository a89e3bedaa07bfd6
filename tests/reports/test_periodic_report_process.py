"""The periodic report process: opened by the daily job on the profile's dates, one work item per
agency, reminders and escalation by timers, consolidation by the Office, approval by the leader."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import AgencyReport, AppSetting, AuditEvent, ReportPeriod, Unit, WorkItem
from app.services.reports import periods, rules
from app.services.timers import run_due
from tests.support import all_notices

AGENCY_FORM = {
    "assessment": "Đơn vị đã triển khai đầy đủ các nhiệm vụ được giao trong kỳ.",
    "obstacles": "Thiếu biên chế cán bộ theo dõi.",
    "proposals": "Đề nghị bổ sung 01 biên chế.",
    "figures_confirmed": True,
}


def use_profile(name: str) -> None:
    db.session.add(AppSetting(key="rules.profile", value=name))
    db.session.commit()


def open_items(title: str) -> list[WorkItem]:
    return list(
        db.session.scalars(
            select(WorkItem).where(WorkItem.title == title, WorkItem.state == "open").order_by(WorkItem.id)
        )
    )


def agency_items() -> dict[str, WorkItem]:
    """The open "Gửi báo cáo định kỳ" items by the code of the agency each report is about."""
    found = {}
    for item in open_items("Gửi báo cáo định kỳ"):
        report = db.session.scalar(select(AgencyReport).where(AgencyReport.instance_id == item.instance_id))
        found[db.session.get(Unit, report.unit_id).code] = item
    return found


def submitter(code: str) -> str:
    """Who sends an agency's report: its focal officer, or the Office for huyen-b, which is not
    connected to the system (R7: it reports on paper and the Office enters it)."""
    return "vp.chuyenvien" if code == "huyen-b" else f"{code}.daumoi"


def start_due() -> list[ReportPeriod]:
    opened = periods.start_due_report_periods(clock.now())
    db.session.commit()
    return opened


def sweep(instant: str) -> None:
    run_due(datetime.fromisoformat(instant))


def dates(plan: rules.PlannedReport) -> tuple[str, int, str, str]:
    return (plan.kind, plan.seq, plan.agency_due_on.isoformat(), plan.office_due_on.isoformat())


def test_quynh_nhai_reports_quarterly_half_yearly_and_yearly_on_the_dates_of_article_19(app):
    planned = [dates(p) for p in rules.planned_reports(2026, "quynh-nhai-2015")]
    assert planned == [
        ("quarter", 1, "2026-03-20", "2026-03-25"),
        # 20/06/2026 is a Saturday: the deadline moves to the next working day (Civil Code art. 148)
        ("half_year", 1, "2026-06-22", "2026-06-25"),
        ("quarter", 3, "2026-09-21", "2026-09-25"),
        # 20/12/2026 is a Sunday
        ("year", 1, "2026-11-30", "2026-12-21"),
    ]
    assert all(p.citation.startswith("000:19") for p in rules.planned_reports(2026, "quynh-nhai-2015"))


def test_ninh_thuan_has_only_the_half_year_and_year_reports_and_hung_yen_none(app):
    assert [dates(p) for p in rules.planned_reports(2027, "ninh-thuan-2019")] == [
        ("half_year", 1, "2027-06-21", "2027-06-25"),
        ("year", 1, "2027-11-30", "2027-12-20"),
    ]
    assert rules.planned_reports(2027, "hung-yen-2019") == []


def test_ben_tre_reports_every_month_and_the_nine_month_report(app):
    kinds = [(p.kind, p.seq) for p in rules.planned_reports(2026, "ben-tre-2023")]
    assert ("nine_months", 1) in kinds and ("quarter", 1) in kinds
    assert len([k for k in kinds if k[0] == "month"]) == 8


def test_lao_cai_units_send_by_the_20th_by_default_and_the_15th_when_the_administrator_chooses_article_17(
    app,
):
    default = rules.planned_reports(2026, "lao-cai-stc-2017")
    assert [(p.agency_due_on, p.office_due_on) for p in default][0] == (date(2026, 3, 20), date(2026, 3, 25))
    assert "MẶC ĐỊNH theo Điều 18" in default[0].citation
    rules.set_schedule_variant("dieu_17")
    chosen = rules.planned_reports(2026, "lao-cai-stc-2017")
    assert [(p.agency_due_on, p.office_due_on) for p in chosen][0] == (date(2026, 3, 16), date(2026, 3, 25))
    assert chosen[0].citation.startswith("004:17.1.e")


def test_the_r7_update_window_is_the_task_processs_one_working_day_in_ben_tre_and_three_elsewhere(app):
    """Reports count late updates with the window `task_lifecycle` uses (result_entry_window.dmn)."""
    from app.services.rule_tables import result_window_days

    assert result_window_days("ben-tre-2023") == 1
    assert result_window_days("ninh-thuan-2019") == result_window_days("quynh-nhai-2015") == 3


def test_quarter_report_opens_ten_working_days_before_the_agencies_deadline_once_with_one_item_per_agency(
    app, freeze
):
    use_profile("quynh-nhai-2015")
    freeze("2026-03-05T08:00:00+07:00")
    assert start_due() == []
    freeze("2026-03-06T08:00:00+07:00")
    opened = start_due()
    assert [p.title for p in opened] == ["Báo cáo quý I năm 2026"]
    period = opened[0]
    assert (period.agency_due_on, period.office_due_on, period.approval_due_on) == (
        date(2026, 3, 20),
        date(2026, 3, 25),
        date(2026, 3, 30),
    )
    items = agency_items()
    assert set(items) == {"stc", "skhdt", "sxd", "huyen-a", "huyen-b"}
    candidates = {
        code: (db.session.get(Unit, i.candidate_unit_id).code, i.candidate_role) for code, i in items.items()
    }
    assert candidates == {
        "stc": ("stc", "focal_officer"),
        "skhdt": ("skhdt", "focal_officer"),
        "sxd": ("sxd", "focal_officer"),
        "huyen-a": ("huyen-a", "focal_officer"),
        "huyen-b": ("vp", "office_officer"),  # not connected: the Office enters its paper report
    }
    assert {i.due_on for i in items.values()} == {date(2026, 3, 20)}
    assert start_due() == []  # the job runs every day: the period is never opened twice
    assert len(open_items("Gửi báo cáo định kỳ")) == 5


def test_the_scheduler_job_report_periods_opens_the_due_period_once(app, freeze):
    from tests.support import run

    use_profile("quynh-nhai-2015")
    freeze("2026-03-06T08:00:00+07:00")
    first = run("report_periods")
    assert first.is_ok and first.summary == {"opened": 1, "periods": ["Báo cáo quý I năm 2026"]}
    assert run("report_periods").summary == {"opened": 0, "periods": []}
    assert len(open_items("Gửi báo cáo định kỳ")) == 5


@pytest.mark.slow
def test_reminder_then_escalation_then_office_consolidates_and_chairman_approves_and_publishes(
    app, api, freeze
):
    use_profile("quynh-nhai-2015")
    freeze("2026-03-06T08:00:00+07:00")
    period = start_due()[0]
    items = agency_items()

    freeze("2026-03-10T09:00:00+07:00")
    for code in ("stc", "skhdt", "sxd", "huyen-b"):
        done = api(submitter(code)).post(f"/work-items/{items[code].id}/complete", {"data": AGENCY_FORM})
        assert done.status_code == 200, done.get_json()

    sweep("2026-03-17T08:05:00+07:00")  # 3 working days before 20/03: only huyen-a is reminded
    reminders = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "model:notify")).all()
    assert [e.details["kind"] for e in reminders] == ["report_reminder"]
    assert [(kind, user) for kind, user, _ in all_notices() if kind == "report_reminder"] == [
        ("report_reminder", "huyen-a.daumoi")
    ]
    assert open_items("Tổng hợp báo cáo") == []

    sweep("2026-03-21T00:05:00+07:00")  # the agencies' deadline day has ended
    late = db.session.scalar(
        select(AgencyReport).where(AgencyReport.unit_id == items["huyen-a"].candidate_unit_id)
    )
    assert (late.status, late.is_late) == ("pending", True)
    [consolidate] = open_items("Tổng hợp báo cáo")
    assert (consolidate.candidate_role, consolidate.due_on) == ("office_officer", date(2026, 3, 25))
    db.session.refresh(period)
    assert period.status == "consolidating"

    freeze("2026-03-24T09:00:00+07:00")
    office = api("vp.chuyenvien")
    body = {
        "summary": "Các cơ quan thực hiện nghiêm chế độ báo cáo.",
        "obstacles": "Không có.",
        "proposals": "Không có.",
    }
    assert office.post(f"/work-items/{consolidate.id}/complete", {"data": body}).status_code == 200
    [approve] = open_items("Phê duyệt báo cáo")
    assert (approve.candidate_role, approve.due_on) == ("leader", date(2026, 3, 30))

    chairman = api("ct.ubnd")
    refused = chairman.post(
        f"/work-items/{approve.id}/complete", {"data": {"decision": "send_back", "publish": True}}
    )
    assert refused.status_code == 422 and "comment" in refused.get_json()["error"]["fields"]
    approved = chairman.post(
        f"/work-items/{approve.id}/complete",
        {"data": {"decision": "approve", "publish": True, "comment": "Đồng ý."}},
    )
    assert approved.status_code == 200
    db.session.refresh(period)
    assert (period.status, period.is_published) == ("approved", True)
    assert period.figures["total"]["received"] == 0 and [r["code"] for r in period.figures["rows"]] == [
        "stc",
        "skhdt",
        "sxd",
        "huyen-a",
        "huyen-b",
    ]
    late_notices = [(kind, user) for kind, user, _ in all_notices() if kind == "report_overdue"]
    assert ("report_overdue", "vp.chuyenvien") in late_notices  # the Office hears of huyen-a
    db.session.refresh(late)
    assert late.status == "not_submitted"  # the period closed without its report
    assert open_items("Gửi báo cáo định kỳ") == []
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {
        "report_period_opened",
        "agency_report_submitted",
        "agency_report_overdue",
        "report_approved",
    } <= actions


def test_when_every_agency_has_reported_the_office_consolidates_without_waiting_for_the_deadline(
    app, api, freeze
):
    use_profile("ninh-thuan-2019")
    freeze("2026-06-08T08:00:00+07:00")
    period = start_due()[0]
    assert period.title == "Báo cáo 6 tháng đầu năm 2026"
    freeze("2026-06-10T09:00:00+07:00")
    for code, item in agency_items().items():
        assert (
            api(submitter(code)).post(f"/work-items/{item.id}/complete", {"data": AGENCY_FORM}).status_code
            == 200
        )
    [consolidate] = open_items("Tổng hợp báo cáo")
    assert consolidate.due_on == date(2026, 6, 25)
    reports = db.session.scalars(select(AgencyReport).where(AgencyReport.period_id == period.id)).all()
    assert {(r.status, r.is_late) for r in reports} == {("submitted", False)}
    assert reports[0].content["proposals"] == "Đề nghị bổ sung 01 biên chế."


def test_an_agency_cannot_submit_another_agencys_report(app, api, freeze):
    use_profile("quynh-nhai-2015")
    freeze("2026-03-06T08:00:00+07:00")
    start_due()
    finance_item = agency_items()["stc"]
    response = api("sxd.daumoi").post(f"/work-items/{finance_item.id}/complete", {"data": AGENCY_FORM})
    assert response.status_code == 404


def test_without_a_chosen_profile_the_catalogues_default_applies_and_hung_yen_has_ad_hoc_reports_only(
    app, freeze
):
    assert db.session.get(AppSetting, "rules.profile") is None
    freeze("2026-06-08T08:00:00+07:00")  # bpmn/rules/profiles.json: ninh-thuan-2019 by default
    assert [p.title for p in start_due()] == ["Báo cáo 6 tháng đầu năm 2026"]
    use_profile("hung-yen-2019")  # the text sets no periodic report
    for instant in ("2026-03-06T08:00:00+07:00", "2026-09-08T08:00:00+07:00", "2026-11-16T08:00:00+07:00"):
        freeze(instant)
        assert start_due() == []


@pytest.mark.slow
def test_an_agency_step_is_reminded_by_its_model_only_never_again_by_the_generic_reminders(app, freeze):
    """The report step has its own reminder and overdue timers (task property reminders="model"):
    the scheduler's generic "due soon / due today / overdue" reminders for steps leave it alone,
    so the focal officer is reminded once, by the model, and the Office told that a report is late
    once per agency, whatever runs each day."""
    from app.jobs.reminders import run as run_reminders
    from app.models import Reminder

    use_profile("quynh-nhai-2015")
    freeze("2026-03-06T08:00:00+07:00")
    start_due()
    items = agency_items()
    assert all(item.reminded_by_model for item in items.values())
    for day in ("17", "18", "19", "20", "23", "24"):  # around the deadline 20/03 (21-22 weekend)
        freeze(f"2026-03-{day}T08:05:00+07:00")
        run_due()
        run_reminders()
        db.session.commit()
    notices = all_notices()
    assert [kind for kind, user, _ in notices if user == "huyen-a.daumoi"] == ["report_reminder"]
    office = [kind for kind, user, _ in notices if user == "vp.chuyenvien"]
    assert office.count("report_overdue") == len(items)  # no agency sent its report: each late once
    generic = db.session.scalars(
        select(Reminder).where(
            Reminder.subject == "work_item", Reminder.object_id.in_([i.id for i in items.values()])
        )
    ).all()
    assert generic == []

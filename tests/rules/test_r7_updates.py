"""R7 progress and results: the result-entry window after the deadline, periodic updates of tasks
without a deadline, urging when they are missed, and results entered by the Office for agencies
that are not connected."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ProcessInstance
from app.workflow import instance_steps
from tests.scenario import FINANCE, OFFICE, one_task
from tests.support import all_notices

RESULT = {"result_summary": "Đã hoàn thành kế hoạch năm.", "result_document": "300/BC-STC"}


def accepted_task(s, profile: str, due_on: str | None, lead: str = "stc") -> int:
    s.use_profile(profile)
    s.freeze("2026-04-06T09:00:00+07:00")  # Monday
    directive = s.register_and_assign(issued_on="2026-04-06", tasks=one_task(due_on=due_on, lead=lead))
    task_id = int(directive["tasks"][0]["id"])
    if lead == "stc":
        s.accept(task_id)
    return task_id


def test_results_due_3_working_days_after_the_deadline_across_the_holidays_ninh_thuan(s):
    task_id = accepted_task(s, "ninh-thuan-2019", due_on="2026-04-29")
    task = s.task(task_id)
    # After Wed 29/04: 30/04 and 01/05 are holidays, 02-03/05 a weekend -> 04/05, 05/05, 06/05.
    assert task["result_due_on"] == "2026-05-06"
    assert s.work(task_id)["due_on"] == "2026-04-29"
    s.at("2026-05-06T23:30:00")
    assert s.items(OFFICE, title="Đôn đốc thực hiện nhiệm vụ", task_id=task_id) == []
    assert s.task(task_id)["report_category"] == "overdue"
    s.at("2026-05-07T00:10:00")
    urge = s.item(OFFICE, "Đôn đốc thực hiện nhiệm vụ", task_id=task_id)
    s.complete(
        OFFICE,
        urge,
        urging_message="Đề nghị Sở Tài chính báo cáo kết quả ngay.",
        urging_document="215/VPUB-TH",
        urging_doc_date="2026-05-07",
        urging_doc_signer="Chánh Văn phòng",
    )
    [urging] = s.task(task_id)["urgings"]
    assert (urging["kind"], urging["source"], urging["document"]) == ("document", "process", "215/VPUB-TH")
    assert urging["doc_date"] == "2026-05-07"
    assert ("urged", FINANCE) in {(kind, user) for kind, user, _ in all_notices()}  # the agency is told


def test_results_due_1_working_day_after_the_deadline_across_the_holidays_ben_tre(s):
    task_id = accepted_task(s, "ben-tre-2023", due_on="2026-04-29")
    assert s.task(task_id)["result_due_on"] == "2026-05-04"
    s.at("2026-05-05T00:10:00")
    assert s.item(OFFICE, "Đôn đốc thực hiện nhiệm vụ", task_id=task_id)


def test_agency_is_reminded_3_working_days_before_the_deadline_across_the_holidays_ninh_thuan(s):
    task_id = accepted_task(s, "ninh-thuan-2019", due_on="2026-05-05")
    assert s.waiting_timers(task_id) == {"Quá hạn cập nhật kết quả": "2026-05-08T17:00:00+00:00"}
    # Three working days before Tue 05/05 is Tue 28/04 (30/04 - 03/05 are days off): the last day to
    # ask for an extension (R8). The reminder job of the scheduler reads the profile's reminder table.
    assert s.remind("2026-04-27T08:05:00") == set()
    assert s.remind("2026-04-28T08:05:00") == {("due_soon", FINANCE), ("due_soon", "stc.giamdoc")}
    s.complete(
        FINANCE,
        s.work(task_id),
        action="progress",
        progress_status="in_progress",
        progress_note="Đã hoàn thành dự thảo, đang lấy ý kiến các sở.",
    )
    assert s.remind("2026-04-29T08:05:00") == set()  # once per deadline, whatever the agency reports
    assert s.task(task_id)["progress_note"].startswith("Đã hoàn thành dự thảo")


def test_agency_is_reminded_2_working_days_before_the_deadline_lao_cai(s):
    task_id = accepted_task(s, "lao-cai-stc-2017", due_on="2026-05-05")
    assert s.remind("2026-04-28T08:05:00") == set()
    assert s.remind("2026-04-29T08:05:00") == {("due_soon", FINANCE), ("due_soon", "stc.giamdoc")}
    assert s.task(task_id)["status"] == "in_progress"


def test_task_without_deadline_is_due_for_an_update_each_quarter_ninh_thuan(s):
    task_id = accepted_task(s, "ninh-thuan-2019", due_on=None)
    assert s.work(task_id)["due_on"] == "2026-06-30"
    s.complete(
        FINANCE,
        s.work(task_id),
        action="progress",
        progress_status="not_started",
        progress_note="Chưa triển khai do chờ hướng dẫn của Bộ Tài chính.",
        expected_on="2026-09-30",
    )
    task = s.task(task_id)
    assert task["status"] == "not_started" and task["expected_on"] == "2026-09-30"
    assert s.work(task_id)["due_on"] == "2026-09-30"  # updated for Q2: the next one is due with Q3


def test_task_without_deadline_is_due_for_an_update_each_month_across_the_holidays_ben_tre(s):
    task_id = accepted_task(s, "ben-tre-2023", due_on=None)
    # End of April is Thu 30/04, a holiday, then 01/05 and the weekend: the update is due Mon 04/05.
    assert s.work(task_id)["due_on"] == "2026-05-04"
    s.complete(
        FINANCE,
        s.work(task_id),
        action="progress",
        progress_status="in_progress",
        progress_note="Đã giao các phòng chuyên môn xây dựng kế hoạch.",
    )
    assert s.work(task_id)["due_on"] == "2026-06-01"  # 31/05 is a Sunday
    s.at("2026-06-02T00:10:00")
    urge = s.item(OFFICE, "Đôn đốc thực hiện nhiệm vụ", task_id=task_id)
    s.complete(OFFICE, urge, urging_message="Đề nghị cập nhật tình hình thực hiện tháng 5.")
    [urging] = s.task(task_id)["urgings"]
    assert (urging["kind"], urging["document"]) == ("notice", None)


def test_office_enters_results_for_an_agency_not_connected_within_3_working_days_ninh_thuan(s):
    task_id = accepted_task(s, "ninh-thuan-2019", due_on="2026-04-24", lead="huyen-b")
    assert s.task(task_id)["status"] == "in_progress"
    receive = s.item(OFFICE, "Nhận báo cáo bằng văn bản", task_id=task_id)
    assert receive["due_on"] == "2026-04-24"
    s.freeze("2026-04-28T10:00:00+07:00")
    s.complete(OFFICE, receive, report_received_on="2026-04-28", paper_report_document="56/BC-UBND")
    enter = s.item(OFFICE, "Nhập kết quả thay cơ quan chưa kết nối", task_id=task_id)
    assert enter["due_on"] == "2026-05-05"  # 3 working days after 28/04, over the holidays
    s.complete(
        OFFICE,
        enter,
        result_summary="Huyện B đã hoàn thành rà soát quy hoạch.",
        completed_on="2026-04-24",
        result_document="56/BC-UBND",
    )
    confirm = s.item(OFFICE, "Xác nhận hoàn thành", task_id=task_id)
    s.complete(OFFICE, confirm, decision="confirm", quality="good", effectiveness="high")
    task = s.task(task_id)
    assert task["status"] == "completed" and task["report_category"] == "completed_on_time"
    entered = [e for e in task["history"] if e["action"] == "model:office_entered_result"]
    assert entered[0]["details"]["late"] is False and entered[0]["details"]["entry_due_on"] == "2026-05-05"


@pytest.mark.slow
def test_a_task_reported_on_a_hundred_times_keeps_a_small_state_its_timers_and_its_history(s):
    """Each progress report loops back to the report step, and the engine kept every earlier pass:
    the state grew about 400 bytes a report (43 kB after 100) and every step walked it all; deep
    enough, SpiffWorkflow's recursive checks fail. The finished passes are now dropped."""
    task_id = accepted_task(s, "ninh-thuan-2019", due_on="2026-12-30")
    instance = db.session.scalar(
        select(ProcessInstance).where(
            ProcessInstance.task_id == task_id, ProcessInstance.process_id == "task_lifecycle"
        )
    )
    timers_before = s.waiting_timers(task_id)
    sizes = []
    for n in range(1, 101):
        s.complete(
            FINANCE,
            s.work(task_id),
            action="progress",
            progress_status="in_progress",
            progress_note=f"Báo cáo tiến độ lần {n}.",
        )
        db.session.refresh(instance)
        sizes.append(len(instance.state))
    assert max(sizes[50:]) < 2 * sizes[4], sizes  # bounded, not growing with every report
    assert s.waiting_timers(task_id) == timers_before  # the deadline's timers still wait, unmoved
    assert "Task_accept" in instance_steps(instance).completed  # the diagram still shows it done
    steps = [e for e in s.task(task_id)["history"] if e["action"] == "work_item_completed"]
    assert len(steps) == 101  # the acceptance and every report stay in the task's history

    s.complete(FINANCE, s.work(task_id), action="complete", completed_on="2026-04-06", **RESULT)
    s.complete(OFFICE, s.item(OFFICE, "Xác nhận hoàn thành", task_id=task_id), decision="confirm")
    assert s.task(task_id)["status"] == "completed"
    db.session.refresh(instance)
    assert instance.status == "completed" and s.waiting_timers(task_id) == {}

"""A changed rule reaches new instances at once and running ones only when they are migrated."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, ProcessInstance, ProcessModelVersion, Timer, WorkItem
from app.services import instance_ops, model_workspace
from tests.conftest import directive_payload
from tests.modeler.conftest import dmn_text


def start_task(api, content: str) -> int:
    office = api("vp.chuyenvien")
    payload = directive_payload(
        tasks=[{"content": content, "lead_unit": "stc", "due_on": "2026-03-31"}],
    )
    directive = office.post("/directives", payload).json
    classify = next(i for i in office.get("/work-items").json if i["directive_id"] == directive["id"])
    office.post(f"/work-items/{classify['id']}/complete", {"data": {"origin_level": "province"}})
    return directive["tasks"][0]["id"]


def accept(api, task_id: int) -> None:
    focal = api("stc.daumoi")
    item = next(i for i in focal.get("/work-items").json if i["task_id"] == task_id)
    response = focal.post(f"/work-items/{item['id']}/complete", {"data": {"decision": "accept"}})
    assert response.status_code == 200, response.json


def report_timer(task_id: int) -> Timer:
    instance = db.session.scalar(select(ProcessInstance).where(ProcessInstance.task_id == task_id))
    return db.session.scalars(
        select(Timer).where(Timer.instance_id == instance.id, Timer.task_spec == "Timer_report_late")
    ).one()


def lifecycle(version: int) -> ProcessModelVersion:
    return db.session.scalars(
        select(ProcessModelVersion).where(
            ProcessModelVersion.process_id == "task_lifecycle", ProcessModelVersion.version == version
        )
    ).one()


def deploy_grace(user, days: int) -> None:
    changed = dmn_text().replace("<text>3</text>", f"<text>{days}</text>")
    model_workspace.deploy(
        {"rules/report_grace.dmn": changed.encode()}, actor=user("analyst"), note="Ninh Thuận sửa Điều 7"
    )
    db.session.commit()


def test_changed_grace_days_reach_new_tasks_and_old_ones_only_after_migration(api, user, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    old_task, migrated_task = start_task(api, "Nhiệm vụ cũ"), start_task(api, "Nhiệm vụ sẽ chuyển")
    deploy_grace(user, 1)
    new_task = start_task(api, "Nhiệm vụ mới")
    assert lifecycle(2).is_active and not lifecycle(1).is_active

    source, target = lifecycle(1), lifecycle(2)
    report = {row.instance.task_id: row.plan for row in instance_ops.migration_report(source, target)}
    assert report[migrated_task].possible and report[old_task].possible
    assert any("Task_accept" in step for step in report[migrated_task].active)
    instance = db.session.scalar(select(ProcessInstance).where(ProcessInstance.task_id == migrated_task))
    item_before = db.session.scalar(select(WorkItem).where(WorkItem.instance_id == instance.id))
    instance_ops.migrate([instance], target, actor=user("analyst"), reason="Áp dụng quy định sửa đổi")
    db.session.commit()

    for task_id in (old_task, migrated_task, new_task):
        accept(api, task_id)
    # Deadline Tue 31/03/2026: 3 working days later is Fri 03/04; 1 working day is Wed 01/04.
    assert report_timer(old_task).due_at == report_timer(new_task).due_at + timedelta(days=2)
    assert report_timer(new_task).due_at.isoformat() == "2026-04-01T17:00:00+00:00"
    assert report_timer(migrated_task).due_at == report_timer(new_task).due_at
    assert db.session.get(WorkItem, item_before.id).state == "completed", (
        "the migrated step kept its work item"
    )
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "instance_migrated")).one()
    assert audit.details["from_version"] == 1 and audit.details["to_version"] == 2

"""Versions (history, diff, download, upload, roll back) and operations on running instances."""

from __future__ import annotations

import io

from lxml import etree
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, ProcessInstance, ProcessModelVersion, Timer, WorkItem
from app.services import instance_ops, model_workspace, rules_admin
from app.workflow import instances
from app.workflow.diff import diff_versions
from app.workflow.dmn import CellEdit
from tests.modeler.conftest import dmn_text
from tests.modeler.test_migration import accept, lifecycle, start_task
from tests.modeler.test_modeler_web import csrf_header
from tests.test_persistence import login


def deploy_days(user, days: int, note: str) -> None:
    model_workspace.deploy(
        {"rules/report_grace.dmn": dmn_text().replace("<text>3</text>", f"<text>{days}</text>").encode()},
        actor=user("analyst"),
        note=note,
    )
    db.session.commit()


def test_the_diff_names_the_decision_row_that_changed(app, user):
    deploy_days(user, 1, "Bớt ngày")
    changes = diff_versions(
        (lifecycle(1).content, lifecycle(1).bundle), (lifecycle(2).content, lifecycle(2).bundle)
    )
    assert [(c.kind, c.element_id, c.details) for c in changes] == [
        ("changed", "Rule_ninh_thuan", ["Số ngày làm việc sau hạn: «3» → «1»"])
    ]


def test_rolling_back_redeploys_the_old_content_as_a_new_version(client, user):
    deploy_days(user, 1, "Bớt ngày")
    login(client, "analyst")
    headers = csrf_header(client, "/modeler/processes/task_lifecycle")
    refused = client.post(
        f"/modeler/versions/{lifecycle(1).id}/rollback",
        data={"note": "", "csrf_token": headers["X-CSRFToken"]},
        follow_redirects=True,
    )
    assert "Vui lòng ghi lý do quay lại" in refused.get_data(as_text=True)
    done = client.post(
        f"/modeler/versions/{lifecycle(1).id}/rollback",
        data={"note": "Chờ văn bản chính thức", "csrf_token": headers["X-CSRFToken"]},
        follow_redirects=True,
    )
    assert "Đã triển khai lại nội dung phiên bản 1 thành phiên bản 3." in done.get_data(as_text=True)
    db.session.expire_all()
    assert lifecycle(3).is_active and lifecycle(3).sha256 == lifecycle(1).sha256
    assert lifecycle(3).change_note == "Quay lại phiên bản 1: Chờ văn bản chính thức"
    assert "<text>3</text>" in model_workspace.get("rules/report_grace.dmn").content
    page = client.get("/modeler/processes/task_lifecycle").get_data(as_text=True)
    assert "Quay lại phiên bản 1: Chờ văn bản chính thức" in page and "Bớt ngày" in page


def test_versions_download_and_upload_round_trip(client, user):
    deploy_days(user, 1, "Bớt ngày")
    login(client, "analyst")
    bpmn = client.get(f"/modeler/versions/{lifecycle(1).id}/download")
    assert bpmn.headers["Content-Disposition"] == 'attachment; filename="task_lifecycle.v1.bpmn"'
    table = client.get(f"/modeler/versions/{lifecycle(1).id}/download?dmn=report_grace.dmn").get_data(
        as_text=True
    )
    assert "<text>3</text>" in table
    token = csrf_header(client)["X-CSRFToken"]
    uploaded = client.post(
        "/modeler/upload",
        data={
            "csrf_token": token,
            "note": "Nạp lại bảng cũ",
            "files": [(io.BytesIO(table.encode()), "report_grace.dmn")],
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Đã triển khai rules/report_grace.dmn." in uploaded.get_data(as_text=True)
    db.session.expire_all()
    assert lifecycle(3).is_active


def test_suspend_resume_and_terminate_with_reasons_are_audited(api, user, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    task_id = start_task(api, "Nhiệm vụ thử thao tác")
    instance = db.session.scalar(select(ProcessInstance).where(ProcessInstance.task_id == task_id))
    instance_ops.suspend(instance, actor=user("analyst"), reason="Chờ làm rõ nội dung")
    db.session.commit()
    focal = api("stc.daumoi")
    item = next(i for i in focal.get("/work-items").json if i["task_id"] == task_id)
    blocked = focal.post(f"/work-items/{item['id']}/complete", {"data": {"decision": "accept"}})
    assert blocked.status_code == 409 and blocked.json["error"]["code"] == "instance_not_running"
    assert "đang tạm dừng" in blocked.json["error"]["message"]

    instance_ops.resume(instance, actor=user("admin"), reason="Đã làm rõ")
    db.session.commit()
    accept(api, task_id)
    assert db.session.scalar(select(Timer.state).where(Timer.instance_id == instance.id)) == "waiting"

    instance_ops.terminate(instance, actor=user("analyst"), reason="Nhiệm vụ bị thu hồi")
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(ProcessInstance, instance.id).status == "terminated"
    assert set(db.session.scalars(select(WorkItem.state).where(WorkItem.instance_id == instance.id))) == {
        "completed",
        "cancelled",
    }
    assert db.session.scalar(select(Timer.state).where(Timer.instance_id == instance.id)) == "cancelled"
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.instance_id == instance.id)).all()
    assert {"instance_suspended", "instance_resumed", "instance_terminated"} <= set(actions)


def without_acceptance_step(text: str) -> str:
    """The lifecycle with its acceptance step removed: flows go straight to the decision gateway."""
    root = etree.fromstring(text.encode())
    for node in list(root.iter()):
        if node.get("id") in {"Task_accept", "Flow_4", "Task_accept_di", "Flow_4_di"} or (
            node.tag.endswith("flowNodeRef") and node.text == "Task_accept"
        ):
            node.getparent().remove(node)
        elif node.get("targetRef") == "Task_accept":
            node.set("targetRef", "Gateway_accept")
        elif node.text in {"Flow_4", "Flow_3"} and node.getparent().get("id") == "Gateway_accept":
            node.text = "Flow_3"
    return etree.tostring(root, encoding="unicode")


def test_a_migration_is_refused_when_the_waiting_step_is_gone(api, user, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    task_id = start_task(api, "Nhiệm vụ chờ tiếp nhận")
    text = without_acceptance_step(model_workspace.get("task_lifecycle.bpmn").content)
    model_workspace.deploy({"task_lifecycle.bpmn": text.encode()}, actor=user("analyst"), note="Đổi mã bước")
    db.session.commit()
    [row] = instance_ops.migration_report(lifecycle(1), lifecycle(2))
    assert row.instance.task_id == task_id and not row.plan.possible
    assert row.plan.reasons == [
        "bước đang chờ 'Tiếp nhận nhiệm vụ' (Task_accept) không còn trong phiên bản mới"
    ]


def test_a_finished_step_dropped_from_the_history_does_not_hold_a_migration_back(api, user, freeze):
    """A step the instance finished before its current ones is compacted out of the engine state:
    a version without that step takes the instance, and its diagram still shows the step done."""
    freeze("2026-03-02T09:00:00+07:00")
    task_id = start_task(api, "Nhiệm vụ đã tiếp nhận")
    accept(api, task_id)
    text = without_acceptance_step(model_workspace.get("task_lifecycle.bpmn").content)
    model_workspace.deploy(
        {"task_lifecycle.bpmn": text.encode()}, actor=user("analyst"), note="Bỏ bước tiếp nhận"
    )
    db.session.commit()
    [row] = instance_ops.migration_report(lifecycle(1), lifecycle(2))
    assert row.instance.task_id == task_id and row.plan.possible, row.plan.reasons
    [done] = instance_ops.migrate(
        [row.instance], lifecycle(2), actor=user("analyst"), reason="Bỏ bước tiếp nhận"
    )
    db.session.commit()
    assert done.plan.possible and row.instance.model_version_id == lifecycle(2).id
    assert "Task_accept" in instances.instance_steps(row.instance).completed
    still_open = db.session.scalars(
        select(WorkItem.task_spec).where(WorkItem.instance_id == row.instance.id, WorkItem.state == "open")
    ).all()
    assert still_open, "the migrated instance keeps its open steps"


def test_administrators_change_the_profile_and_rules_others_cannot(client, user):
    login(client, "analyst")
    assert client.get("/admin/rules/").status_code == 404
    assert rules_admin.known_profiles() == ["ben-tre-2023", "ninh-thuan-2019"]
    rules_admin.set_profile("ben-tre-2023", actor=user("admin"), reason="Áp dụng quy chế tỉnh")
    result = rules_admin.change_rules(
        "rules/report_grace.dmn",
        [CellEdit("Rule_ben_tre", "output", 0, "2")],
        actor=user("admin"),
        reason="QĐ 15",
    )
    db.session.commit()
    assert rules_admin.active_profile() == "ben-tre-2023" and result.new_versions == {"task_lifecycle": 2}
    [cells, profile] = rules_admin.history()
    assert cells.details["cells"] == [
        {"rule": "Rule_ben_tre", "row": 2, "kind": "output", "column": 0, "from": "1", "to": "2"}
    ]
    assert profile.details == {"from": None, "to": "ben-tre-2023", "reason": "Áp dụng quy chế tỉnh"}
    assert (
        db.session.scalars(select(ProcessModelVersion).where(ProcessModelVersion.version == 2))
        .one()
        .deployed_by_id
    )

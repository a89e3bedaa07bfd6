"""Deploy without the browser: `POST /api/v1/models` and `flask bpmn deploy FILE...`."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from app.extensions import db
from app.models import ProcessModelVersion
from tests.modeler.conftest import MODELS, dmn_text


def versions() -> int:
    return db.session.scalar(select(func.count()).select_from(ProcessModelVersion))


def post_models(api_client, files: dict[str, str], note: str = "Triển khai theo kịch bản"):
    data = {"note": note, "files": [(io.BytesIO(text.encode()), name) for name, text in files.items()]}
    return api_client.client.post(
        "/api/v1/models", headers=api_client.headers, data=data, content_type="multipart/form-data"
    )


def test_an_analyst_token_deploys_a_changed_table_and_others_are_refused(api):
    changed = dmn_text().replace("<text>3</text>", "<text>5</text>")
    refused = post_models(api("admin"), {"report_grace.dmn": changed})
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    assert post_models(api("stc.daumoi"), {"report_grace.dmn": changed}).status_code == 403

    deployed = post_models(api("analyst"), {"report_grace.dmn": changed})
    assert deployed.status_code == 201, deployed.json
    assert deployed.json["versions"] == {"task_lifecycle": 2} and deployed.json["files"] == [
        "rules/report_grace.dmn"
    ]
    again = post_models(api("analyst"), {"report_grace.dmn": changed})
    assert again.status_code == 201 and again.json["versions"] == {}, "an unchanged redeploy adds no version"


def test_a_refused_model_answers_422_with_details_and_deploys_nothing(api):
    before = versions()
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><definitions>&a;</definitions>'
    script = (MODELS / "task_lifecycle.bpmn").read_text().replace('set_status("in_progress")', "import os")
    response = post_models(api("analyst"), {"report_grace.dmn": bomb, "task_lifecycle.bpmn": script})
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "invalid_model" and error["message"].startswith("Mô hình không hợp lệ")
    assert {"file", "element_id", "message"} == set(error["details"][0])
    assert any(d["file"] == "report_grace.dmn" and "DOCTYPE" in d["message"] for d in error["details"])
    assert versions() == before


def test_a_deploy_without_a_note_is_refused(api):
    response = post_models(api("analyst"), {"report_grace.dmn": dmn_text()}, note="")
    assert response.status_code == 422 and "lý do" in response.json["error"]["message"]


def test_cli_deploys_single_files_and_refuses_bad_ones_with_their_element(app, tmp_path):
    runner = app.test_cli_runner()
    good = tmp_path / "report_grace.dmn"
    good.write_text(dmn_text().replace("<text>3</text>", "<text>4</text>"), encoding="utf-8")
    result = runner.invoke(args=["bpmn", "deploy", str(good), "--note", "Sửa hạn"])
    assert result.exit_code == 0, result.output
    assert "task_lifecycle\t2\tchanged" in result.output and "directive_intake\t1\tunchanged" in result.output

    bad = tmp_path / "task_lifecycle.bpmn"
    bad.write_text(
        (MODELS / "task_lifecycle.bpmn")
        .read_text()
        .replace('set_status("in_progress")', "open('/etc/passwd')"),
        encoding="utf-8",
    )
    refused = runner.invoke(args=["bpmn", "deploy", str(bad)])
    assert refused.exit_code != 0
    assert (
        "task_lifecycle.bpmn#Script_in_progress: Kịch bản: Dòng 1: kịch bản không được gọi 'open'"
        in refused.output
    )
    assert "Không triển khai" in refused.output


def test_init_keeps_a_deployment_made_in_the_browser(app, user):
    from app.services import model_workspace

    model_workspace.deploy(
        {"rules/report_grace.dmn": dmn_text().replace("<text>3</text>", "<text>2</text>").encode()},
        actor=user("analyst"),
        note="Sửa trong trình duyệt",
    )
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert "Quy trình task_lifecycle: phiên bản 2 (không đổi)" in result.output
    assert "<text>2</text>" in model_workspace.get("rules/report_grace.dmn").content

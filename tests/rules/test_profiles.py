"""Regulation profiles are data: the active one is a setting, each number is a decision-table row
with its citation, and a changed row reaches new instances only."""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from app.extensions import db
from app.services.models_deploy import deploy_directory
from app.workflow import InvalidModel
from tests.scenario import FINANCE, one_task

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "bpmn" / "rules"
PROFILES = [p["id"] for p in json.loads((RULES / "profiles.json").read_text(encoding="utf-8"))["profiles"]]


def test_the_five_profiles_of_the_regulation_catalogue_are_available(app, api):
    assert PROFILES == [
        "quynh-nhai-2015",
        "ninh-thuan-2019",
        "hung-yen-2019",
        "ben-tre-2023",
        "lao-cai-stc-2017",
    ]
    listed = app.test_cli_runner().invoke(args=["rules", "list"]).output
    assert [line.split("\t")[0][2:] for line in listed.splitlines()] == PROFILES


def test_flask_rules_profile_sets_what_the_api_returns(app, api):
    runner = app.test_cli_runner()
    assert api("vp.chuyenvien").get("/rules/profile").json == {"profile": "ninh-thuan-2019"}
    result = runner.invoke(args=["rules", "profile", "ben-tre-2023"])
    assert result.exit_code == 0 and result.output.strip() == "ben-tre-2023"
    assert api("stc.daumoi").get("/rules/profile").json == {"profile": "ben-tre-2023"}
    assert runner.invoke(args=["rules", "profile"]).output.strip() == "ben-tre-2023"
    unknown = runner.invoke(args=["rules", "profile", "ha-noi-2030"])
    assert unknown.exit_code != 0 and "Không có quy chế 'ha-noi-2030'" in unknown.output
    assert api("stc.daumoi").get("/rules/profile").json == {"profile": "ben-tre-2023"}


def start(s, number: str) -> int:
    directive = s.register_and_assign(
        number=number, issued_on="2026-03-02", tasks=one_task(due_on="2026-03-20")
    )
    return int(directive["tasks"][0]["id"])


def test_switching_the_profile_changes_new_instances_only(s):
    s.use_profile("ninh-thuan-2019")
    s.freeze("2026-03-02T09:00:00+07:00")
    before = start(s, "1")
    s.use_profile("ben-tre-2023")
    after = start(s, "2")
    s.accept(before)  # accepted after the switch: still Ninh Thuận's 3 working days
    s.accept(after)
    assert s.task(before)["result_due_on"] == "2026-03-25"
    assert s.task(after)["result_due_on"] == "2026-03-23"


def test_a_changed_decision_row_reaches_new_instances_while_a_running_one_keeps_the_old_number(s, tmp_path):
    s.use_profile("ninh-thuan-2019")
    s.freeze("2026-03-02T09:00:00+07:00")
    running = start(s, "1")  # its task process waits for acceptance, the window not yet looked up

    models = tmp_path / "bpmn"
    shutil.copytree(ROOT / "bpmn", models)
    table = models / "rules" / "result_entry_window.dmn"
    text = table.read_text(encoding="utf-8")
    row = re.search(r'<rule id="Rule_result_entry_window_2">.*?</rule>', text, re.S)
    assert row is not None and '"ninh-thuan-2019"' in row.group(0)
    changed = row.group(0).replace("<text>3</text>", "<text>5</text>")
    table.write_text(text.replace(row.group(0), changed), encoding="utf-8")
    outcomes = {o.process_id: o for o in deploy_directory(models, note="Ninh Thuận: 5 ngày cập nhật kết quả")}
    db.session.commit()
    assert outcomes["task_lifecycle"].changed and outcomes["task_lifecycle"].version == 2
    assert not outcomes["directive_intake"].changed  # it does not use that table

    fresh = start(s, "2")
    s.accept(running)
    s.accept(fresh)
    assert s.task(running)["result_due_on"] == "2026-03-25"  # 3 working days, as when it started
    assert s.task(fresh)["result_due_on"] == "2026-03-27"  # 5 working days
    assert s.work(fresh, username=FINANCE)


def test_every_decision_table_answers_for_every_profile_with_a_citation():
    for path in sorted(RULES.glob("*.dmn")):
        root = etree.parse(str(path)).getroot()
        table = next(root.iter("{*}decisionTable"))
        inputs = [(i.findtext("{*}inputExpression/{*}text") or "") for i in table.iter("{*}input")]
        assert inputs[0] == "profile", path.name
        seen: set[str] = set()
        for rule in table.iter("{*}rule"):
            entry = rule.find("{*}inputEntry").findtext("{*}text").strip()
            note = rule.findtext("{*}description") or ""
            # A legal citation, or a product default that says it is one.
            cited = re.search(r"QĐ|Điều|\b00[0-4]\b|Văn bản thường|Mặc định DonDoc", note)
            assert cited, (path.name, rule.get("id"), note)
            if entry == "-":
                seen.update(PROFILES)
            elif entry.startswith('"'):
                seen.add(ast.literal_eval(entry))
        assert seen >= set(PROFILES), path.name


def test_a_decision_table_missing_a_profile_row_is_refused_at_deploy(app, tmp_path):
    models = tmp_path / "bpmn"
    shutil.copytree(ROOT / "bpmn", models)
    table = models / "rules" / "acceptance_deadline.dmn"
    text = table.read_text(encoding="utf-8")
    text = re.sub(r'<rule id="Rule_acceptance_deadline_3">.*?</rule>', "", text, flags=re.S)
    table.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidModel) as refused:
        deploy_directory(models)
    assert [p.message for p in refused.value.problems] == [
        "Bảng quyết định thiếu dòng cho quy chế 'hung-yen-2019'."
    ]


def test_no_profile_name_appears_in_python_code():
    for path in sorted((ROOT / "app").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for profile in PROFILES:
            assert profile not in text, f"{profile} in {path.relative_to(ROOT)}"

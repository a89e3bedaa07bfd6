"""Every class of refusal before deploy, with the message an analyst reads and the element it names."""

from __future__ import annotations

import json

import pytest

from app.services import model_workspace
from app.workflow import InvalidModel
from tests.modeler.conftest import MODELS, dmn_text, lifecycle_text

LIFECYCLE = "task_lifecycle.bpmn"
GRACE = "rules/report_grace.dmn"
GRACE_FILE = "report_grace.dmn"  # problems name the file, as the analyst uploaded it


def refusal(overrides: dict[str, str | bytes]) -> list[tuple[str, str | None, str]]:
    encoded = {k: v.encode() if isinstance(v, str) else v for k, v in overrides.items()}
    with pytest.raises(InvalidModel) as caught:
        model_workspace.validate(encoded)
    return [(p.file, p.element_id, p.message) for p in caught.value.problems]


def with_script(script: str) -> str:
    return lifecycle_text().replace('set_status("in_progress")', script)


def test_the_unchanged_workspace_is_valid(app):
    assert model_workspace.validate({LIFECYCLE: lifecycle_text().encode()}) == []


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("().__class__.__base__.__subclasses__()", "thuộc tính ẩn '__class__'"),
        ("import os\nos.system('id')", "không được nạp thư viện (import)"),
        ("from subprocess import run", "không được nạp thư viện (import)"),
        ("text = open('/etc/passwd').read()", "không được gọi 'open'"),
        ("getattr(task, 'x')", "không được gọi 'getattr'"),
        ("_secret = 1", "tên '_secret' bắt đầu bằng dấu _"),
        ("set_status(", "Lỗi cú pháp ở dòng 1"),
    ],
)
def test_scripts_reaching_for_imports_dunders_or_files_are_refused(app, script, expected):
    problems = refusal({LIFECYCLE: with_script(script)})
    assert any(
        file == LIFECYCLE and element == "Script_in_progress" and expected in message
        for file, element, message in problems
    ), problems


@pytest.mark.parametrize(
    ("timer", "expected"),
    [
        ("end_of_day(due_on) + 1", "không tính được với dữ liệu mẫu"),
        ('"ngày mai"', "kết quả phải là một thời điểm ISO 8601"),
        ("add_working_days(due_on, report_grace_days", "Lỗi cú pháp ở dòng 1"),
        ("no_such_helper(due_on)", "gọi hàm không có: no_such_helper (các hàm dùng được: add_working_days"),
    ],
)
def test_timer_expressions_are_evaluated_on_sample_data_before_deploy(app, timer, expected):
    text = lifecycle_text().replace(
        "end_of_day(add_working_days(due_on or received_on, report_grace_days))", timer
    )
    problems = refusal({LIFECYCLE: text})
    assert any(element == "Timer_report_late" and expected in message for _, element, message in problems), (
        problems
    )


def test_a_due_date_that_is_not_a_date_is_refused(app):
    text = lifecycle_text().replace('name="dueOn" value="accept_due_on"', 'name="dueOn" value="\'sớm nhất\'"')
    problems = refusal({LIFECYCLE: text})
    assert any(e == "Task_accept" and "Hạn xử lý (dueOn)" in m and "một ngày" in m for _, e, m in problems)


def test_overlapping_rules_under_unique_are_refused(app):
    text = dmn_text().replace('<text>"ben-tre-2023"</text>', "<text>-</text>")
    problems = refusal({GRACE: text})
    assert (
        GRACE_FILE,
        "Rule_ben_tre",
        "Bảng 'Hạn cập nhật kết quả sau hạn nhiệm vụ': dòng 1 và dòng 2 cùng khớp "
        "một trường hợp, trong khi bảng chỉ cho phép một quy tắc (UNIQUE). Sửa điều kiện để chúng không "
        "chồng lên nhau.",
    ) in problems


def test_numeric_ranges_that_meet_overlap_and_ranges_that_touch_do_not(app):
    base = dmn_text().replace("<text>profile</text>", "<text>issued_days</text>")
    touching = base.replace('<text>"ninh-thuan-2019"</text>', "<text>&lt; 5</text>").replace(
        '<text>"ben-tre-2023"</text>', "<text>&gt;= 5</text>"
    )
    assert model_workspace.validate({GRACE: touching.encode()}) == []
    meeting = base.replace('<text>"ninh-thuan-2019"</text>', "<text>&lt;= 5</text>").replace(
        '<text>"ben-tre-2023"</text>', "<text>5 &lt;= ? &lt; 9</text>"
    )
    assert any("dòng 1 và dòng 2 cùng khớp" in m for _, _, m in refusal({GRACE: meeting}))


def test_a_rule_without_its_legal_citation_is_refused(app):
    text = dmn_text().replace(
        "<description>QĐ 08/2023/QĐ-UBND Bến Tre, Điều 1 khoản 5 (Điều 8.1.a)</description>", ""
    )
    problems = refusal({GRACE: text})
    assert (
        GRACE_FILE,
        "Rule_ben_tre",
        "Bảng 'Hạn cập nhật kết quả sau hạn nhiệm vụ', dòng 2: thiếu trích dẫn căn cứ "
        "pháp lý ở cột Chú thích (ví dụ: QĐ 69/2019, Điều 7.1).",
    ) in problems


def test_an_input_entry_the_engine_cannot_read_is_refused(app):
    text = dmn_text().replace('<text>"ben-tre-2023"</text>', "<text>=&lt; 3</text>")
    problems = refusal({GRACE: text})
    assert any(e == "Rule_ben_tre" and "điều kiện '=< 3' không đọc được" in m for _, e, m in problems), (
        problems
    )


def test_an_unsafe_output_entry_is_refused(app):
    text = dmn_text().replace("<text>1</text>", "<text>().__class__</text>")
    problems = refusal({GRACE: text})
    assert any(e == "Rule_ben_tre" and "'__class__'" in m for _, e, m in problems)


def test_a_missing_form_and_an_unknown_lane_role_are_refused(app):
    text = (
        lifecycle_text()
        .replace('value="accept_task.json"', 'value="khong_co.json"')
        .replace('name="role" value="office"', 'name="role" value="ke_toan"')
    )
    messages = {(e, m.split(" (")[0]) for _, e, m in refusal({LIFECYCLE: text})}
    assert ("Task_accept", "Không có biểu mẫu 'khong_co.json'.") in messages
    assert ("Lane_office", "Làn 'Văn phòng UBND' chưa gắn vai trò hợp lệ") in messages


def test_a_form_that_is_not_a_json_schema_is_refused(app):
    problems = refusal({"forms/report_result.json": json.dumps({"type": "khong-phai-kieu"})})
    assert problems[0][0] == "report_result.json"
    assert problems[0][2].startswith("Biểu mẫu không phải JSON Schema hợp lệ (tại type): 'khong-phai-kieu'")


def test_a_called_decision_that_no_table_defines_is_refused(app):
    text = lifecycle_text().replace(
        ">report_grace</spiffworkflow:calledDecisionId>", ">han_moi</spiffworkflow:calledDecisionId>"
    )
    problems = refusal({LIFECYCLE: text})
    assert any(e == "Rule_report_grace" and "bảng quyết định 'han_moi'" in m for _, e, m in problems)


def test_a_structural_error_is_reported_from_the_schema_validation(app):
    text = lifecycle_text().replace(
        "<bpmn:incoming>Flow_1</bpmn:incoming>", "<bpmn:incomming>Flow_1</bpmn:incomming>"
    )
    problems = refusal({LIFECYCLE: text})
    assert any(f == LIFECYCLE and "incomming" in m for f, _, m in problems), problems


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/">&lol3;</definitions>"""


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (BOMB, "DOCTYPE/ENTITY: không được phép vì lý do an toàn"),
        ('<?xml version="1.0"?><!DOCTYPE d SYSTEM "file:///etc/passwd"><definitions/>', "DOCTYPE/ENTITY"),
        ("<a>" * 80 + "</a>" * 80, "lồng nhau quá sâu"),
        ("<definitions>" + " " * (3 * 1024 * 1024) + "</definitions>", "Tệp quá lớn"),
        ("<definitions><decision></definitions>", "không phải XML hợp lệ"),
    ],
)
def test_hostile_or_broken_xml_is_refused_before_any_parser_reads_it(app, content, expected):
    problems = refusal({GRACE: content})
    assert any(f == "report_grace.dmn" and expected in m for f, _, m in problems), problems


# Drawn as Camunda Modeler writes it; `{extra}` receives attributes a test adds to the user task.
CAMUNDA = (MODELS.parent / "camunda_review.bpmn").read_text(encoding="utf-8")


def test_a_camunda_modeler_file_is_translated_into_a_form_and_a_lane_role(app, user):
    result = model_workspace.deploy(
        {"camunda_review.bpmn": CAMUNDA.replace("{extra}", "").encode()},
        actor=user("analyst"),
        note="Camunda",
    )
    assert result.new_versions == {"camunda_review": 1}
    form = json.loads(model_workspace.get("forms/Task_review.json").content)
    assert form["properties"]["ket_luan"]["enum"] == ["dat", "khong"] and form["required"] == ["ghi_chu"]
    stored = model_workspace.get("camunda_review.bpmn").content
    assert "camunda:" not in stored and 'name="role" value="office"' in stored
    assert any("biểu mẫu Camunda → Task_review.json" in n for n in result.notes)


def test_camunda_extensions_that_cannot_be_translated_are_refused_by_name(app):
    problems = refusal({"camunda_review.bpmn": CAMUNDA.replace("{extra}", 'camunda:assignee="nguyenvana"')})
    assert (
        "camunda_review.bpmn",
        "Task_review",
        "Tệp vẽ bằng Camunda Modeler: thuộc tính camunda:assignee "
        "không chuyển được (DonDoc giao việc theo làn và đơn vị, không theo tên người).",
    ) in problems

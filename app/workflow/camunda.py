"""Files drawn in Camunda Modeler: translate what DonDoc can express, refuse the rest by name.

Camunda keeps forms and assignment in its own `camunda:` extensions, which SpiffWorkflow ignores:
deployed as they are, such a model would run with no form and nobody to do the work. So a
`camunda:formData` becomes a JSON Schema form file plus our `formJsonSchemaFilename` property, a
`camunda:candidateGroups` naming a known role becomes the role of the task's lane, and any other
`camunda:` attribute or element is refused with a message naming it: never half-read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from app.workflow.errors import ModelProblem

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
# Bookkeeping attributes Camunda Modeler writes by default; they mean nothing to the engine.
IGNORED_ATTRIBUTES = {"historyTimeToLive", "versionTag", "isStartableInTasklist"}
TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "long": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
}


@dataclass
class Translation:
    content: bytes
    forms: dict[str, bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    problems: list[ModelProblem] = field(default_factory=list)


def uses_camunda(root: etree._Element) -> bool:
    return any(_is_camunda(node.tag) or any(_is_camunda(a) for a in node.attrib) for node in root.iter())


def _is_camunda(name: Any) -> bool:
    return isinstance(name, str) and name.startswith(f"{{{CAMUNDA_NS}}}")


def translate(file_name: str, root: etree._Element, known_roles: Mapping[str, Any]) -> Translation:
    """Rewrite `root` (in place) into DonDoc's dialect; problems list what cannot be translated."""
    result = Translation(content=b"")
    for task in root.iter(f"{{{BPMN_NS}}}userTask"):
        _translate_form(file_name, task, result)
    _translate_candidate_groups(file_name, root, known_roles, result)
    for node in root.iter():
        _refuse_leftovers(file_name, node, result)
    etree.cleanup_namespaces(root)
    result.content = bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return result


def _translate_form(file_name: str, task: etree._Element, result: Translation) -> None:
    form_data = task.find(f"bpmn:extensionElements/{{{CAMUNDA_NS}}}formData", {"bpmn": BPMN_NS})
    if form_data is None:
        return
    schema: dict[str, Any] = {"title": task.get("name") or task.get("id"), "type": "object", "properties": {}}
    required: list[str] = []
    for form_field in form_data.iterfind(f"{{{CAMUNDA_NS}}}formField"):
        field_id = form_field.get("id", "")
        prop = _field_schema(form_field)
        if prop is None:
            result.problems.append(
                ModelProblem(
                    file_name,
                    f"Trường '{field_id}' của biểu mẫu Camunda có kiểu '{form_field.get('type')}' "
                    "chưa chuyển được; dùng string, long, boolean, date hoặc enum.",
                    task.get("id"),
                )
            )
            continue
        schema["properties"][field_id] = prop
        if any(c.get("name") == "required" for c in form_field.iter(f"{{{CAMUNDA_NS}}}constraint")):
            required.append(field_id)
    if required:
        schema["required"] = required
    form_name = f"{task.get('id')}.json"
    result.forms[form_name] = json.dumps(schema, ensure_ascii=False, indent=2).encode()
    extension = form_data.getparent()
    extension.remove(form_data)
    _set_property(extension, "formJsonSchemaFilename", form_name)
    result.notes.append(f"Bước '{task.get('name') or task.get('id')}': biểu mẫu Camunda → {form_name}.")


def _field_schema(form_field: etree._Element) -> dict[str, Any] | None:
    kind = form_field.get("type", "string")
    prop: dict[str, Any]
    if kind == "enum":
        values = list(form_field.iterfind(f"{{{CAMUNDA_NS}}}value"))
        prop = {
            "type": "string",
            "enum": [v.get("id") for v in values],
            "enumNames": [v.get("name") or v.get("id") for v in values],
        }
    elif kind in TYPES:
        prop = dict(TYPES[kind])
    else:
        return None
    prop["title"] = form_field.get("label") or form_field.get("id")
    return prop


def _set_property(extension: etree._Element, name: str, value: str) -> None:
    properties = extension.find(f"{{{SPIFF_NS}}}properties")
    if properties is None:
        properties = etree.SubElement(
            extension, f"{{{SPIFF_NS}}}properties", nsmap={"spiffworkflow": SPIFF_NS}
        )
    etree.SubElement(properties, f"{{{SPIFF_NS}}}property", name=name, value=value)


def _translate_candidate_groups(
    file_name: str, root: etree._Element, known_roles: Mapping[str, Any], result: Translation
) -> None:
    attribute = f"{{{CAMUNDA_NS}}}candidateGroups"
    tasks = {t.get("id"): t for t in root.iter(f"{{{BPMN_NS}}}userTask") if t.get(attribute)}
    for lane in root.iter(f"{{{BPMN_NS}}}lane"):
        members = [tasks[ref.text] for ref in lane.iterfind(f"{{{BPMN_NS}}}flowNodeRef") if ref.text in tasks]
        groups = {t.get(attribute) for t in members}
        if len(groups) != 1:
            continue
        group = groups.pop() or ""
        role = lane.find(f".//{{{SPIFF_NS}}}property[@name='role']")
        if group not in known_roles or (role is not None and role.get("value") != group):
            continue
        if role is None:
            extension = lane.find(f"{{{BPMN_NS}}}extensionElements")
            if extension is None:
                extension = etree.Element(f"{{{BPMN_NS}}}extensionElements")
                lane.insert(0, extension)
            _set_property(extension, "role", group)
            result.notes.append(f"Làn '{lane.get('name')}': candidateGroups '{group}' → vai trò của làn.")
        for task in members:
            del task.attrib[attribute]


def _refuse_leftovers(file_name: str, node: etree._Element, result: Translation) -> None:
    owner = node
    while owner is not None and not owner.get("id"):
        owner = owner.getparent()
    element_id = owner.get("id") if owner is not None else None
    if _is_camunda(node.tag):
        if _is_camunda(node.getparent().tag):
            return  # reported with its Camunda parent
        result.problems.append(
            ModelProblem(file_name, _refusal(etree.QName(node).localname, element=True), element_id)
        )
    for name in list(node.attrib):
        if not _is_camunda(name):
            continue
        local = etree.QName(name).localname
        if local in IGNORED_ATTRIBUTES:
            del node.attrib[name]
            continue
        result.problems.append(ModelProblem(file_name, _refusal(local, element=False), element_id))


def _refusal(local: str, *, element: bool) -> str:
    hints = {
        "candidateGroups": "đặt bước vào một làn có thuộc tính role (vai trò đã khai báo trong lanes.json)",
        "assignee": "DonDoc giao việc theo làn và đơn vị, không theo tên người",
        "candidateUsers": "DonDoc giao việc theo làn và đơn vị, không theo tên người",
        "formKey": "dùng thuộc tính formJsonSchemaFilename trỏ tới biểu mẫu JSON Schema",
        "inputOutput": "gán biến bằng một bước kịch bản (script task)",
        "executionListener": "dùng bước kịch bản; DonDoc không chạy mã Java",
        "taskListener": "dùng bước kịch bản; DonDoc không chạy mã Java",
    }
    what = f"phần tử camunda:{local}" if element else f"thuộc tính camunda:{local}"
    hint = hints.get(local, "DonDoc không hiểu phần mở rộng này của Camunda")
    return f"Tệp vẽ bằng Camunda Modeler: {what} không chuyển được ({hint})."

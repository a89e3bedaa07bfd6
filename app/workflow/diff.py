"""A readable difference between two versions of a process: what an analyst or auditor asks.

Diagram layout (BPMN DI) is left out: moving a box is not a change of the regulation. Elements
are matched by id; for each one the parts the engine reads are compared (name, script, condition,
timer, form, due date, lane role, called decision). Decision tables are compared row by row, forms
field by field, so "the acceptance deadline went from 2 to 3 working days" is one line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from app.workflow.dmn import DecisionTable, read_tables
from app.workflow.xml import parse_model_xml

MAX_BYTES = 16 * 1024 * 1024  # both sides were validated at deploy time; this is a sanity bound
DI_NAMESPACES = ("http://www.omg.org/spec/BPMN/20100524/DI",)
TEXT_PARTS = {
    "script": "kịch bản",
    "conditionExpression": "điều kiện",
    "timeDate": "hẹn giờ",
    "timeDuration": "hẹn giờ",
    "timeCycle": "hẹn giờ",
    "instructionsForEndUser": "hướng dẫn",
    "calledDecisionId": "bảng quyết định được gọi",
}


@dataclass
class Change:
    kind: str  # "added", "removed", "changed"
    area: str  # "Sơ đồ", "Bảng quyết định ...", "Biểu mẫu ...", "Làn"
    element_id: str
    label: str
    details: list[str] = field(default_factory=list)


def diff_versions(old: tuple[str, dict[str, Any]], new: tuple[str, dict[str, Any]]) -> list[Change]:
    """Changes from `old` to `new`, each given as (BPMN text, bundle)."""
    changes = _diff_bpmn(old[0], new[0])
    changes += _diff_dmn(old[1].get("dmn", {}), new[1].get("dmn", {}))
    changes += _diff_forms(old[1].get("forms", {}), new[1].get("forms", {}))
    changes += _diff_lanes(old[1].get("lanes", {}), new[1].get("lanes", {}))
    return changes


def _elements(text: str) -> dict[str, tuple[str, str, dict[str, str]]]:
    root = parse_model_xml(text.encode(), max_bytes=MAX_BYTES)
    found: dict[str, tuple[str, str, dict[str, str]]] = {}
    for node in root.iter():
        if not isinstance(node.tag, str) or not node.get("id"):
            continue
        local = etree.QName(node).localname
        if etree.QName(node).namespace in DI_NAMESPACES or local == "definitions" or _is_definition(local):
            continue
        found[node.get("id", "")] = (etree.QName(node).localname, node.get("name") or "", _signature(node))
    return found


def _is_definition(local: str) -> bool:
    return local.endswith("EventDefinition")  # compared as part of its event


def _signature(node: etree._Element) -> dict[str, str]:
    parts = {f"thuộc tính {k}": v for k, v in node.attrib.items() if k not in {"id", "name"}}
    _collect(node, parts)
    return parts


def _collect(node: etree._Element, parts: dict[str, str]) -> None:
    """Texts and properties of `node`'s own content; an element with its own id speaks for itself."""
    for child in node:
        if not isinstance(child.tag, str):
            continue
        local = etree.QName(child).localname
        if child.get("id") and not _is_definition(local):
            continue
        if local in TEXT_PARTS:
            parts[TEXT_PARTS[local]] = (child.text or "").strip()
        elif local == "property":
            parts[f"thuộc tính {child.get('name')}"] = child.get("value") or ""
        else:
            _collect(child, parts)


def _diff_bpmn(old_text: str, new_text: str) -> list[Change]:
    old, new = _elements(old_text), _elements(new_text)
    changes = [Change("added", "Sơ đồ", i, _label(new[i])) for i in new if i not in old]
    changes += [Change("removed", "Sơ đồ", i, _label(old[i])) for i in old if i not in new]
    for element_id in (i for i in new if i in old):
        (_, old_name, old_sig), (_, new_name, new_sig) = old[element_id], new[element_id]
        details = [f"tên: «{old_name}» → «{new_name}»"] if old_name != new_name else []
        for key in sorted(set(old_sig) | set(new_sig)):
            if old_sig.get(key) != new_sig.get(key):
                details.append(f"{key}: «{old_sig.get(key, '')}» → «{new_sig.get(key, '')}»")
        if details:
            changes.append(Change("changed", "Sơ đồ", element_id, _label(new[element_id]), details))
    return changes


def _label(element: tuple[str, str, dict[str, str]]) -> str:
    kind, name, _ = element
    return f"{name} ({kind})" if name else kind


def _tables(files: dict[str, str]) -> dict[str, DecisionTable]:
    tables: dict[str, DecisionTable] = {}
    for text in files.values():
        for table in read_tables(parse_model_xml(text.encode(), max_bytes=MAX_BYTES)):
            tables[table.decision_id] = table
    return tables


def _diff_dmn(old_files: dict[str, str], new_files: dict[str, str]) -> list[Change]:
    old, new = _tables(old_files), _tables(new_files)
    changes = [Change("added", "Bảng quyết định", i, new[i].decision_name) for i in new if i not in old]
    changes += [Change("removed", "Bảng quyết định", i, old[i].decision_name) for i in old if i not in new]
    for decision_id in (i for i in new if i in old):
        changes += _diff_rows(old[decision_id], new[decision_id])
    return changes


def _row_cells(table: DecisionTable, rule_index: int) -> dict[str, str]:
    rule = table.rules[rule_index]
    cells = {c.label or c.expression: v for c, v in zip(table.inputs, rule.inputs, strict=False)}
    cells.update({c.label or c.expression: v for c, v in zip(table.outputs, rule.outputs, strict=False)})
    cells["Chú thích"] = rule.annotation
    return cells


def _diff_rows(old: DecisionTable, new: DecisionTable) -> list[Change]:
    area = f"Bảng quyết định «{new.decision_name}»"
    old_rows = {r.id: i for i, r in enumerate(old.rules)}
    new_rows = {r.id: i for i, r in enumerate(new.rules)}
    changes = [
        Change("added", area, r, f"dòng {new_rows[r] + 1}", _describe(_row_cells(new, new_rows[r])))
        for r in new_rows
        if r not in old_rows
    ]
    changes += [
        Change("removed", area, r, f"dòng {old_rows[r] + 1}", _describe(_row_cells(old, old_rows[r])))
        for r in old_rows
        if r not in new_rows
    ]
    for rule_id in (r for r in new_rows if r in old_rows):
        before, after = _row_cells(old, old_rows[rule_id]), _row_cells(new, new_rows[rule_id])
        details = [
            f"{column}: «{before.get(column, '')}» → «{after.get(column, '')}»"
            for column in after
            if before.get(column) != after.get(column)
        ]
        if details:
            changes.append(Change("changed", area, rule_id, f"dòng {new_rows[rule_id] + 1}", details))
    return changes


def _describe(cells: dict[str, str]) -> list[str]:
    return [f"{column}: «{value}»" for column, value in cells.items() if value]


def _diff_forms(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = [Change("added", "Biểu mẫu", n, n) for n in new if n not in old]
    changes += [Change("removed", "Biểu mẫu", n, n) for n in old if n not in new]
    for name in (n for n in new if n in old and new[n] != old[n]):
        old_props, new_props = old[name].get("properties", {}), new[name].get("properties", {})
        details = [f"thêm trường «{f}»" for f in new_props if f not in old_props]
        details += [f"bỏ trường «{f}»" for f in old_props if f not in new_props]
        details += [
            f"trường «{f}»: {_short(old_props[f])} → {_short(new_props[f])}"
            for f in new_props
            if f in old_props and old_props[f] != new_props[f]
        ]
        if old[name].get("required") != new[name].get("required"):
            details.append(f"bắt buộc: {old[name].get('required', [])} → {new[name].get('required', [])}")
        changes.append(Change("changed", "Biểu mẫu", name, name, details or ["thay đổi khác"]))
    return changes


def _short(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _diff_lanes(old: dict[str, str], new: dict[str, str]) -> list[Change]:
    return [
        Change("changed", "Làn", lane, lane, [f"vai trò: «{old.get(lane, '')}» → «{new.get(lane, '')}»"])
        for lane in sorted(set(old) | set(new))
        if old.get(lane) != new.get(lane)
    ]

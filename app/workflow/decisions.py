"""Evaluate a DMN decision table outside a process: the numbers a background job needs.

Reminder offsets, escalation steps and the weekly table's day are regulation data kept in
`bpmn/rules/*.dmn`, one row per rule and profile with its legal citation. Jobs ask for the
matching rows here instead of hard-coding the numbers. The table runs on SpiffWorkflow's own DMN
engine with our RestrictedPython script engine, exactly as a business rule task inside a model.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

from app.workflow.errors import ScriptFailed, WorkflowError
from app.workflow.scripting import SCRIPT_ENGINE
from app.workflow.xml import parse_model_xml

MAX_DECISION_BYTES = 512 * 1024


@dataclass(frozen=True)
class _TaskSpec:
    name: str
    bpmn_id: str
    bpmn_name: str
    description: str = "Decision"


class _Workflow:
    script_engine = SCRIPT_ENGINE


class _DecisionTask:
    """The little the DMN engine reads from a task: its data, its workflow's engine, a spec for errors."""

    def __init__(self, decision_id: str, data: dict[str, Any]) -> None:
        self.data = data
        self.workflow = _Workflow()
        self.task_spec = _TaskSpec(decision_id, decision_id, decision_id)


@lru_cache(maxsize=32)
def _engine(dmn_xml: bytes, decision_id: str) -> Any:
    root = parse_model_xml(dmn_xml, max_bytes=MAX_DECISION_BYTES)
    parser = SpiffBpmnParser(validator=VALIDATOR)
    try:
        parser.add_dmn_xml(root)
        return parser.get_engine(decision_id, None)
    except Exception as exc:  # noqa: BLE001 - any parser failure means the table is unusable
        raise WorkflowError(f"Bảng quyết định '{decision_id}' không đọc được: {exc}") from exc


def evaluate_decision(dmn_xml: bytes, decision_id: str, inputs: dict[str, Any]) -> list[dict[str, Any]]:
    """The output rows of `decision_id` that match `inputs`, in table order.

    Each row is a dict of the table's outputs plus `_annotation`, the rule's description (its
    legal citation). A UNIQUE table gives at most one row; COLLECT gives every matching row.
    """
    engine = _engine(dmn_xml, decision_id)
    task = _DecisionTask(decision_id, dict(inputs))
    try:
        rules = engine.decide(task)
        return [{**rule.output_as_dict(task), "_annotation": rule.description or ""} for rule in rules]
    except Exception as exc:  # noqa: BLE001 - a bad expression in a row is the table's fault
        raise ScriptFailed(f"Lỗi khi áp dụng bảng quyết định '{decision_id}': {exc}") from exc

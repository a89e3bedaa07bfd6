"""Evaluate a deployed decision table outside a running process.

Some questions are asked before any process exists: "which periodic reports does the active
regulation profile require this year, and when?" is answered by the same DMN table the report
process reads, taken from the deployed model version (so an administrator's edit, once deployed,
changes both). The table runs in the same restricted script environment as inside the engine.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from app.workflow.errors import ScriptFailed, WorkflowError
from app.workflow.scripting import SCRIPT_ENGINE
from app.workflow.xml import parse_model_xml

MAX_DMN_BYTES = 2 * 1024 * 1024


@dataclass
class _Workflow:
    script_engine: Any


@dataclass
class _Probe:
    """What the DMN engine reads from a task: its data and its workflow's script engine."""

    data: dict[str, Any]
    workflow: _Workflow


@lru_cache(maxsize=32)
def _engine(digest: str, dmn_text: str, decision_id: str) -> DMNEngine:
    root = parse_model_xml(dmn_text.encode(), max_bytes=MAX_DMN_BYTES)
    parser = SpiffBpmnParser()
    parser.add_dmn_xml(root, filename=f"{decision_id}.dmn")
    try:
        return parser.get_engine(decision_id, None)
    except Exception as exc:
        raise WorkflowError(f"Không có bảng quyết định '{decision_id}'.") from exc


def evaluate_decision(dmn_text: str, decision_id: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """Outputs of the matching rule (UNIQUE/FIRST: a dict; COLLECT: a dict of lists; {} if none)."""
    digest = hashlib.sha256(dmn_text.encode()).hexdigest()
    engine = _engine(digest, dmn_text, decision_id)
    try:
        result: dict[str, Any] = engine.result(_Probe(dict(inputs), _Workflow(SCRIPT_ENGINE)))
    except Exception as exc:  # noqa: BLE001 - any failure of a row is a modelling error to report
        raise ScriptFailed(f"Lỗi khi áp dụng bảng quyết định '{decision_id}': {exc}") from exc
    return result

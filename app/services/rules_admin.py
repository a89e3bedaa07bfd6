"""The rules page: the active regulation profile, and the decision tables' numbers with citations.

An administrator changes a number, gives the reason (a new provincial decision, say), and the
change is deployed as a new version of every process that calls the table, through the same
validation as the modeler: new instances follow it, running ones keep theirs until migrated.
The profiles offered are the values the tables already distinguish in their `profile` input
column, so a profile exists exactly when the rules for it do; no profile is named in code.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import AppSetting, AuditEvent, User
from app.services import audit, model_workspace, rules
from app.services.model_workspace import WorkspaceDeploy, WorkspaceError
from app.workflow.dmn import CellEdit, DecisionTable, Rule, apply_edits, read_tables, to_bytes
from app.workflow.xml import parse_model_xml

PROFILE_KEY = rules.PROFILE_KEY
PROFILE_INPUT = "profile"
HISTORY_ACTIONS = ("rules_cells_changed", "rules_profile_changed")


@dataclass(frozen=True)
class RuleFile:
    path: str
    tables: list[DecisionTable]


def _max_bytes() -> int:
    return int(current_app.config["DONDOC_MAX_MODEL_BYTES"])


def rule_files() -> list[RuleFile]:
    """Every decision table of the workspace, as deployed, grouped by file."""
    out = []
    for row in model_workspace.files():
        if row.kind == "dmn" and row.content:
            root = parse_model_xml(row.content.encode(), max_bytes=_max_bytes())
            out.append(RuleFile(row.path, read_tables(root)))
    return out


def known_profiles() -> list[str]:
    """Profile ids named in the tables' `profile` input column (string literals only)."""
    found: set[str] = set()
    for rule_file in rule_files():
        for table in rule_file.tables:
            columns = [i for i, c in enumerate(table.inputs) if c.expression.strip() == PROFILE_INPUT]
            for rule in table.rules:
                for index in columns:
                    found.update(_string_literals(rule.inputs[index]))
    return sorted(found)


def _string_literals(entry: str) -> set[str]:
    try:
        value = ast.literal_eval(entry) if entry else None
    except (ValueError, SyntaxError):
        return set()
    values = value if isinstance(value, tuple | list) else [value]
    return {v for v in values if isinstance(v, str)}


def active_profile() -> str | None:
    """The profile in force: the setting, else the default of the catalogue (bpmn/rules/profiles.json)
    that registration uses too, so this page shows what new directives actually follow."""
    return rules.active_profile()


def set_profile(profile: str, *, actor: User, reason: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise WorkspaceError("Vui lòng ghi lý do đổi bộ quy định.")
    if profile not in known_profiles():
        raise WorkspaceError(f"Không có bộ quy định '{profile}' trong các bảng quyết định.")
    previous = active_profile()
    if previous == profile:
        raise WorkspaceError("Bộ quy định này đang được áp dụng.")
    setting = db.session.get(AppSetting, PROFILE_KEY)
    if setting is None:
        db.session.add(AppSetting(key=PROFILE_KEY, value=profile))
    else:
        setting.value = profile
    audit.record(
        "rules_profile_changed",
        actor_id=actor.id,
        details={"from": previous, "to": profile, "reason": reason},
    )


def change_rules(path: str, edits: list[CellEdit], *, actor: User, reason: str) -> WorkspaceDeploy:
    """Write the changed cells into the table file and deploy it; refused when nothing changed."""
    row = model_workspace.get(path)
    if row is None or row.kind != "dmn":
        raise WorkspaceError("Không tìm thấy bảng quyết định.")
    if not (reason or "").strip():
        raise WorkspaceError("Vui lòng ghi lý do thay đổi quy định (ví dụ số, ngày của văn bản sửa đổi).")
    root = parse_model_xml(row.content.encode(), max_bytes=_max_bytes())
    before = {r.id: r for t in read_tables(root) for r in t.rules}
    changed = apply_edits(root, edits)
    if not changed:
        raise WorkspaceError("Không có ô nào thay đổi.")
    result = model_workspace.deploy({path: to_bytes(root)}, actor=actor, note=reason, action="rules_changed")
    cells = [
        {
            "rule": e.rule_id,
            "row": before[e.rule_id].row,
            "kind": e.kind,
            "column": e.index,
            "from": _old_text(before[e.rule_id], e),
            "to": e.text,
        }
        for e in changed
    ]
    audit.record(
        "rules_cells_changed",
        actor_id=actor.id,
        details={"file": path, "cells": cells, "reason": reason, "versions": result.new_versions},
    )
    return result


def _old_text(rule: Rule, edit: CellEdit) -> str:
    if edit.kind == "annotation":
        return rule.annotation
    return (rule.inputs if edit.kind == "input" else rule.outputs)[edit.index]


def history(limit: int = 50) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action.in_(HISTORY_ACTIONS))
            .order_by(AuditEvent.id.desc())
            .limit(limit)
        )
    )

"""Who may take a work item: a BPMN lane's role code resolved against the process data.

Lanes carry a role code (`office`, `lead_agency`...); `bpmn/lanes.json` says which user role in
which unit that means, the unit being read from the process data: an id (`office_unit_id`) or a
unit code (`lead_unit`), since a model may change it from a form (another lead agency, a section);
`unit_from` may list several keys, the first one present wins.
Adding a lane kind is a data change, not a code change. A lane whose role depends on the case (the
competent leader of an inspection is the Chairman, a department head or the Office chief) names
the process-data key holding that role in `role_from`; `user_role` is then the fallback.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Unit
from app.workflow import WorkflowError, batch_memo


@cache
def _lane_table(path: str) -> dict[str, dict[str, Any]]:
    loaded: dict[str, dict[str, Any]] = json.loads(Path(path).read_text(encoding="utf-8"))
    return loaded


def lane_table() -> dict[str, dict[str, Any]]:
    return _lane_table(str(Path(current_app.config["DONDOC_BPMN_DIR"]) / "lanes.json"))


def assign(lane_role: str, data: dict[str, Any]) -> tuple[str, int]:
    """(user role, unit id) of the people who may take a work item in a lane with `lane_role`."""
    entry = lane_table().get(lane_role)
    if entry is None:
        raise WorkflowError(f"Làn có vai trò '{lane_role}' không được khai báo trong lanes.json.")
    unit_id = unit_for(entry, data)
    if unit_id is None:
        keys = " hoặc ".join(_unit_keys(entry))
        raise WorkflowError(f"Dữ liệu quy trình thiếu '{keys}' để giao việc cho làn '{lane_role}'.")
    role = data.get(entry["role_from"]) if "role_from" in entry else None
    return str(role or entry["user_role"]), unit_id


def _unit_keys(entry: dict[str, Any]) -> list[str]:
    keys = entry["unit_from"]
    return [str(k) for k in keys] if isinstance(keys, list) else [str(keys)]


def unit_for(entry: dict[str, Any], data: dict[str, Any]) -> int | None:
    """The unit of a lanes.json entry in this process data: the first of its `unit_from` keys that
    holds a unit id or code (notifications resolve lanes the same way)."""
    value = next((data[k] for k in _unit_keys(entry) if data.get(k) not in (None, "")), None)
    return value if isinstance(value, int) else _unit_id_by_code(value)


def _unit_id_by_code(code: Any) -> int | None:
    if not isinstance(code, str) or not code:
        return None
    found: int | None = batch_memo(
        ("unit_id_by_code", code), lambda: db.session.scalar(select(Unit.id).where(Unit.code == code))
    )
    return found

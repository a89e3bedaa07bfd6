"""Regulation numbers the background jobs need, read from the decision tables under `bpmn/rules/`.

The active regulation profile is the one `app.services.rules.active_profile` names
(`app_setting['rules.profile']`, else the catalogue's default in `bpmn/rules/profiles.json`); when
there is neither, or when a table has no row for it, the table's `"default"` rows apply. Nothing
here knows a profile by name: the tables do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app

from app.services import model_workspace, rules
from app.workflow import evaluate_decision

DEFAULT_PROFILE = "default"
REMINDERS_FILE = "reminders.dmn"
WEEKLY_FILE = "weekly_overdue.dmn"
RESULT_WINDOW_FILE = "result_entry_window.dmn"
DEFAULT_RESULT_WINDOW_DAYS = 3  # QĐ 42/2014/QĐ-TTg, the national default the tables cite


@dataclass(frozen=True)
class ReminderRule:
    """One row of `reminder_policy`: `offset` working days from the deadline, who is told what."""

    code: str
    offset: int
    kind: str
    recipients: tuple[str, ...]
    citation: str


@dataclass(frozen=True)
class WeeklyPolicy:
    weekday: int
    is_enabled: bool
    citation: str


def active_profile() -> str:
    """The profile in force (see `app.services.rules.active_profile`), else the tables' default rows."""
    return rules.active_profile() or DEFAULT_PROFILE


def _table(file_name: str) -> bytes:
    """The table as last deployed (model workspace), so a change made on the rules page or in the
    modeler applies to the jobs with no code change; the `bpmn/` file only before the first import."""
    stored = model_workspace.get(f"rules/{file_name}")
    if stored is not None and stored.content:
        return stored.content.encode()
    return (Path(current_app.config["DONDOC_BPMN_DIR"]) / "rules" / file_name).read_bytes()


def _rows(file_name: str, decision_id: str, inputs: dict[str, Any]) -> list[dict[str, Any]]:
    rows = evaluate_decision(_table(file_name), decision_id, inputs)
    if not rows and inputs.get("profile") != DEFAULT_PROFILE:
        rows = evaluate_decision(_table(file_name), decision_id, {**inputs, "profile": DEFAULT_PROFILE})
    return rows


def reminder_rules(subject: str, profile: str | None = None) -> list[ReminderRule]:
    """The reminder and escalation rules for `subject` ("task" or "work_item") under a profile."""
    rows = _rows(
        REMINDERS_FILE, "reminder_policy", {"profile": profile or active_profile(), "subject": subject}
    )
    return [
        ReminderRule(
            code=str(row["rule_code"]),
            offset=int(row["offset"]),
            kind=str(row["kind"]),
            recipients=tuple(r.strip() for r in str(row["recipients"]).split(",") if r.strip()),
            citation=str(row.get("_annotation") or ""),
        )
        for row in rows
    ]


def result_window_days(profile: str | None = None) -> int:
    """R7: working days after a task's deadline within which its status and result must be entered
    (`result_entry_window`, the table `task_lifecycle` computes `task.result_due_on` from)."""
    rows = _rows(RESULT_WINDOW_FILE, "result_entry_window", {"profile": profile or active_profile()})
    value = rows[0].get("result_window_days") if rows else None
    return int(value) if value is not None else DEFAULT_RESULT_WINDOW_DAYS


def weekly_policy(profile: str | None = None) -> WeeklyPolicy:
    rows = _rows(WEEKLY_FILE, "weekly_overdue_policy", {"profile": profile or active_profile()})
    if not rows:
        return WeeklyPolicy(weekday=4, is_enabled=False, citation="")
    row = rows[0]
    return WeeklyPolicy(int(row["weekday"]), bool(row["is_enabled"]), str(row.get("_annotation") or ""))

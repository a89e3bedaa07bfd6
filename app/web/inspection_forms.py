"""Turn the inspection pages' HTML posts into the JSON the process forms expect, and back for prefill.

The proposal and the result report hold lists (inspected units, team members, conclusions,
recommendations) that the generic form renderer does not draw; these pages draw them and submit the
same JSON a client of the API would, validated by the same JSON Schema.
"""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from app.forms.coerce import coerce_form, parse_user_date
from app.models import Inspection

TEAM_ROWS = 6
RECOMMENDATION_ROWS = 5
PROPOSAL_FORM = "inspection_proposal.json"
REPORT_FORM = "inspection_report.json"


def _date(form: MultiDict[str, str], name: str) -> str | None:
    raw = form.get(name, "").strip()
    return (parse_user_date(raw) or raw) if raw else None


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    if value not in (None, "", []):
        data[key] = value


def proposal_data(form: MultiDict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key in ("title", "legal_basis", "scope", "content", "note"):
        _put(data, key, form.get(key, "").strip())
    for key in ("starts_on", "ends_on", "documents_due_on"):
        _put(data, key, _date(form, key))
    _put(data, "subject_unit_ids", [int(v) for v in form.getlist("subject_unit_ids") if v.isdigit()])
    team = []
    for i in range(TEAM_ROWS):
        name = form.get(f"team-{i}-full_name", "").strip()
        if not name:
            continue
        row = {"full_name": name, "role": form.get(f"team-{i}-role", "member")}
        for key in ("position", "username"):
            _put(row, key, form.get(f"team-{i}-{key}", "").strip())
        team.append(row)
    _put(data, "team", team)
    return data


def report_data(form: MultiDict[str, str], inspection: Inspection) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key in ("report_number", "report_symbol", "evaluation"):
        _put(data, key, form.get(key, "").strip())
    conclusions = []
    for subject in inspection.subjects:
        prefix = f"c-{subject.unit_id}-"
        finding = form.get(prefix + "finding", "").strip()
        if not finding:
            continue
        row: dict[str, Any] = {
            "unit_id": subject.unit_id,
            "finding": finding,
            "severity": form.get(prefix + "severity", "none"),
        }
        for key in ("nature", "cause", "responsibility"):
            _put(row, key, form.get(prefix + key, "").strip())
        conclusions.append(row)
    _put(data, "conclusions", conclusions)
    recommendations = []
    for i in range(RECOMMENDATION_ROWS):
        content = form.get(f"r-{i}-content", "").strip()
        if not content:
            continue
        rec: dict[str, Any] = {"content": content}
        unit = form.get(f"r-{i}-lead_unit_id", "")
        rec["lead_unit_id"] = int(unit) if unit.isdigit() else unit
        _put(rec, "due_on", _date(form, f"r-{i}-due_on"))
        recommendations.append(rec)
    data["recommendations"] = recommendations
    return data


def step_data(
    form_name: str | None, schema: dict[str, Any], form: MultiDict[str, str], inspection: Inspection
) -> dict[str, Any]:
    if form_name == PROPOSAL_FORM:
        return proposal_data(form)
    if form_name == REPORT_FORM:
        return report_data(form, inspection)
    return coerce_form(schema, form)


def proposal_values(inspection: Inspection, suggested: list[int]) -> dict[str, Any]:
    """Prefill: what the inspection holds (after a revision request), else the opening's suggestions."""
    values: dict[str, Any] = {
        "title": inspection.title,
        "legal_basis": inspection.legal_basis or "",
        "scope": inspection.scope or "",
        "content": inspection.content or "",
        "starts_on": inspection.starts_on,
        "ends_on": inspection.ends_on,
        "documents_due_on": inspection.documents_due_on,
        "subject_unit_ids": [s.unit_id for s in inspection.subjects] or suggested,
        "team": [
            {
                "full_name": m.full_name,
                "position": m.position or "",
                "role": m.role,
                "username": m.user.username if m.user else "",
            }
            for m in inspection.members
            if m.role != "invited"
        ],
    }
    return values


def report_values(inspection: Inspection) -> dict[str, Any]:
    return {
        "report_number": inspection.report_number or "",
        "report_symbol": inspection.report_symbol or "BC-ĐKT",
        "evaluation": inspection.evaluation or "",
        "conclusions": {c.unit_id: c for c in inspection.conclusions},
        "recommendations": list(inspection.recommendations),
    }

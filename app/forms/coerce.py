"""Turn the strings of an HTML form post into the typed values the JSON Schema describes.

Dates are typed dd/mm/yyyy by Vietnamese users and stored ISO (YYYY-MM-DD); empty inputs are
left out so that `required` reports them instead of a type error.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from werkzeug.datastructures import MultiDict

DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def parse_user_date(text: str) -> str | None:
    """dd/mm/yyyy (or ISO) -> ISO date, or None when it is not a real date."""
    match = DMY.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return datetime(year, month, day).date().isoformat()
        return datetime.strptime(text.strip(), "%Y-%m-%d").date().isoformat()
    except ValueError:
        return None


def _coerce(prop: dict[str, Any], raw: str) -> Any:
    kind = prop.get("type")
    if kind == "integer":
        return int(raw) if re.fullmatch(r"-?\d+", raw.strip()) else raw
    if kind == "number":
        try:
            return float(raw.replace(",", "."))
        except ValueError:
            return raw
    if kind == "boolean":
        return raw in {"on", "true", "1", "yes"}
    if kind == "string" and prop.get("format") == "date":
        return parse_user_date(raw) or raw
    return raw.strip()


def coerce_form(schema: dict[str, Any], form: MultiDict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, prop in schema.get("properties", {}).items():
        if prop.get("type") == "array":
            values = [v for v in form.getlist(name) if v.strip()]
            if values:
                data[name] = [_coerce(prop.get("items", {}), v) for v in values]
            continue
        if prop.get("type") == "boolean":
            data[name] = _coerce(prop, form.get(name, ""))
            continue
        raw = form.get(name, "")
        if raw.strip():
            data[name] = _coerce(prop, raw)
    return data

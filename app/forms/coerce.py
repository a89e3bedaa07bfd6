"""Turn the strings of an HTML form post into the typed values the JSON Schema describes.

Dates are typed dd/mm/yyyy by Vietnamese users and stored ISO (YYYY-MM-DD); empty inputs are
left out so that `required` reports them instead of a type error. A value that cannot be
converted is kept as typed, so the page shows it again next to its error message.
Repeated groups post their cells as `group.<row>.<field>`; rows left entirely empty are dropped.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from werkzeug.datastructures import MultiDict

DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
TRUE_WORDS = {"on", "true", "1", "yes", "co"}
FALSE_WORDS = {"false", "0", "no", "khong"}


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
        word = raw.strip().lower()
        return True if word in TRUE_WORDS else False if word in FALSE_WORDS else raw
    if kind == "string" and prop.get("format") == "date":
        return parse_user_date(raw) or raw
    return raw.strip()


def is_group(prop: dict[str, Any]) -> bool:
    return prop.get("type") == "array" and prop.get("items", {}).get("type") == "object"


def _group_rows(name: str, prop: dict[str, Any], form: MultiDict[str, str]) -> list[dict[str, Any]]:
    pattern = re.compile(rf"^{re.escape(name)}\.(\d+)\.(\w+)$")
    cells: dict[int, dict[str, str]] = {}
    for key in form.keys():
        match = pattern.match(key)
        if match:
            cells.setdefault(int(match.group(1)), {})[match.group(2)] = form.get(key, "")
    item_schema = prop.get("items", {})
    rows = []
    for index in sorted(cells):
        row = _coerce_fields(item_schema, {k: [v] for k, v in cells[index].items()}, checkbox_false=False)
        if any(v not in ("", None, []) for v in row.values()):
            rows.append(row)
    return rows


def _coerce_fields(
    schema: dict[str, Any], form: dict[str, list[str]], *, checkbox_false: bool
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, prop in schema.get("properties", {}).items():
        values = [v for v in form.get(name, []) if v.strip()]
        if prop.get("type") == "array":
            if values:
                data[name] = [_coerce(prop.get("items", {}), v) for v in values]
        elif values:
            data[name] = _coerce(prop, values[0])
        elif prop.get("type") == "boolean" and checkbox_false:
            data[name] = False
    return data


def coerce_form(
    schema: dict[str, Any], form: MultiDict[str, str], ui: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Typed data from a post. An unanswered yes/no question stays absent (so `required` tells),
    except a field the UI schema shows as a single checkbox, where unticked means False."""
    ui = ui or {}
    plain = {k: form.getlist(k) for k in form.keys()}
    data = _coerce_fields(schema, plain, checkbox_false=False)
    for name, prop in schema.get("properties", {}).items():
        if is_group(prop):
            rows = _group_rows(name, prop, form)
            if rows:
                data[name] = rows
            else:
                data.pop(name, None)
        elif prop.get("type") == "boolean" and name not in data:
            if ui.get(name, {}).get("ui:widget") == "checkbox":
                data[name] = False
    return data

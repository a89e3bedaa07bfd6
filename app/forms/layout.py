"""Decide how each field of a JSON Schema form is shown, so templates stay simple.

The JSON Schema says what the data are; an optional UI schema (deployed with the model, like the
form) says how to show them: `ui:order`, `ui:widget` (textarea, select, radio, checkbox),
`ui:help`, `ui:placeholder`. Without one, sensible widgets follow from the types: a short list is
radio buttons, a long one a drop-down, a list of choices with `"type": "array"` is check boxes,
`"format": "file"` is an upload, an array of objects is a repeated group of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.forms.coerce import is_group

RADIO_LIMIT = 5


@dataclass
class Field:
    name: str  # the HTML name: "reason", or "members.0.role" inside a group
    key: str  # the property name in the schema
    label: str
    widget: str
    required: bool
    value: Any
    error: str | None
    help: str | None = None
    placeholder: str | None = None
    options: list[tuple[Any, str]] = field(default_factory=list)
    rows: list[list[Field]] = field(default_factory=list)  # groups: one list of cells per row
    template: list[Field] = field(default_factory=list)  # groups: an empty row with "__i__"
    min_rows: int = 0

    @property
    def html_id(self) -> str:
        return "f-" + self.name.replace(".", "-")


def _options(prop: dict[str, Any]) -> list[tuple[Any, str]]:
    values = prop.get("enum", [])
    names = prop.get("enumNames") or [str(v) for v in values]
    return list(zip(values, names, strict=False))


def _widget(prop: dict[str, Any], ui: dict[str, Any]) -> str:
    chosen = ui.get("ui:widget")
    if is_group(prop):
        return "group"
    if prop.get("type") == "array":
        return "checkboxes"
    if prop.get("format") == "file":
        return "file"
    if prop.get("type") == "boolean":
        return "checkbox" if chosen == "checkbox" else "yesno"
    if "enum" in prop:
        if chosen in {"select", "radio"}:
            return str(chosen)
        return "radio" if len(prop["enum"]) <= RADIO_LIMIT else "select"
    if prop.get("format") == "date":
        return "date"
    if prop.get("format") == "textarea" or chosen == "textarea":
        return "textarea"
    if prop.get("type") in {"integer", "number"}:
        return "number"
    return "text"


def _ordered(schema: dict[str, Any], ui: dict[str, Any]) -> list[str]:
    names = list(schema.get("properties", {}))
    order = [n for n in ui.get("ui:order", []) if n in names]
    return order + [n for n in names if n not in order]


def build_fields(
    schema: dict[str, Any],
    ui: dict[str, Any] | None,
    values: dict[str, Any],
    errors: dict[str, str],
    prefix: str = "",
) -> list[Field]:
    ui = ui or {}
    required = set(schema.get("required", []))
    fields = []
    for key in _ordered(schema, ui):
        prop = schema["properties"][key]
        hints = ui.get(key, {})
        name = f"{prefix}{key}"
        item = Field(
            name=name,
            key=key,
            label=str(prop.get("title", key)),
            widget=_widget(prop, hints),
            required=key in required,
            value=values.get(key),
            error=errors.get(name),
            help=hints.get("ui:help") or prop.get("description"),
            placeholder=hints.get("ui:placeholder"),
            options=_options(prop.get("items", {}) if prop.get("type") == "array" else prop),
        )
        if item.widget == "group":
            _fill_group(item, prop, hints, errors)
        fields.append(item)
    return fields


def _fill_group(item: Field, prop: dict[str, Any], hints: dict[str, Any], errors: dict[str, str]) -> None:
    """Existing rows, then enough empty ones to reach minItems (at least one to type into)."""
    row_schema = prop.get("items", {})
    row_ui = hints.get("items", {})
    rows = [r for r in (item.value or []) if isinstance(r, dict)]
    item.min_rows = int(prop.get("minItems", 0))
    while len(rows) < max(item.min_rows, 1):
        rows.append({})
    item.rows = [
        build_fields(row_schema, row_ui, row, errors, prefix=f"{item.name}.{i}.")
        for i, row in enumerate(rows)
    ]
    item.template = build_fields(row_schema, row_ui, {}, {}, prefix=f"{item.name}.__i__.")

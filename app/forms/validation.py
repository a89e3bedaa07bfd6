"""Validate submitted data against a form's JSON Schema, with messages a clerk understands.

jsonschema's own messages are English and technical; each failing keyword is turned into a
Vietnamese sentence naming the field by its title, keyed by the field's path (`reason`,
`members.1.role` inside a repeated group) so the form can show it next to the input.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError


class FormInvalid(ValueError):
    """Submitted data do not satisfy the form; `errors` maps a field path to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _prop_at(schema: dict[str, Any], path: list[Any]) -> dict[str, Any]:
    """The sub-schema of the field at `path` (property names and row numbers)."""
    node = schema
    for step in path:
        if isinstance(step, int):
            node = node.get("items", {})
        else:
            node = node.get("properties", {}).get(str(step), {})
    return node


def _message(error: ValidationError, prop: dict[str, Any], title: str) -> str:
    value = error.validator_value
    if error.validator == "format" and prop.get("format") == "date":
        return f"«{title}» không đúng định dạng (ngày viết dd/mm/yyyy)."
    messages = {
        "required": f"Vui lòng nhập «{title}».",
        "type": f"«{title}» không đúng kiểu dữ liệu.",
        "enum": f"«{title}»: vui lòng chọn một giá trị trong danh sách.",
        "minLength": f"«{title}» cần ít nhất {value} ký tự.",
        "maxLength": f"«{title}» dài quá {value} ký tự.",
        "minimum": f"«{title}» phải từ {value} trở lên.",
        "maximum": f"«{title}» không được lớn hơn {value}.",
        "format": f"«{title}» không đúng định dạng.",
        "minItems": f"«{title}» cần ít nhất {value} mục.",
        "maxItems": f"«{title}» có nhiều nhất {value} mục.",
        "uniqueItems": f"«{title}» có mục bị trùng.",
        "pattern": f"«{title}» không đúng định dạng.",
        "const": f"«{title}» không hợp lệ.",
    }
    return messages.get(str(error.validator), f"«{title}» không hợp lệ.")


def with_defaults(schema: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """`data` with the schema's top-level defaults for the fields a client left out.

    Applied after validation, so a required field left out is still reported as missing; the
    model's scripts then read every field of the form, blank or chosen by default, the same
    whether it came from the web page (which shows the defaults pre-filled) or from the API.
    """
    filled = dict(data)
    for name, prop in schema.get("properties", {}).items():
        if name not in filled and "default" in prop:
            filled[name] = prop["default"]
    return filled


def _key(path: list[Any]) -> str:
    return ".".join(str(p) for p in path) if path else "_form"


def validate_form(schema: dict[str, Any], data: dict[str, Any]) -> None:
    """Raise `FormInvalid` listing every problem; unknown fields are refused too."""
    errors: dict[str, str] = {}
    allowed = set(schema.get("properties", {}))
    for extra in sorted(set(data) - allowed):
        errors[extra] = "Trường này không có trong biểu mẫu."
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.path]):
        path = list(error.path)
        if error.validator == "required":
            missing = [f for f in error.validator_value if f not in (error.instance or {})]
            for field in missing:
                prop = _prop_at(schema, [*path, field])
                errors.setdefault(_key([*path, field]), _message(error, prop, str(prop.get("title", field))))
            continue
        if error.validator == "enum" and path and isinstance(path[-1], int):
            path = path[:-1]  # one message for a multi-choice list, not one per ticked box
        prop = _prop_at(schema, path)
        title = str(prop.get("title", path[-1] if path else "biểu mẫu"))
        errors.setdefault(_key(path), _message(error, prop, title))
    if errors:
        raise FormInvalid(errors)

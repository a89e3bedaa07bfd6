"""Refuse model scripts that reach for what a deadline rule never needs: imports, dunders, files.

RestrictedPython (see `scripting.py`) is the second gate: it refuses names and attributes that
start with "_" but lets `import os` and `open(...)` compile, failing only when they run. An analyst
must learn at deploy time, in words they understand and with the line, that the script is refused,
so this module reads the script's syntax tree first and names every forbidden construct.
"""

from __future__ import annotations

import ast

# Builtins that open files, run code or reach objects' internals, refused when called (a form
# field may well be named `file`): none is in the restricted builtins, but naming them at deploy
# time beats a NameError on a live process.
FORBIDDEN_CALLS = frozenset(
    {
        "open",
        "file",
        "exec",
        "eval",
        "compile",
        "__import__",
        "globals",
        "locals",
        "vars",
        "getattr",
        "setattr",
        "delattr",
        "breakpoint",
    }
)


def unsafe_constructs(text: str, *, mode: str = "exec") -> list[str]:
    """Vietnamese reasons why `text` is refused; empty when the script may be compiled.

    A syntax error is reported too, with its line, so the caller needs no second parse.
    """
    try:
        tree = ast.parse(text, mode=mode)
    except SyntaxError as exc:
        return [f"Lỗi cú pháp ở dòng {exc.lineno}: {exc.msg}."]
    reasons: list[str] = []
    for node in ast.walk(tree):
        reason = _reason(node)
        if reason and reason not in reasons:
            reasons.append(reason)
    return reasons


def _reason(node: ast.AST) -> str | None:
    line = getattr(node, "lineno", "?")
    if isinstance(node, ast.Import | ast.ImportFrom):
        return f"Dòng {line}: kịch bản không được nạp thư viện (import) vì lý do an toàn."
    if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
        return (
            f"Dòng {line}: kịch bản dùng thuộc tính ẩn '{node.attr}' (bắt đầu bằng dấu _): "
            "không được phép vì lý do an toàn."
        )
    if isinstance(node, ast.Name) and node.id.startswith("_"):
        return f"Dòng {line}: tên '{node.id}' bắt đầu bằng dấu _: không được phép vì lý do an toàn."
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS:
        return (
            f"Dòng {line}: kịch bản không được gọi '{node.func.id}' "
            "(mở tệp, chạy mã khác hoặc truy cập nội bộ hệ thống)."
        )
    if isinstance(node, ast.Global | ast.Nonlocal | ast.ClassDef | ast.AsyncFunctionDef):
        kind = type(node).__name__
        return f"Dòng {line}: cấu trúc '{kind}' không được dùng trong kịch bản quy trình."
    return None

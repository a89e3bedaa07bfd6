"""Evaluate every timer and due-date expression against sample data before a model is deployed.

SpiffWorkflow evaluates a timer text once, when the timer starts waiting; a text that fails or
yields something other than an ISO 8601 instant or duration raises then, and the timer never fires.
Compiling is not enough (`end_of_day(due_on) + 1` compiles), so each expression is run here with
the calendar helpers and sample values: values of the decision tables' outputs (a table names its
result, e.g. `accept_days`, and its first row gives a typed example) and, for any other name, a
sample date, number or text tried in turn. The expression passes if one such sample yields a
valid result; otherwise the analyst gets the engine's own complaint.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from app.workflow.dmn import read_tables
from app.workflow.scripting import _guards, compile_expression

SAMPLE_DATE = "2026-03-02"
FALLBACKS: tuple[Any, ...] = (SAMPLE_DATE, 2, "mẫu", False)
MAX_UNKNOWN = 4


def _check_instant(value: Any) -> None:
    TimerEventDefinition.get_datetime(str(value))


def _check_duration(value: Any) -> None:
    text = str(value)
    if not text.upper().startswith("P"):
        raise ValueError(f'\'{text}\' không phải khoảng thời gian ISO 8601 (ví dụ "P2D", "PT4H")')
    TimerEventDefinition.parse_iso_duration(text)


def _check_cycle(value: Any) -> None:
    text = str(value)
    if not text.upper().startswith("R"):
        raise ValueError(f"'{text}' không phải chu kỳ ISO 8601 (ví dụ \"R3/PT1H\")")
    TimerEventDefinition.parse_iso_recurring_interval(text)


def _check_date(value: Any) -> None:
    if value is None:
        return
    date.fromisoformat(str(value)[:10])


CHECKS: dict[str, tuple[Callable[[Any], None], str]] = {
    "timeDate": (_check_instant, "một thời điểm ISO 8601 (ví dụ end_of_day(due_on))"),
    "timeDuration": (_check_duration, 'một khoảng thời gian ISO 8601 (ví dụ "P2D")'),
    "timeCycle": (_check_cycle, 'một chu kỳ ISO 8601 (ví dụ "R3/P1D")'),
    "dueOn": (_check_date, "một ngày (YYYY-MM-DD)"),
}


def sample_problem(kind: str, text: str, known: dict[str, Any]) -> str | None:
    """Why `text` (a timer or due-date expression of `kind`) fails on sample data, or None."""
    check, expected = CHECKS[kind]
    try:
        code = compile_expression(text)
    except SyntaxError as exc:
        return f"không đọc được: {exc}"
    environment = _guards()
    missing = sorted(_called(text) - set(environment))
    if missing:
        helpers = ", ".join(
            sorted(n for n, v in environment.items() if callable(v) and not n.startswith("_"))
        )
        return f"gọi hàm không có: {', '.join(missing)} (các hàm dùng được: {helpers})."
    unknown = sorted(_names(text) - set(environment) - set(known))[:MAX_UNKNOWN]
    first_error: str | None = None
    for combination in itertools.product(FALLBACKS, repeat=len(unknown)):
        data = {**environment, **known, **dict(zip(unknown, combination, strict=True))}
        try:
            value = eval(code, data)  # noqa: S307 - restricted code, sample data only
            check(value)
            return None
        except Exception as exc:  # noqa: BLE001 - any failure here is the analyst's to read
            first_error = first_error or f"{type(exc).__name__}: {exc}"
    return f"không tính được với dữ liệu mẫu ({first_error}); kết quả phải là {expected}."


def _called(text: str) -> set[str]:
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return set()
    return {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }


def _names(text: str) -> set[str]:
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return set()
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def decision_samples(dmn_roots: Iterable[etree._Element]) -> dict[str, Any]:
    """Typed examples of the variables decision tables produce: each output's first readable value."""
    environment = _guards()
    samples: dict[str, Any] = {}
    for root in dmn_roots:
        for table in read_tables(root):
            for index, column in enumerate(table.outputs):
                if not column.expression or column.expression in samples:
                    continue
                for rule in table.rules:
                    try:
                        samples[column.expression] = eval(  # noqa: S307 - restricted code
                            compile_expression(rule.outputs[index]), dict(environment)
                        )
                        break
                    except Exception:  # noqa: BLE001, S112 - the lint reports unreadable outputs
                        continue
    return samples

"""Decision tables as data: read them, lint them before deploy, and change cells for the rules page.

SpiffWorkflow evaluates DMN input entries as Python, not FEEL: an entry that compiles alone is
compared with `==` (`"tinh-x-2024"`, `3`), otherwise it is appended to the input expression
(`< 5`, `>= 3`), and `?` stands for the input (`2 < ? <= 7`). Under the UNIQUE hit policy the
engine takes the first matching rule without checking that no other rule matches, so an
overlapping table silently depends on row order: the lint refuses it. Every rule must also carry
its legal citation in the annotation column, because an administrator changing a number has to
see which article it comes from.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from lxml import etree

from app.workflow.errors import ModelProblem
from app.workflow.safety import unsafe_constructs
from app.workflow.scripting import compile_expression

SUPPORTED_HIT_POLICIES = ("UNIQUE", "COLLECT")
_QUESTION = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")  # the engine's own pattern


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    expression: str  # input expression, or the output's variable name


@dataclass(frozen=True)
class Rule:
    id: str
    row: int
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    annotation: str


@dataclass(frozen=True)
class DecisionTable:
    decision_id: str
    decision_name: str
    hit_policy: str
    inputs: tuple[Column, ...]
    outputs: tuple[Column, ...]
    rules: tuple[Rule, ...]


def _text(node: etree._Element | None) -> str:
    if node is None:
        return ""
    found = node.find("{*}text")
    return (found.text or "").strip() if found is not None else ""


def read_tables(root: etree._Element) -> list[DecisionTable]:
    """Every decision table of a parsed DMN file, in document order."""
    tables = []
    for decision in root.iter("{*}decision"):
        table = decision.find("{*}decisionTable")
        if table is None:
            continue
        inputs = tuple(
            Column(i.get("id", ""), i.get("label") or "", _text(i.find("{*}inputExpression")))
            for i in table.iterfind("{*}input")
        )
        outputs = tuple(
            Column(o.get("id", ""), o.get("label") or o.get("name") or "", o.get("name") or "")
            for o in table.iterfind("{*}output")
        )
        rules = tuple(
            Rule(
                id=rule.get("id", ""),
                row=index,
                inputs=tuple(_text(e) for e in rule.iterfind("{*}inputEntry")),
                outputs=tuple(_text(e) for e in rule.iterfind("{*}outputEntry")),
                annotation=(getattr(rule.find("{*}description"), "text", None) or "").strip(),
            )
            for index, rule in enumerate(table.iterfind("{*}rule"), start=1)
        )
        tables.append(
            DecisionTable(
                decision_id=decision.get("id", ""),
                decision_name=decision.get("name") or decision.get("id", ""),
                hit_policy=(table.get("hitPolicy") or "UNIQUE").upper(),
                inputs=inputs,
                outputs=outputs,
                rules=rules,
            )
        )
    return tables


def lint(file_name: str, root: etree._Element) -> list[ModelProblem]:
    """Problems of every table in one DMN file, each pinned to its decision or rule."""
    problems: list[ModelProblem] = []
    for table in read_tables(root):
        problems.extend(_lint_table(file_name, table))
    return problems


def _lint_table(file_name: str, table: DecisionTable) -> list[ModelProblem]:
    problems: list[ModelProblem] = []
    where = f"Bảng '{table.decision_name}'"
    if table.hit_policy not in SUPPORTED_HIT_POLICIES:
        problems.append(
            ModelProblem(
                file_name,
                f"{where}: chính sách chọn quy tắc {table.hit_policy} chưa được hỗ trợ "
                f"(dùng {' hoặc '.join(SUPPORTED_HIT_POLICIES)}).",
                table.decision_id,
            )
        )
    for column in table.inputs:
        for reason in _compile_problems(column.expression):
            problems.append(
                ModelProblem(
                    file_name, f"{where}, cột '{column.label}': biểu thức đầu vào {reason}", column.id
                )
            )
    for rule in table.rules:
        problems.extend(_lint_rule(file_name, table, rule))
    if table.hit_policy == "UNIQUE":
        problems.extend(_overlaps(file_name, table))
    return problems


def _lint_rule(file_name: str, table: DecisionTable, rule: Rule) -> list[ModelProblem]:
    problems: list[ModelProblem] = []
    where = f"Bảng '{table.decision_name}', dòng {rule.row}"
    if not rule.annotation:
        problems.append(
            ModelProblem(
                file_name,
                f"{where}: thiếu trích dẫn căn cứ pháp lý ở cột Chú thích (ví dụ: QĐ 69/2019, Điều 7.1).",
                rule.id,
            )
        )
    for column, entry in zip(table.inputs, rule.inputs, strict=False):
        reason = input_entry_problem(column.expression, entry)
        if reason:
            problems.append(
                ModelProblem(
                    file_name, f"{where}, cột '{column.label}': điều kiện '{entry}' {reason}", rule.id
                )
            )
    for column, entry in zip(table.outputs, rule.outputs, strict=False):
        for reason in _compile_problems(entry) if entry else ["đang để trống."]:
            problems.append(
                ModelProblem(file_name, f"{where}, cột '{column.label}': kết quả '{entry}' {reason}", rule.id)
            )
    return problems


def _compile_problems(text: str) -> list[str]:
    unsafe = unsafe_constructs(text, mode="eval")
    if unsafe:
        return [f"không đọc được: {u}" for u in unsafe]
    try:
        compile_expression(text)
    except SyntaxError as exc:
        return [f"không đọc được: {exc}"]
    return []


def input_entry_problem(input_expression: str, entry: str) -> str | None:
    """Why the engine could not evaluate `entry` against the input, or None when it can."""
    if not entry or entry == "-":
        return None
    if _QUESTION.search(entry):
        candidates = [_QUESTION.sub("dmninputexpr", entry)]
    elif not _compile_problems(entry):
        candidates = [f"({input_expression}) == ({entry})"]
    else:
        candidates = [f"{input_expression}{entry}", f"{input_expression} {entry}"]
    reasons: list[str] = []
    for text in candidates:
        found = _compile_problems(text)
        if not found:
            return None
        reasons.extend(found)
    return reasons[0] + ' Ví dụ hợp lệ: "tinh-x-2024", 3, < 5, >= 2, 2 < ? <= 7.'


# --- overlap analysis (UNIQUE) -------------------------------------------------------------------

ANY = "any"


@dataclass(frozen=True)
class Interval:
    low: float | None
    low_closed: bool
    high: float | None
    high_closed: bool

    def contains(self, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if self.low is not None and (value < self.low or (value == self.low and not self.low_closed)):
            return False
        return not (
            self.high is not None and (value > self.high or (value == self.high and not self.high_closed))
        )


Condition = Any  # ANY, frozenset of literals, Interval, or None when it cannot be analysed


def _literal(node: ast.AST) -> tuple[bool, Any]:
    try:
        return True, ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
        return False, None


def parse_condition(entry: str) -> Condition:
    """The set of input values an entry matches, when it is simple enough to tell."""
    if not entry or entry == "-":
        return ANY
    try:
        ok, value = _literal(ast.parse(entry, mode="eval").body)
        if ok and not isinstance(value, tuple | list | dict | set):
            return frozenset([value])
    except SyntaxError:
        pass
    text = _QUESTION.sub("v", entry) if _QUESTION.search(entry) else f"v {entry}"
    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError:
        return None
    return _comparison(node) if isinstance(node, ast.Compare) else None


_BOUNDS = {ast.Lt: ("high", False), ast.LtE: ("high", True), ast.Gt: ("low", False), ast.GtE: ("low", True)}


def _comparison(node: ast.Compare) -> Condition:
    terms = [node.left, *node.comparators]
    bounds: dict[str, Any] = {"low": None, "low_closed": True, "high": None, "high_closed": True}
    for left, op, right in zip(terms, node.ops, terms[1:], strict=False):
        var_left = isinstance(left, ast.Name) and left.id == "v"
        var_right = isinstance(right, ast.Name) and right.id == "v"
        if var_left == var_right:
            return None
        ok, value = _literal(right if var_left else left)
        if not ok:
            return None
        if isinstance(op, ast.Eq):
            return frozenset([value])
        if isinstance(op, ast.In) and var_left and isinstance(value, tuple | list | set):
            return frozenset(value)
        kind = _BOUNDS.get(type(op))
        if kind is None or not isinstance(value, int | float):
            return None
        side, closed = kind
        if var_right:  # `3 < v` reads as v > 3
            side = "low" if side == "high" else "high"
        bounds[side], bounds[f"{side}_closed"] = value, closed
    return Interval(bounds["low"], bounds["low_closed"], bounds["high"], bounds["high_closed"])


def _intersect(a: Condition, b: Condition) -> bool | None:
    if a is None or b is None:
        return None
    if a == ANY or b == ANY:
        return True
    if isinstance(a, frozenset) and isinstance(b, frozenset):
        return bool(a & b)
    if isinstance(a, frozenset):
        return any(b.contains(v) for v in a)
    if isinstance(b, frozenset):
        return any(a.contains(v) for v in b)
    return _intervals_meet(a, b)


def _intervals_meet(a: Interval, b: Interval) -> bool:
    def below(high: Interval, low: Interval) -> bool:  # high's top is under low's bottom
        if high.high is None or low.low is None:
            return False
        return high.high < low.low or (high.high == low.low and not (high.high_closed and low.low_closed))

    return not (below(a, b) or below(b, a))


def _overlaps(file_name: str, table: DecisionTable) -> list[ModelProblem]:
    """Pairs of rules that certainly match the same input (undecidable entries are given the benefit)."""
    problems = []
    parsed = [[parse_condition(e) for e in rule.inputs] for rule in table.rules]
    for (i, first), (j, second) in combinations(enumerate(table.rules), 2):
        meets = [_intersect(a, b) for a, b in zip(parsed[i], parsed[j], strict=False)]
        if meets and all(m is True for m in meets):
            problems.append(
                ModelProblem(
                    file_name,
                    f"Bảng '{table.decision_name}': dòng {first.row} và dòng {second.row} cùng khớp một "
                    "trường hợp, trong khi bảng chỉ cho phép một quy tắc (UNIQUE). Sửa điều kiện để "
                    "chúng không chồng lên nhau.",
                    second.id,
                )
            )
    return problems


# --- changes from the rules page ------------------------------------------------------------------


@dataclass(frozen=True)
class CellEdit:
    """A new text for one cell: `kind` is "input", "output" or "annotation"; `index` its column."""

    rule_id: str
    kind: str
    index: int
    text: str


def apply_edits(root: etree._Element, edits: list[CellEdit]) -> list[CellEdit]:
    """Write `edits` into the parsed DMN tree in place; returns those that changed something."""
    rules = {rule.get("id"): rule for rule in root.iter("{*}rule")}
    changed = []
    for edit in edits:
        rule = rules.get(edit.rule_id)
        if rule is None:
            raise KeyError(edit.rule_id)
        if _write_cell(rule, edit):
            changed.append(edit)
    return changed


def _write_cell(rule: etree._Element, edit: CellEdit) -> bool:
    namespace = etree.QName(rule).namespace
    if edit.kind == "annotation":
        node = rule.find("{*}description")
        if node is None:
            node = etree.Element(f"{{{namespace}}}description")
            rule.insert(0, node)
        old, node.text = (node.text or "").strip(), edit.text
        return old != edit.text
    entries = list(rule.iterfind("{*}inputEntry" if edit.kind == "input" else "{*}outputEntry"))
    text = entries[edit.index].find("{*}text")
    if text is None:
        text = etree.SubElement(entries[edit.index], f"{{{namespace}}}text")
    old, text.text = (text.text or "").strip(), edit.text
    return old != edit.text


def to_bytes(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))

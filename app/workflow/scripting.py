"""The script environment every condition, script, timer expression and decision table runs in.

SpiffWorkflow executes scripts with plain `eval`/`exec`, which is no sandbox: a script can reach
`os` through `().__class__.__base__.__subclasses__()`. Here every text is compiled with
RestrictedPython (no imports, no dunder attributes, guarded writes), so a malicious model fails
safely at run time too, not only at deploy time.

Model scripts change the domain only through *effects* (`set_status`, `start_process`, `record`...):
the functions append to a list for the current step, and the services apply them afterwards in
the same transaction. Scripts themselves never touch the database.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from types import CodeType
from typing import Any

from RestrictedPython.compile import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    safe_builtins,
    safer_getattr,
)
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from app.workflow.errors import Effect, FunctionCall

_effects: ContextVar[list[Effect] | None] = ContextVar("workflow_effects", default=None)
_calls: ContextVar[list[FunctionCall] | None] = ContextVar("workflow_calls", default=None)
_functions: dict[str, Callable[..., Any]] = {}

EXTRA_BUILTINS: dict[str, Any] = {
    name: __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)
    for name in ("min", "max", "sum", "any", "all", "enumerate", "list", "dict", "sorted", "reversed", "map")
}


def register_function(name: str, function: Callable[..., Any]) -> None:
    """Make `function` callable by name from model scripts and expressions (calendar helpers...).

    Calls are recorded while a step runs (`recording_calls`): a deadline computed by
    `add_working_days(start, 2)` can then be stored with its start and count, not only its result.
    """
    _functions[name] = _recorded(name, function)
    _forget_guards()


def _recorded(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        sink = _calls.get()
        if sink is not None:
            sink.append(FunctionCall(name, tuple(args), dict(kwargs), result))
        return result

    call.__name__ = name
    call.__doc__ = function.__doc__
    return call


@contextmanager
def recording_calls() -> Iterator[list[FunctionCall]]:
    """Record the registered functions called while the block runs (nested blocks record apart)."""
    sink: list[FunctionCall] = []
    token = _calls.set(sink)
    try:
        yield sink
    finally:
        _calls.reset(token)


def registered_functions() -> dict[str, Callable[..., Any]]:
    return dict(_functions)


def _emit(name: str) -> Callable[..., None]:
    def effect(*args: Any, **kwargs: Any) -> None:
        sink = _effects.get()
        if sink is None:
            raise RuntimeError(f"{name}() is only available while a process runs")
        if args:
            kwargs["_args"] = list(args)
        sink.append(Effect(name, copy.deepcopy(kwargs)))

    effect.__name__ = name
    return effect


_effect_names: set[str] = {
    "set_status",
    "update_task",
    "update_directive",
    "start_process",
    "record",
    "notify",
    "update_report",
    "update_inspection",
    "urge",
}


def register_effect(name: str) -> None:
    """Let model scripts call `name(...)` to request a domain change the services apply after the step."""
    _effect_names.add(name)
    _forget_guards()


def effect_names() -> frozenset[str]:
    return frozenset(_effect_names)


@contextmanager
def collecting_effects() -> Iterator[list[Effect]]:
    """Collect the effects that scripts emit during one engine step."""
    sink: list[Effect] = []
    token = _effects.set(sink)
    try:
        yield sink
    finally:
        _effects.reset(token)


def _getitem(obj: Any, key: Any) -> Any:
    return obj[key]


def _inplacevar(op: str, x: Any, y: Any) -> Any:
    ops: dict[str, Callable[[Any, Any], Any]] = {
        "+=": lambda a, b: a + b,
        "-=": lambda a, b: a - b,
        "*=": lambda a, b: a * b,
    }
    if op not in ops:
        raise SyntaxError(f"phép gán {op} không được hỗ trợ")
    return ops[op](x, y)


_GUARDS: dict[str, Any] = {}


def _guard_template() -> dict[str, Any]:
    """The globals every text runs with, built once, not for every text (three times per script);
    read-only: callers that add to them take a copy (`_guards`). The builtins are shared: a
    restricted text cannot name `__builtins__`, nor any other name starting with `_`."""
    if not _GUARDS:
        _GUARDS.update(_build_guards())
    return _GUARDS


def _guards() -> dict[str, Any]:
    """A fresh copy of the globals (`evaluate` adds the task data to it)."""
    return dict(_guard_template())


def _forget_guards() -> None:
    """A function or an effect was registered: the next text sees it."""
    _GUARDS.clear()


def _build_guards() -> dict[str, Any]:
    builtins = dict(safe_builtins)
    builtins.update(EXTRA_BUILTINS)
    guards: dict[str, Any] = {
        "__builtins__": builtins,
        "_getattr_": safer_getattr,
        "_getitem_": _getitem,
        "_getiter_": iter,
        "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        "_write_": full_write_guard,
        "_inplacevar_": _inplacevar,
    }
    guards.update({name: _emit(name) for name in _effect_names})
    guards.update(_functions)
    return guards


# CPython's AST constructors are not safe when RestrictedPython transforms trees in two threads at
# once (seen as "AST constructor recursion depth mismatch"): compile one text at a time.
_COMPILE_LOCK = threading.Lock()


@lru_cache(maxsize=4096)
def compile_expression(text: str) -> CodeType:
    """Compile an expression restrictedly; raises SyntaxError with RestrictedPython's reasons."""
    with _COMPILE_LOCK:
        result = compile_restricted_eval(text)
    if result.errors:
        raise SyntaxError("; ".join(result.errors))
    assert result.code is not None
    return result.code


@lru_cache(maxsize=4096)
def compile_script(text: str) -> CodeType:
    with _COMPILE_LOCK:
        result = compile_restricted_exec(text)
    if result.errors:
        raise SyntaxError("; ".join(result.errors))
    assert result.code is not None
    return result.code


class RestrictedEnvironment(TaskDataEnvironment):  # type: ignore[misc]
    """SpiffWorkflow's task-data environment, with every text compiled by RestrictedPython."""

    def __init__(self) -> None:
        super().__init__({})

    @property  # read at each use, so that functions registered later are seen
    def globals(self) -> dict[str, Any]:
        return _guards()

    @globals.setter
    def globals(self, _value: dict[str, Any]) -> None:
        pass

    def evaluate(self, expression: str, context: dict[str, Any], external_context: Any = None) -> Any:
        my_globals = self.globals
        my_globals.update(external_context or {})
        my_globals.update(context)
        return eval(compile_expression(expression), my_globals)  # noqa: S307 - restricted code

    def execute(self, script: str, context: dict[str, Any], external_context: Any = None) -> bool:
        self.check_for_overwrite(context, external_context or {})
        code = compile_script(script)
        context.update(self.globals)
        context.update(external_context or {})
        try:
            exec(code, context)  # noqa: S102 - restricted code
        finally:
            self._remove_globals_and_functions_from_context(context, external_context)
        return True

    def _remove_globals_and_functions_from_context(
        self, context: dict[str, Any], external_context: Any = None
    ) -> None:
        guard_names = _guard_template()
        for key in list(context):
            value = context[key]
            if key in guard_names or callable(value) or (external_context and key in external_context):
                context.pop(key)


class DonDocScriptEngine(PythonScriptEngine):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__(environment=RestrictedEnvironment())

    def validate(self, expression: str) -> None:
        compile_expression(expression)


SCRIPT_ENGINE = DonDocScriptEngine()

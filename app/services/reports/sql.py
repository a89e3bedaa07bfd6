"""Two date functions SQLite and PostgreSQL spell differently, written once for every report query.

`vn_date(instant)` is the Vietnam calendar date of a UTC instant (Vietnam keeps UTC+7 all year, no
daylight saving, so a fixed offset is exact); `year_month(day)` is "YYYY-MM" for grouping by month.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, String, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class vn_date(FunctionElement[Any]):  # noqa: N801 - reads like the SQL function it is
    type = Date()
    inherit_cache = True
    name = "vn_date"


class year_month(FunctionElement[Any]):  # noqa: N801
    type = String()
    inherit_cache = True
    name = "year_month"


@compiles(vn_date, "sqlite")
def _vn_date_sqlite(element: vn_date, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, '+7 hours')"


@compiles(vn_date, "postgresql")
def _vn_date_pg(element: vn_date, compiler: Any, **kw: Any) -> str:
    return f"(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"


@compiles(year_month, "sqlite")
def _year_month_sqlite(element: year_month, compiler: Any, **kw: Any) -> str:
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(year_month, "postgresql")
def _year_month_pg(element: year_month, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


def without_jit(session: Any) -> None:
    """PostgreSQL compiles large queries to machine code before running them (JIT). A report query
    carries many small expressions (a CASE per category, a row per deadline) and finishes in well
    under a second, so compiling it costs more than it saves: several seconds on a year's report
    over a million tasks. Off for the rest of this transaction only; other databases ignore it."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))

"""Report queries on a read replica, when one is configured (DONDOC_REPORTING_DATABASE_URL).

Quarterly reports, dashboards and exports read many rows and change none: on a national
deployment they go to a streaming replica so that they never compete with the web workers'
short transactions on the primary. Without the setting they run on the primary. Either way the
connection is read-only (PostgreSQL `SET TRANSACTION READ ONLY`, SQLite `PRAGMA query_only`), so a
report that tried to write would fail in development exactly as it would on the replica.
A replica lags by a few seconds at most: fine for a report, never used for an inbox or a form.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text
from sqlalchemy.engine import Engine

from app.extensions import db

BIND = "reporting"


def reporting_engine() -> Engine:
    engine: Engine = db.engines[BIND] if BIND in db.engines else db.engine
    return engine


@contextmanager
def reporting_connection() -> Iterator[Connection]:
    """A read-only connection to the replica (or the primary), rolled back when done."""
    with reporting_engine().connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA query_only = ON")
        else:
            conn.execute(text("SET TRANSACTION READ ONLY"))
        try:
            yield conn
        finally:
            conn.rollback()
            if sqlite:  # the pooled connection goes back writable
                conn.exec_driver_sql("PRAGMA query_only = OFF")

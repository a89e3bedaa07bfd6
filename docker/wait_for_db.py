"""Wait until DATABASE_URL accepts connections (the container may start before its database).

Exits 0 once a `SELECT 1` succeeds, 1 after DONDOC_DB_WAIT_SECONDS (default 60) without success.
Standalone on purpose: it must not build the application (which touches the database) to run.
"""

from __future__ import annotations

import os
import sys
import time

from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError


def normalised(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url or url.startswith("sqlite"):
        return 0  # a local file: nothing to wait for
    deadline = time.monotonic() + float(os.environ.get("DONDOC_DB_WAIT_SECONDS", "60"))
    engine = create_engine(normalised(url), connect_args={"connect_timeout": 3}, pool_pre_ping=False)
    last_error = ""
    while True:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            print("wait_for_db: database ready", file=sys.stderr)
            return 0
        except SQLAlchemyError as exc:
            last_error = str(exc.__cause__ or exc).splitlines()[0]
        if time.monotonic() >= deadline:
            print(f"wait_for_db: database not reachable in time: {last_error}", file=sys.stderr)
            return 1
        time.sleep(1)


if __name__ == "__main__":
    sys.exit(main())

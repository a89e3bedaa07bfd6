"""Is this process able to serve? The checks behind `/readyz`, for load balancers and orchestrators.

Ready means: the database answers, its schema is at the migrations' head (a web process started
against an older schema would fail on the first query that needs a new column), and process
models are deployed (without them no directive can be registered). Each check returns a short
status word, never an exception text: the endpoint is public.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.models import ProcessModelVersion

log = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def migration_heads(directory: str) -> frozenset[str]:
    config = Config()
    config.set_main_option("script_location", directory)
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def _migrations_dir() -> str:
    return str(Path(current_app.root_path).parent / "migrations")


def check() -> dict[str, str]:
    """{"database": "ok"|"unreachable", "migrations": "ok"|"behind", "models": "ok"|"missing"}."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        log.warning("readiness: database unreachable", exc_info=True)
        db.session.rollback()
        return {"database": "unreachable", "migrations": "unknown", "models": "unknown"}
    current = frozenset(MigrationContext.configure(db.session.connection()).get_current_heads())
    if current != migration_heads(_migrations_dir()):
        # Tables may be missing altogether: do not query them.
        return {"database": "ok", "migrations": "behind", "models": "unknown"}
    deployed = db.session.scalar(
        select(func.count()).select_from(ProcessModelVersion).where(ProcessModelVersion.is_active.is_(True))
    )
    return {"database": "ok", "migrations": "ok", "models": "ok" if deployed else "missing"}

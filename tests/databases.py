"""Per-test databases on SQLite or PostgreSQL, from one template built once per session.

The backend is chosen by DONDOC_TEST_DATABASE_URL: unset means SQLite files under pytest's
temporary directory; a `postgresql+psycopg://` URL means databases on that server (the role needs
CREATEDB; `scripts/pg_test_server.sh start` provides one). Each test gets a fresh copy of the
template: a file copy on SQLite, `CREATE DATABASE ... TEMPLATE` on PostgreSQL (about 20 ms),
so every test starts from the same migrated, deployed and seeded state on either backend.
"""

from __future__ import annotations

import itertools
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.pool import NullPool

ENV_VAR = "DONDOC_TEST_DATABASE_URL"


def configured_url() -> str:
    return os.environ.get(ENV_VAR, "").strip()


def backend_name() -> str:
    return "postgresql" if configured_url().startswith("postgresql") else "sqlite"


class SqliteDatabases:
    """Template and copies as files: copying a small SQLite file is the fastest fresh start."""

    name = "sqlite"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.template_path = directory / "template.sqlite3"
        self._counter = itertools.count(1)

    def describe(self) -> str:
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (files under {self.directory})"

    def build_template(self, build: Callable[[str], None]) -> str:
        build(f"sqlite:///{self.template_path}")
        return f"sqlite:///{self.template_path}"

    def copy(self, directory: Path) -> str:
        return self.clone(f"sqlite:///{self.template_path}", directory)

    def clone(self, url: str, directory: Path) -> str:
        """A fresh copy of another database of this session (a second template, say)."""
        target = directory / f"dondoc-{next(self._counter)}.sqlite3"
        shutil.copyfile(url.removeprefix("sqlite:///"), target)
        return f"sqlite:///{target}"

    def empty(self, directory: Path) -> str:
        """A database with no tables yet (first deployment, an entrypoint before migrating)."""
        return f"sqlite:///{directory / f'empty-{next(self._counter)}.sqlite3'}"

    def unreachable(self) -> str:
        return f"sqlite:///{self.directory / 'no-such-directory' / 'dondoc.sqlite3'}"

    def drop(self, url: str) -> None:
        """Files live under pytest's tmp_path, which pytest cleans itself."""

    def close(self) -> None:
        pass


class PostgresDatabases:
    """Template and copies as databases on one server, named per pytest process."""

    name = "postgresql"

    def __init__(self, url: str) -> None:
        self.url: URL = make_url(url)
        self.prefix = f"dondoc_test_{os.getpid()}"
        self.template_name = f"{self.prefix}_template"
        self._counter = itertools.count(1)
        self._admin = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def describe(self) -> str:
        with self._admin.connect() as conn:
            version = conn.scalar(text("SHOW server_version"))
        return f"PostgreSQL {version} at {self.url.host}:{self.url.port}"

    def _execute(self, sql: str) -> None:
        with self._admin.connect() as conn:
            conn.execute(text(sql))

    def _url_for(self, database: str) -> str:
        return self.url.set(database=database).render_as_string(hide_password=False)

    def build_template(self, build: Callable[[str], None]) -> str:
        self._execute(f'DROP DATABASE IF EXISTS "{self.template_name}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{self.template_name}"')
        url = self._url_for(self.template_name)
        build(url)
        return url

    def copy(self, directory: Path) -> str:
        return self.clone(self._url_for(self.template_name), directory)

    def clone(self, url: str, directory: Path) -> str:
        """A fresh copy of another database of this session (a second template, say); nobody
        may be connected to it meanwhile."""
        name = f"{self.prefix}_{next(self._counter)}"
        source = make_url(url).database
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}" STRATEGY FILE_COPY')
        return self._url_for(name)

    def empty(self, directory: Path) -> str:
        """A database with no tables yet (first deployment, an entrypoint before migrating)."""
        name = f"{self.prefix}_{next(self._counter)}"
        self._execute(f'CREATE DATABASE "{name}"')
        return self._url_for(name)

    def unreachable(self) -> str:
        """Port 9 (discard) on loopback: nothing listens there, the connection is refused."""
        return self.url.set(port=9).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        """FORCE ends connections a test left open (a thread's app, a subprocess). It cannot end a
        superuser's backend: an autovacuum worker busy on the database (after a test that left many
        dead rows, such as a sweeper killed mid-transaction) makes it fail until the worker ends."""
        statement = f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'
        for attempt in range(20):
            try:
                self._execute(statement)
                return
            except ProgrammingError as exc:
                if "InsufficientPrivilege" not in type(exc.orig).__name__ or attempt == 19:
                    raise
                time.sleep(0.5)

    def close(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.template_name}" WITH (FORCE)')
        self._admin.dispose()


Databases = SqliteDatabases | PostgresDatabases


def databases_for_session(directory: Path) -> Databases:
    url = configured_url()
    if not url:
        return SqliteDatabases(directory)
    if not url.startswith("postgresql"):
        raise ValueError(f"{ENV_VAR} must be empty (SQLite) or a postgresql+psycopg:// URL, not {url!r}")
    return PostgresDatabases(url)

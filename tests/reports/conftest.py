"""Fixtures of the report tests: the known register of dataset.py, built once per session through
the real API and engine, then copied for every test that asks for it (like the template database,
on SQLite and on PostgreSQL alike: `tests/databases.py`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.extensions import db
from tests.conftest import make_app
from tests.databases import Databases
from tests.reports import dataset


@pytest.fixture(scope="session")
def dataset_db(
    databases: Databases, template_db: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, SimpleNamespace]]:
    """URL of a second template holding the known register, and the ids of its rows."""
    url = databases.clone(template_db, tmp_path_factory.mktemp("dataset"))
    app = make_app(url)
    with app.app_context():
        built = dataset.build_through(app.test_client())
        ids = SimpleNamespace(tasks=dict(built.tasks), directives=dict(built.directives))
        db.session.remove()
        db.engine.dispose()  # PostgreSQL copies a template only while nobody is connected to it
    yield url, ids
    databases.drop(url)


@pytest.fixture
def database_url(
    request: pytest.FixtureRequest, databases: Databases, template_db: str, tmp_path: Path
) -> Iterator[str]:
    """A fresh copy of the template, or of the known register when the test asks for `register`."""
    if "register" in request.fixturenames:
        url = databases.clone(request.getfixturevalue("dataset_db")[0], tmp_path)
    else:
        url = databases.copy(tmp_path)
    yield url
    databases.drop(url)


@pytest.fixture
def register(dataset_db: tuple[str, SimpleNamespace], app) -> SimpleNamespace:
    """Ids of the known register's tasks and directives; the clock stands at 26/03/2026 09:00."""
    return dataset_db[1]

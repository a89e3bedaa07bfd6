"""Fixtures of the report tests: the known register of dataset.py, built once per session through
the real API and engine, then copied for every test that asks for it (like the template database,
on SQLite and on PostgreSQL alike: `tests/databases.py`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import User
from app.services.tokens import issue_token
from tests.conftest import Api, make_app
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
        client = app.test_client()

        def api(username: str) -> Api:
            token = issue_token(db.session.scalar(select(User).where(User.username == username)))
            db.session.commit()
            return Api(client, token)

        def freeze(instant: str) -> None:
            clock.freeze(datetime.fromisoformat(instant))
            db.session.commit()

        built = dataset.build(api, freeze)
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

"""Fixtures of the report tests: the known register of dataset.py, built once per session through
the real API and engine, then copied for every test that asks for it (like the template database)."""

from __future__ import annotations

import shutil
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
from tests.reports import dataset


@pytest.fixture(scope="session")
def dataset_db(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SimpleNamespace]:
    path = tmp_path_factory.mktemp("dataset") / "dondoc.sqlite3"
    shutil.copyfile(template_db, path)
    app = make_app(f"sqlite:///{path}")
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
        db.engine.dispose()
    return path, ids


@pytest.fixture
def db_path(request: pytest.FixtureRequest, template_db: Path, tmp_path: Path) -> Path:
    """The template database, or the known register when the test asks for `register`."""
    source = request.getfixturevalue("dataset_db")[0] if "register" in request.fixturenames else template_db
    target = tmp_path / "dondoc.sqlite3"
    shutil.copyfile(source, target)
    return target


@pytest.fixture
def register(dataset_db: tuple[Path, SimpleNamespace], app) -> SimpleNamespace:
    """Ids of the known register's tasks and directives; the clock stands at 26/03/2026 09:00."""
    return dataset_db[1]

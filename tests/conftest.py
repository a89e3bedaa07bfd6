"""Shared fixtures: a real database built by the real migrations, the real engine, a frozen clock.

A template database (migrated, models deployed, demo organisation loaded) is built once per test
session; each test gets its own copy, so tests are isolated and still fast. The backend is SQLite,
or PostgreSQL when DONDOC_TEST_DATABASE_URL names a server (`make test` runs the suite on both);
a test that needs its own app on the same database (a subprocess, a thread) uses `database_url`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from flask_babel import refresh as babel_refresh
from flask_migrate import upgrade
from sqlalchemy import select

from app import clock, create_app
from app.extensions import db
from app.i18n import compile_catalogues
from app.models import User
from app.services.models_deploy import deploy_directory
from app.services.seed import seed_organisation
from app.services.tokens import issue_token
from tests.databases import ENV_VAR, Databases, backend_name, configured_url, databases_for_session

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "DONDOC_ALLOW_CLOCK_OVERRIDE": True,
    "WTF_CSRF_ENABLED": True,
}


def make_app(database_url: str, **extra: Any) -> Flask:
    return create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **extra})


def pytest_report_header(config: pytest.Config) -> str:
    return f"database backend: {backend_name()} ({ENV_VAR}={configured_url() or 'unset: SQLite'})"


def _build_template(url: str) -> None:
    """The real migrations, the real model deployment and the demo organisation, once."""
    compile_catalogues()  # the English .mo is generated, never committed
    app = make_app(url)
    with app.app_context():
        upgrade()
        deploy_directory()
        seed_organisation()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    """The session's backend (SQLite files or a PostgreSQL server, see tests/databases.py)."""
    backend = databases_for_session(tmp_path_factory.mktemp("databases"))
    yield backend
    backend.close()


@pytest.fixture(scope="session")
def template_db(databases: Databases) -> str:
    """URL of the template every test database is copied from."""
    return databases.build_template(_build_template)


@pytest.fixture
def database_url(databases: Databases, template_db: str, tmp_path: Path) -> Iterator[str]:
    """A fresh copy of the template for this test; subprocesses and threads may open it too."""
    url = databases.copy(tmp_path)
    yield url
    databases.drop(url)


@pytest.fixture
def db_path(database_url: str) -> Path:
    """The SQLite file of this test's database (SQLite only: prefer `database_url`)."""
    if not database_url.startswith("sqlite:///"):
        pytest.fail("db_path exists only on SQLite: use the database_url fixture, which works on both")
    return Path(database_url.removeprefix("sqlite:///"))


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    application = make_app(database_url, DONDOC_UPLOAD_DIR=str(tmp_path / "uploads"))

    @application.teardown_request
    def _forget_request_caches(_exc: BaseException | None) -> None:
        # Test requests reuse the test's app context, hence its `g`: drop what a real request
        # would start without (logged-in user, CSRF token, cached clock, API user), so that two
        # browsers in one test never see each other's identity.
        for key in ("_login_user", "csrf_token", "dondoc_now", "api_user"):
            g.pop(key, None)
        babel_refresh()  # Flask-Babel caches the locale on the (shared) app context

    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def user(app: Flask) -> Callable[[str], User]:
    def get(username: str) -> User:
        found = db.session.scalar(select(User).where(User.username == username))
        assert found is not None, username
        return found

    return get


@pytest.fixture
def freeze(app: Flask) -> Callable[[str], datetime]:
    """Freeze the application clock (ISO instant; without offset, Vietnam time)."""

    def set_clock(instant: str) -> datetime:
        clock.freeze(datetime.fromisoformat(instant))
        db.session.commit()
        return clock.now()

    return set_clock


class Api:
    """A JSON API client acting as one user through a real bearer token."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", headers=self.headers, query_string=params)

    def post(self, path: str, body: Any = None) -> Any:
        return self.client.post(f"/api/v1{path}", headers=self.headers, json=body if body is not None else {})


@pytest.fixture
def api(app: Flask, client: FlaskClient, user: Callable[[str], User]) -> Callable[[str], Api]:
    def as_user(username: str) -> Api:
        token = issue_token(user(username))
        db.session.commit()
        return Api(client, token)

    return as_user


def directive_payload(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "number": "12",
        "symbol": "QĐ-UBND",
        "doc_type": "quyet_dinh",
        "summary": "Triển khai Kế hoạch chuyển đổi số năm 2026",
        "issued_on": "2026-03-02",
        "signer": "Lê Văn Cường",
        "is_urgent": False,
        "confidentiality": "normal",
        "tasks": [
            {
                "content": "Xây dựng kế hoạch chuyển đổi số của ngành tài chính",
                "lead_unit": "stc",
                "coordinating_units": ["skhdt"],
                "due_on": "2026-03-31",
            },
            {
                "content": "Báo cáo kết quả số hoá hồ sơ thủ tục hành chính",
                "lead_unit": "stc",
                "coordinating_units": [],
                "due_on": None,
            },
        ],
    }
    body.update(overrides)
    return body


# Browser tests' fixtures (after make_app, which they use).
from tests.live_browser import chromium, live_server  # noqa: E402,F401

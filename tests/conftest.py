"""Shared fixtures: a real database built by the real migrations, the real engine, a frozen clock.

A template database (migrated, models deployed, demo organisation loaded) is built once per test
session; each test gets its own copy, so tests are isolated and still fast.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import select

from app import clock, create_app
from app.extensions import db
from app.models import User
from app.services.models_deploy import deploy_directory
from app.services.seed import seed_organisation
from app.services.tokens import issue_token

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "DONDOC_ALLOW_CLOCK_OVERRIDE": True,
    "WTF_CSRF_ENABLED": True,
}


def make_app(database_url: str, **extra: Any) -> Flask:
    return create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **extra})


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "dondoc.sqlite3"
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        upgrade()
        deploy_directory()
        seed_organisation()
        db.session.commit()
        db.engine.dispose()
    return path


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "dondoc.sqlite3"
    shutil.copyfile(template_db, target)
    return target


@pytest.fixture
def app(db_path: Path) -> Iterator[Flask]:
    application = make_app(f"sqlite:///{db_path}", DONDOC_UPLOAD_DIR=str(db_path.parent / "uploads"))
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

"""Fixtures for the modeler tests: a database deployed from our own fixture models.

`tests/fixtures/models/` is the skeleton's models plus a decision table (`report_grace`) and a
timer that uses it, so these tests do not depend on the regulation models in `bpmn/`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade

from app.extensions import db
from app.services.models_deploy import deploy_directory
from app.services.seed import seed_organisation
from tests.conftest import make_app

MODELS = Path(__file__).resolve().parent.parent / "fixtures" / "models"


@pytest.fixture(scope="session")
def modeler_template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("modeler-template") / "dondoc.sqlite3"
    app = make_app(f"sqlite:///{path}", DONDOC_BPMN_DIR=str(MODELS))
    with app.app_context():
        upgrade()
        deploy_directory()
        seed_organisation()
        db.session.commit()
        db.engine.dispose()
    return path


@pytest.fixture
def db_path(modeler_template_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "dondoc.sqlite3"
    shutil.copyfile(modeler_template_db, target)
    return target


@pytest.fixture
def app(db_path: Path) -> Iterator[Flask]:
    application = make_app(f"sqlite:///{db_path}", DONDOC_BPMN_DIR=str(MODELS))
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


def dmn_text() -> str:
    return (MODELS / "rules" / "report_grace.dmn").read_text(encoding="utf-8")


def lifecycle_text() -> str:
    return (MODELS / "task_lifecycle.bpmn").read_text(encoding="utf-8")

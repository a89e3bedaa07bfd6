"""Probes for Docker and load balancers: /healthz (process up) and /readyz (able to serve)."""

from __future__ import annotations

from sqlalchemy import update

from app.extensions import db
from app.models import ProcessModelVersion
from tests.conftest import make_app


def test_healthz_and_readyz_answer_without_login_once_migrated_and_models_deployed(client):
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json == {"status": "ready", "checks": {"database": "ok", "migrations": "ok", "models": "ok"}}
    assert "Set-Cookie" not in ready.headers  # a probe opens no session


def test_readyz_is_not_ready_while_no_model_is_deployed(client):
    db.session.execute(update(ProcessModelVersion).values(is_active=False))
    db.session.commit()
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json["checks"]["models"] == "missing"


def test_readyz_is_not_ready_on_a_database_not_yet_migrated(databases, tmp_path):
    url = databases.empty(tmp_path)
    fresh = make_app(url)
    try:
        with fresh.app_context():
            ready = fresh.test_client().get("/readyz")
            assert ready.status_code == 503
            assert ready.json["checks"] == {"database": "ok", "migrations": "behind", "models": "unknown"}
            assert fresh.test_client().get("/healthz").status_code == 200
            db.session.remove()
            db.engine.dispose()
    finally:
        databases.drop(url)


def test_readyz_is_not_ready_when_the_database_is_unreachable(databases):
    cut_off = make_app(databases.unreachable())
    with cut_off.app_context():
        ready = cut_off.test_client().get("/readyz")
        assert ready.status_code == 503
        assert ready.json == {
            "status": "not_ready",
            "checks": {"database": "unreachable", "migrations": "unknown", "models": "unknown"},
        }
        assert cut_off.test_client().get("/healthz").status_code == 200
        db.engine.dispose()

"""Reports read the replica when one is configured, and can never write through it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from app.models import Directive
from app.services.read_replica import reporting_connection
from tests.conftest import directive_payload, make_app


def count_directives(conn) -> int:
    return conn.scalar(select(func.count()).select_from(Directive))


def test_report_queries_read_the_replica_not_the_primary_and_cannot_write(databases, database_url, tmp_path):
    replica = databases.copy(tmp_path)  # a second copy stands in for the streaming replica
    try:
        app = make_app(database_url, DONDOC_REPORTING_DATABASE_URL=replica)
        with app.app_context():
            from app.services.seed import seed_organisation
            from app.services.tokens import issue_token

            token = issue_token(seed_organisation()["vp.chuyenvien"])
            db.session.commit()
            created = app.test_client().post(
                "/api/v1/directives", json=directive_payload(), headers={"Authorization": f"Bearer {token}"}
            )
            assert created.status_code == 201
            assert db.session.scalar(select(func.count()).select_from(Directive)) == 1  # on the primary
            with reporting_connection() as conn:
                assert count_directives(conn) == 0  # the replica has not received it
                with pytest.raises(DBAPIError):
                    conn.execute(Directive.__table__.update().values(signer="x"))
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()
    finally:
        databases.drop(replica)


def test_without_a_replica_reports_read_the_primary_read_only(app, api):
    assert api("vp.chuyenvien").post("/directives", directive_payload()).status_code == 201
    with reporting_connection() as conn:
        assert count_directives(conn) == 1
        with pytest.raises(DBAPIError):
            conn.execute(Directive.__table__.update().values(signer="x"))
    # the pooled connection is writable again for the web workers
    db.session.execute(Directive.__table__.update().values(signer="Lê Văn Cường"))
    db.session.commit()

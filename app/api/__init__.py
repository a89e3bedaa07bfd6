"""JSON API v1 for integrations and tests. Shapes are a contract: extend them, never change them."""

from __future__ import annotations

from flask import Flask


def register_api_v1(app: Flask) -> None:
    from app.api import inspections, models_v1, reports_v1, v1, v1_urging  # noqa: F401 - these modules add routes to v1.bp
    from app.extensions import csrf

    csrf.exempt(v1.bp)  # bearer tokens, not cookies: no cross-site request can carry them
    app.register_blueprint(v1.bp)

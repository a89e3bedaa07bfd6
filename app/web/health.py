"""`/healthz` (the process answers) and `/readyz` (it can serve): probes for Docker and load balancers.

Neither needs a login, sets a cookie or renders a template; `/healthz` does not touch the database,
so a slow database makes instances "not ready" (taken out of rotation), not "unhealthy" (killed).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from app.services.readiness import check

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Any:
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz() -> Any:
    checks = check()
    ready = all(value == "ok" for value in checks.values())
    return jsonify({"status": "ready" if ready else "not_ready", "checks": checks}), (200 if ready else 503)

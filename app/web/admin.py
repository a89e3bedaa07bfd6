"""Administrator pages: the background jobs' health (scheduler lease, sweeps, timer lateness, e-mail)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, render_template
from flask_login import current_user, login_required

from app import clock
from app.models import Role
from app.services import health as health_service
from app.services.authz import has_role

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/health")
@login_required
def health() -> Any:
    if not has_role(current_user, Role.ADMIN):
        abort(403)
    snapshot = health_service.snapshot(current_app.config, clock.now())
    return render_template("admin/health.html", h=snapshot, business_now=clock.now())

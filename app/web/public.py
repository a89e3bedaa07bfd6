"""Trang công khai (no login): published results per unit and period, published conclusions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template

from app.services.inspections.publication import published_conclusions
from app.services.reports import public
from app.services.reports.categories import RATE_FORMULA

bp = Blueprint("public", __name__, url_prefix="/public")


@bp.route("/")
def index() -> Any:
    return render_template(
        "public/index.html",
        periods=public.published_periods(),
        tasks=public.public_tasks(),
        conclusions=published_conclusions(),
    )


@bp.route("/periods/<int:period_id>")
def period(period_id: int) -> Any:
    found = public.published_period(period_id)
    if found is None:
        abort(404)
    return render_template(
        "public/period.html", period=found, rows=public.public_rows(found), formula=RATE_FORMULA
    )

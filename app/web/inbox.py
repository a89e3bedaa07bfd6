"""Hộp việc: the user's and the user's unit's open work items."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app import clock
from app.extensions import db
from app.services.work_items import inbox_query

bp = Blueprint("inbox", __name__)

TABS = {"mine": "Việc của tôi", "unit": "Việc của đơn vị"}


@bp.route("/")
def root() -> Any:
    return redirect(url_for("inbox.index"))


@bp.route("/inbox")
@login_required
def index() -> Any:
    scope = request.args.get("tab", "all")
    items = db.session.scalars(inbox_query(current_user, scope).limit(200)).all()
    return render_template("inbox/index.html", items=items, scope=scope, tabs=TABS, today=clock.today())

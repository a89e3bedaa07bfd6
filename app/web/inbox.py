"""Hộp việc: tabs, filters, search, sort, pagination and bulk claim over the user's work items."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.forms.coerce import parse_user_date
from app.models import Unit, WorkItem
from app.services import inbox, work_items
from app.services.authz import can_view_work_item
from app.services.task_status import LABELS

bp = Blueprint("inbox", __name__)


def tab_labels() -> dict[str, str]:
    return {
        "all": _("Tất cả"),
        "mine": _("Việc của tôi"),
        "unit": _("Việc của đơn vị"),
        "due_soon": _("Sắp đến hạn"),
        "overdue": _("Quá hạn"),
    }


def state_words() -> dict[str, str]:
    return {
        "overdue": _("Quá hạn"),
        "due_soon": _("Sắp đến hạn"),
        "not_started": _("Chưa nhận"),
        "on_time": _("Trong hạn"),
        "none": _("Không có hạn"),
        "due": _("Hạn xử lý"),
    }


def _int(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def _date(name: str) -> date | None:
    iso = parse_user_date(request.args.get(name, "")) if request.args.get(name) else None
    return date.fromisoformat(iso) if iso else None


def _filters() -> inbox.InboxFilter:
    args = request.args
    return inbox.InboxFilter(
        tab=args.get("tab", "all") if args.get("tab") in inbox.TABS else "all",
        q=args.get("q", "")[:200],
        directive_id=_int("directive"),
        unit_id=_int("unit"),
        field=args.get("field", "")[:100],
        due_from=_date("due_from"),
        due_to=_date("due_to"),
        status=args.get("status", "") if args.get("status") in LABELS else "",
        sort=args.get("sort", "due") if args.get("sort") in inbox.SORTS else "due",
        page=_int("page") or 1,
    )


@bp.route("/")
def root() -> Any:
    return redirect(url_for("inbox.index"))


@bp.route("/inbox")
@login_required
def index() -> Any:
    g.nav_counts = inbox.nav_counts(current_user)  # the navigation reuses them (one set per request)
    page = inbox.list_items(current_user, _filters(), g.nav_counts)
    today = clock.today()
    units = db.session.scalars(select(Unit).where(Unit.is_active.is_(True)).order_by(Unit.path)).all()
    return render_template(
        "inbox/index.html",
        page=page,
        f=page.filters,
        tabs=tab_labels(),
        today=today,
        states={i.id: inbox.item_state(i, today, page.window_end) for i in page.items},
        words=state_words(),
        capped=inbox.more_than_cap(page),
        cap=inbox.COUNT_CAP,
        units=units,
        fields=inbox.fields_in_use(),
        args={k: v for k, v in request.args.items() if k != "page"},
    )


@bp.route("/inbox/claim", methods=["POST"])
@login_required
def bulk_claim() -> Any:
    ids = [int(v) for v in request.form.getlist("ids") if v.isdigit()][:200]
    found = list(db.session.scalars(select(WorkItem).where(WorkItem.id.in_(ids)))) if ids else []
    items = [i for i in found if can_view_work_item(current_user, i)]
    claimed, refused = work_items.bulk_claim(current_user, items)
    db.session.commit()
    if claimed:
        flash(_("Đã nhận xử lý %(n)d công việc.", n=len(claimed)), "success")
    for item, reason in refused:
        flash(f"{item.title} (#{item.id}): {reason}", "error")
    if not ids:
        flash(_("Chưa chọn công việc nào."), "error")
    return redirect(url_for("inbox.index", tab="mine"))

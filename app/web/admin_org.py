"""Administration of units and accounts: /admin/units, /admin/users (R15).

The admin menu is one navigation entry; other admin pages (calendar, rules, models) add their
section with `register_section` and appear on /admin/ without touching the layout.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.extensions import db
from app.models import Unit, User, UserRole, WorkItem
from app.services import org_admin
from app.services.authz import admin_paths, can_admin_unit, can_admin_user
from app.text import fold

bp = Blueprint("admin_org", __name__, url_prefix="/admin")

SECTIONS: list[tuple[str, str]] = [
    ("admin_org.units", "Đơn vị"),
    ("admin_org.users", "Tài khoản và vai trò"),
]


def register_section(endpoint: str, label: str) -> None:
    """Let another admin blueprint appear on the admin index page."""
    if (endpoint, label) not in SECTIONS:
        SECTIONS.append((endpoint, label))


@bp.before_request
@login_required
def require_admin() -> None:
    if not admin_paths(current_user):
        abort(403)


def _scoped_units() -> list[Unit]:
    paths = admin_paths(current_user)
    units = db.session.scalars(select(Unit).order_by(Unit.path)).all()
    return [u for u in units if any(u.path.startswith(p) for p in paths)]


def _unit(unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None or not can_admin_unit(current_user, unit):
        abort(404)
    return unit


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not can_admin_user(current_user, user):
        abort(404)
    return user


def _run(action: Any, success: str) -> dict[str, str]:
    """Apply one administration action and commit; refusals come back as field errors."""
    try:
        action()
        db.session.commit()
        flash(success, "success")
        return {}
    except org_admin.OrgInvalid as exc:
        db.session.rollback()
        for message in exc.errors.values():
            flash(message, "error")
        return exc.errors
    except org_admin.OrgForbidden:
        db.session.rollback()
        abort(403)


@bp.route("/")
def index() -> Any:
    return render_template("admin/index.html", sections=SECTIONS)


@bp.route("/units", methods=["GET", "POST"])
def units() -> Any:
    errors: dict[str, str] = {}
    if request.method == "POST":
        parent = _unit(int(request.form.get("parent_id", "0") or 0))
        form = request.form
        errors = _run(
            lambda: org_admin.create_unit(
                current_user,
                code=form.get("code", ""),
                name=form.get("name", ""),
                kind=form.get("kind", ""),
                parent=parent,
            ),
            _("Đã tạo đơn vị."),
        )
        if not errors:
            return redirect(url_for("admin_org.units"))
    scoped = _scoped_units()
    depth = {u.id: u.path.count("/") - 2 for u in scoped}
    focal = {u.id: org_admin.current_focal_officer(u) for u in scoped}
    return render_template(
        "admin/units.html",
        units=scoped,
        depth=depth,
        focal=focal,
        kinds=org_admin.KIND_LABELS,
        errors=errors,
        values=request.form,
    ), (422 if errors else 200)


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
def unit(unit_id: int) -> Any:
    target = _unit(unit_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.form.get("action")
        if action == "update":
            errors = _run(
                lambda: org_admin.update_unit(
                    current_user, target, name=request.form.get("name", ""), kind=request.form.get("kind", "")
                ),
                _("Đã lưu đơn vị."),
            )
        elif action == "move":
            parent = _unit(int(request.form.get("parent_id", "0") or 0))
            errors = _run(lambda: org_admin.move_unit(current_user, target, parent), _("Đã chuyển đơn vị."))
        elif action == "deactivate":
            errors = _run(
                lambda: org_admin.deactivate_unit(current_user, target), _("Đơn vị đã ngừng hoạt động.")
            )
        elif action == "focal":
            successor = _user(int(request.form.get("user_id", "0") or 0))
            errors = _run(
                lambda: org_admin.appoint_focal_officer(current_user, target, successor),
                _("Đã giao %(name)s làm đầu mối.", name=successor.full_name),
            )
        if not errors:
            return redirect(url_for("admin_org.unit", unit_id=unit_id))
    return render_template(
        "admin/unit.html",
        unit=target,
        units=[u for u in _scoped_units() if not u.path.startswith(target.path)],
        kinds=org_admin.KIND_LABELS,
        people=org_admin.active_users_in(target),
        focal=org_admin.current_focal_officer(target),
        open_items=db.session.scalar(
            select(db.func.count(WorkItem.id)).where(
                WorkItem.candidate_unit_id == target.id, WorkItem.state == "open"
            )
        ),
        errors=errors,
    ), (422 if errors else 200)


@bp.route("/users")
def users() -> Any:
    query = fold(request.args.get("q", ""))
    rows = [
        u
        for u in db.session.scalars(select(User).order_by(User.full_name))
        if can_admin_user(current_user, u)
    ]
    if query:
        rows = [u for u in rows if query in fold(f"{u.username} {u.full_name} {u.email or ''}")]
    return render_template(
        "admin/users.html", users=rows[:500], q=request.args.get("q", ""), labels=org_admin.ROLE_LABELS
    )


@bp.route("/users/new", methods=["GET", "POST"])
def new_user() -> Any:
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = request.form
        home = _unit(int(form.get("unit_id", "0") or 0))
        created: list[User] = []
        errors = _run(
            lambda: created.append(
                org_admin.create_user(
                    current_user,
                    username=form.get("username", ""),
                    full_name=form.get("full_name", ""),
                    email=form.get("email"),
                    password=form.get("password", ""),
                    unit=home,
                    role=form.get("role", ""),
                )
            ),
            _("Đã tạo tài khoản."),
        )
        if not errors:
            return redirect(url_for("admin_org.user", user_id=created[0].id))
    return render_template(
        "admin/user_new.html",
        units=_scoped_units(),
        roles=org_admin.ROLE_LABELS,
        errors=errors,
        values=request.form,
    ), (422 if errors else 200)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user(user_id: int) -> Any:
    target = _user(user_id)
    errors: dict[str, str] = {}
    new_password: str | None = None
    if request.method == "POST":
        form, action = request.form, request.form.get("action")
        if action == "update":
            errors = _run(
                lambda: org_admin.update_user(
                    current_user, target, full_name=form.get("full_name", ""), email=form.get("email")
                ),
                _("Đã lưu tài khoản."),
            )
        elif action == "add_role":
            home = _unit(int(form.get("unit_id", "0") or 0))
            errors = _run(
                lambda: org_admin.add_role(current_user, target, home, form.get("role", "")),
                _("Đã thêm vai trò."),
            )
        elif action == "remove_role":
            granted = db.session.get(UserRole, int(form.get("role_id", "0") or 0))
            if granted is None or granted.user_id != target.id:
                abort(404)
            errors = _run(lambda: org_admin.remove_role(current_user, granted), _("Đã bỏ vai trò."))
        elif action == "reset_password":
            holder: list[str] = []
            errors = _run(
                lambda: holder.append(org_admin.reset_password(current_user, target)),
                _("Đã đặt lại mật khẩu; mọi phiên đăng nhập của người dùng đã kết thúc."),
            )
            new_password = holder[0] if holder else None
        elif action == "revoke_sessions":
            errors = _run(
                lambda: org_admin.revoke_sessions(current_user, target),
                _("Đã đăng xuất người dùng khỏi mọi thiết bị."),
            )
        elif action == "close":
            value = form.get("successor_id", "")
            successor = _user(int(value)) if value.isdigit() else None
            counts: list[dict[str, int]] = []
            errors = _run(
                lambda: counts.append(org_admin.close_account(current_user, target, successor)),
                _("Đã đóng tài khoản."),
            )
            if counts:
                flash(
                    _(
                        "%(moved)d công việc chuyển cho người thay thế, "
                        "%(released)d công việc trả về đơn vị.",
                        moved=counts[0]["moved"],
                        released=counts[0]["released"],
                    ),
                    "info",
                )
        if not errors and new_password is None:
            return redirect(url_for("admin_org.user", user_id=user_id))
    open_items = db.session.scalar(
        select(db.func.count(WorkItem.id)).where(WorkItem.assignee_id == target.id, WorkItem.state == "open")
    )
    colleagues = [
        u
        for u in db.session.scalars(
            select(User)
            .where(User.is_active_account.is_(True), User.id != target.id)
            .order_by(User.full_name)
        )
        if can_admin_user(current_user, u)
    ]
    return render_template(
        "admin/user.html",
        user=target,
        units=_scoped_units(),
        roles=org_admin.ROLE_LABELS,
        errors=errors,
        new_password=new_password,
        open_items=open_items,
        colleagues=colleagues,
    ), (422 if errors else 200)

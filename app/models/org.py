"""The organisation: units as a tree, users, their roles per unit, API tokens."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models.types import UTCDateTime


class UnitKind(StrEnum):
    PROVINCE = "province"
    OFFICE = "office"
    DEPARTMENT = "department"
    DISTRICT = "district"
    SECTION = "section"
    COMMUNE = "commune"


class Role(StrEnum):
    """Roles a user holds in one unit; lanes of the BPMN models resolve to these."""

    OFFICE_OFFICER = "office_officer"
    OFFICE_CHIEF = "office_chief"
    LEADER = "leader"
    FOCAL_OFFICER = "focal_officer"
    AGENCY_HEAD = "agency_head"
    SECTION_HEAD = "section_head"
    OFFICER = "officer"
    INSPECTOR = "inspector"
    EMULATION_COUNCIL = "emulation_council"
    ANALYST = "analyst"
    ADMIN = "admin"


class Unit(db.Model):  # type: ignore[name-defined,misc]
    """A body in the tree province -> office, departments, districts -> sections -> communes.

    `path` is the materialised chain of ids ("/1/4/9/") so that "this unit and its sub-units"
    is one indexed prefix query instead of a recursive walk.
    """

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    path: Mapped[str] = mapped_column(String(400), default="/", index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    # R7: an agency not yet connected to the system reports on paper; the Office enters its results.
    is_connected: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[Unit | None] = relationship(remote_side=[id])

    @property
    def province_path(self) -> str:
        """The path prefix of the top of this unit's tree, its province (`/<id>/`)."""
        top = self.path.strip("/").split("/")[0]
        return f"/{top}/" if top else "/"

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(255))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active_account: Mapped[bool] = mapped_column("is_active", default=True)
    # Bumped to end every session of this user (password reset, account closed).
    session_version: Mapped[int] = mapped_column(default=1)
    # R14: the highest confidentiality level this user may read in a separate register.
    clearance: Mapped[str] = mapped_column(String(20), default="normal")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Set when the account of someone who left is closed (R15); closed accounts never reopen silently.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    roles: Mapped[list[UserRole]] = relationship(back_populates="user", cascade="all, delete-orphan")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.is_active_account

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class UserRole(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "user_role"
    __table_args__ = (
        UniqueConstraint("user_id", "unit_id", "role", name="uq_user_role_user_unit_role"),
        Index("ix_user_role_unit_role", "unit_id", "role"),
        # R15: one focal officer per agency at a time. The service checks first and explains; the
        # index makes a race between two administrators fail instead of leaving two focal officers.
        Index(
            "uq_user_role_one_focal_officer",
            "unit_id",
            unique=True,
            sqlite_where=text("role = 'focal_officer'"),
            postgresql_where=text("role = 'focal_officer'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    role: Mapped[str] = mapped_column(String(40))

    user: Mapped[User] = relationship(back_populates="roles")
    unit: Mapped[Unit] = relationship()


class ApiToken(db.Model):  # type: ignore[name-defined,misc]
    """A bearer token for integrations; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

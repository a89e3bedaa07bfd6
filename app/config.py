"""Settings come from the environment (twelve-factor); tests override them with a dict."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_MODEL_BYTES = 2 * 1024 * 1024


def _secret_key(instance_path: Path) -> str:
    """Use SECRET_KEY from the environment, else one generated once and kept under instance/.

    The key file is created with mode 600 and is ignored by git: a secret is never committed.
    """
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    key_file.touch(mode=0o600)
    key_file.write_text(key)
    return key


def _flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def database_url(raw: str) -> str:
    """Accept the `postgres://` and `postgresql://` forms hosting platforms hand out.

    SQLAlchemy would pick the psycopg2 driver for them, which is not installed: psycopg 3 is.
    """
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def _engine_options(uri: str) -> dict[str, Any]:
    if uri.startswith("sqlite"):
        # Writers wait for each other instead of failing at once with "database is locked".
        return {"connect_args": {"timeout": 30}}
    # Several gunicorn workers each hold a pool: size it so that workers x (size + overflow) stays
    # under the server's max_connections; pre-ping drops connections a failover or restart closed.
    return {
        "pool_pre_ping": True,
        "pool_size": int(os.environ.get("DONDOC_DB_POOL_SIZE", "5")),
        "max_overflow": int(os.environ.get("DONDOC_DB_MAX_OVERFLOW", "5")),
        "pool_recycle": 1800,
    }


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def background_settings() -> dict[str, Any]:
    """Scheduler, job intervals and e-mail (SMTP) settings; see README "Configuration"."""
    return {
        "DONDOC_SCHEDULER": os.environ.get("DONDOC_SCHEDULER", "embedded"),
        "DONDOC_SCHEDULER_LEASE_SECONDS": _int("DONDOC_SCHEDULER_LEASE_SECONDS", 60),
        "DONDOC_TIMER_SWEEP_SECONDS": _int("DONDOC_TIMER_SWEEP_SECONDS", 30),
        "DONDOC_TIMER_SWEEP_BATCH": _int("DONDOC_TIMER_SWEEP_BATCH", 50),
        "DONDOC_TIMER_SWEEP_WORKERS": _int("DONDOC_TIMER_SWEEP_WORKERS", 1),
        "DONDOC_REMINDER_SWEEP_SECONDS": _int("DONDOC_REMINDER_SWEEP_SECONDS", 600),
        "DONDOC_MAIL_SECONDS": _int("DONDOC_MAIL_SECONDS", 60),
        "DONDOC_DIGEST_SWEEP_SECONDS": _int("DONDOC_DIGEST_SWEEP_SECONDS", 900),
        "DONDOC_WEEKLY_SWEEP_SECONDS": _int("DONDOC_WEEKLY_SWEEP_SECONDS", 1800),
        "DONDOC_REPORT_SWEEP_SECONDS": _int("DONDOC_REPORT_SWEEP_SECONDS", 3600),
        "DONDOC_REMINDER_TIME": os.environ.get("DONDOC_REMINDER_TIME", "08:00"),
        "DONDOC_DIGEST_TIME": os.environ.get("DONDOC_DIGEST_TIME", "16:30"),
        "DONDOC_SMTP_HOST": os.environ.get("DONDOC_SMTP_HOST", ""),
        "DONDOC_SMTP_PORT": _int("DONDOC_SMTP_PORT", 25),
        "DONDOC_SMTP_USER": os.environ.get("DONDOC_SMTP_USER", ""),
        "DONDOC_SMTP_PASSWORD": os.environ.get("DONDOC_SMTP_PASSWORD", ""),
        "DONDOC_SMTP_STARTTLS": _flag("DONDOC_SMTP_STARTTLS"),
        "DONDOC_SMTP_TIMEOUT": _int("DONDOC_SMTP_TIMEOUT", 20),
        "DONDOC_MAIL_FROM": os.environ.get("DONDOC_MAIL_FROM", "DonDoc <dondoc@localhost>"),
        "DONDOC_BASE_URL": os.environ.get("DONDOC_BASE_URL", "http://127.0.0.1:5000"),
        "DONDOC_MAX_URGING_FILE_BYTES": _int("DONDOC_MAX_URGING_FILE_BYTES", 10 * 1024 * 1024),
    }


def load_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Fill app.config from the environment, then apply `overrides` (tests, scripts)."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.update(
        SQLALCHEMY_DATABASE_URI=database_url(
            os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'dondoc.sqlite3'}")
        ),
        SQLALCHEMY_ENGINE_OPTIONS={},
        DONDOC_REPORTING_DATABASE_URL=os.environ.get("DONDOC_REPORTING_DATABASE_URL", ""),
        DONDOC_ALLOW_CLOCK_OVERRIDE=_flag("DONDOC_ALLOW_CLOCK_OVERRIDE"),
        DONDOC_BPMN_DIR=os.environ.get("DONDOC_BPMN_DIR", str(Path(app.root_path).parent / "bpmn")),
        DONDOC_UPLOAD_DIR=os.environ.get("DONDOC_UPLOAD_DIR", str(instance / "uploads")),
        DONDOC_TIMEZONE="Asia/Ho_Chi_Minh",
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
        DONDOC_MAX_MODEL_BYTES=MAX_MODEL_BYTES,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=_flag("DONDOC_SECURE_COOKIES"),
        REMEMBER_COOKIE_HTTPONLY=True,
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_DEFAULT_LOCALE="vi",
        BABEL_DEFAULT_TIMEZONE="Asia/Ho_Chi_Minh",
    )
    app.config.update(background_settings())
    if overrides:
        app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    for key, value in _engine_options(app.config["SQLALCHEMY_DATABASE_URI"]).items():
        app.config["SQLALCHEMY_ENGINE_OPTIONS"].setdefault(key, value)
    replica = app.config["DONDOC_REPORTING_DATABASE_URL"]
    if replica:  # report queries go there (app/services/read_replica.py)
        url = database_url(replica)
        app.config.setdefault("SQLALCHEMY_BINDS", {})["reporting"] = {"url": url, **_engine_options(url)}

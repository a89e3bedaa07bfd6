"""DonDoc: tracking, urging and inspecting the tasks that directives assign.

`create_app` is the one visible start-up sequence: configuration, extensions, then each
layer registers itself (web blueprints, JSON API, CLI commands, engine wiring, the scheduler).
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.config import load_config


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application; tests pass their own `config` (e.g. a database URL)."""
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, config)
    register_extensions(app)
    register_engine(app)
    register_web(app)
    register_api(app)
    register_cli(app)
    register_scheduler(app)
    return app


def register_extensions(app: Flask) -> None:
    from app.extensions import init_extensions

    init_extensions(app)


def register_engine(app: Flask) -> None:
    from app.services.engine_wiring import wire_engine

    wire_engine(app)


def register_web(app: Flask) -> None:
    from app.web import register_blueprints

    register_blueprints(app)


def register_api(app: Flask) -> None:
    from app.api import register_api_v1

    register_api_v1(app)


def register_cli(app: Flask) -> None:
    from app.cli import register_commands

    register_commands(app)


def register_scheduler(app: Flask) -> None:
    """Embed the job scheduler in the `flask run` server (off in tests and other commands)."""
    from app.jobs.scheduler import start_embedded

    start_embedded(app)

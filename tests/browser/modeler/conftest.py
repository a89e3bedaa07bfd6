"""The modeler's browser tests: a live server on the modeler fixture database, Debian's chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.live_browser import serving
from tests.modeler.conftest import app, db_path, modeler_template_db  # noqa: F401 - same database set-up

ASSETS = Path(__file__).resolve().parents[3] / "app" / "static" / "vendor" / "dondoc" / "modeler.js"


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:  # noqa: F811
    if not ASSETS.exists():
        pytest.fail("Front-end bundles missing: run `make assets` (npm ci, then scripts/build_assets.mjs).")
    with serving(app) as url:
        yield url


@pytest.fixture
def browser_page(chromium) -> Iterator[object]:
    context = chromium.new_context(viewport={"width": 1600, "height": 1000}, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()

"""The modeler's browser tests: a live server on the modeler fixture database, Debian's chromium."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.modeler.conftest import app, db_path, modeler_template_db  # noqa: F401 - same database set-up

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ASSETS = Path(__file__).resolve().parents[3] / "app" / "static" / "vendor" / "dondoc" / "modeler.js"


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:  # noqa: F811
    if not ASSETS.exists():
        pytest.fail("Front-end bundles missing: run `make assets` (npm ci, then scripts/build_assets.mjs).")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def browser_page() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(
            "Debian chromium is missing: apt-get install -y chromium (see scripts/ensure_chromium.sh)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="vi-VN")
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.errors = errors  # type: ignore[attr-defined]
        yield page
        context.close()
        browser.close()

"""What the browser tests share: the app served over HTTP in a thread, and Debian's chromium.

Chromium is installed by `scripts/ensure_chromium.sh` (called by `make test`). When it cannot
start, the tests fail loudly on CI (CI=true) and are skipped elsewhere, saying why.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from scripts.chromium import CHROMIUM, launch
from tests.conftest import make_app


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve `app` on a free loopback port in a thread, like a real deployment; yields its URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


# Module scope, not session: Playwright's sync API keeps an event loop in this thread while it is
# started, and tests that render diagrams (scripts/render_diagrams.py) start their own Playwright.
@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import Error, sync_playwright

    problem = None if CHROMIUM.exists() else f"{CHROMIUM} is missing (run scripts/ensure_chromium.sh)"
    if problem is None:
        manager = sync_playwright().start()
        try:
            browser = launch(manager)
        except Error as exc:
            manager.stop()
            problem = f"chromium did not start: {exc}"
    if problem is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)
    yield browser
    browser.close()
    manager.stop()


@pytest.fixture
def live_server(app: Flask, database_url: str, tmp_path: Path) -> Iterator[str]:
    """A second app on the test's database, served over HTTP."""
    with serving(make_app(database_url, DONDOC_UPLOAD_DIR=str(tmp_path / "uploads"))) as url:
        yield url

"""Browser tests: the real app served over HTTP on 127.0.0.1, Debian's chromium driven by Playwright.

Chromium is installed by `scripts/ensure_chromium.sh` (called by `make test`). When it cannot
start, these tests fail loudly on CI (CI=true) and are skipped elsewhere, saying why.
Screenshots go to test-artifacts/browser/ (ignored by git).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


# Module scope, not session: Playwright's sync API runs an event loop while started, and other
# browser tests (calendar, inspection, modeler) start their own Playwright afterwards.
@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import Error, sync_playwright

    problem = None if Path(CHROMIUM).exists() else f"{CHROMIUM} is missing (run scripts/ensure_chromium.sh)"
    if problem is None:
        manager = sync_playwright().start()
        try:
            browser = manager.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
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
def live_server(app, database_url: str, tmp_path: Path) -> Iterator[str]:
    """Serve a second app on the same database, in a thread, like a real deployment."""
    served = make_app(database_url, DONDOC_UPLOAD_DIR=str(tmp_path / "uploads"))
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def shots() -> Any:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str, *, full_page: bool = True) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take

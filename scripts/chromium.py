"""Debian's chromium as every browser test and script starts it through Playwright.

Headless, without the sandbox (tests and containers run as root) and without background traffic
(the machines that run the tests reach package mirrors only).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch(playwright: Any) -> Any:
    """A Chromium browser from a started Playwright (`sync_playwright().start()` or its `with`)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

"""Every BPMN model opens in bpmn-js (the viewer the web pages use) without import warnings."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _renderer():
    spec = importlib.util.spec_from_file_location("render_diagrams", ROOT / "scripts" / "render_diagrams.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.browser
def test_every_model_opens_in_bpmn_js_without_warnings():
    renderer = _renderer()
    assert renderer.CHROMIUM.exists(), (
        f"{renderer.CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)"
    )
    assert (renderer.VENDOR / "bpmn-viewer.production.min.js").exists(), (
        "bpmn-js is missing: run `npm ci && node scripts/copy_assets.mjs` (make setup does it)"
    )
    models = sorted((ROOT / "bpmn").glob("*.bpmn"))
    assert {m.stem for m in models} >= {
        "directive_intake",
        "task_lifecycle",
        "coordination_request",
        "internal_delegation",
    }
    results = renderer.open_models(models, screenshot_dir=None)
    problems = {
        name: r.get("error") or r["warnings"]
        for name, r in results.items()
        if r.get("error") or r["warnings"]
    }
    assert problems == {}
    # Each diagram has a size: the shapes were laid out, not stacked at the origin.
    assert all(r["width"] > 600 and r["height"] > 200 for r in results.values()), results

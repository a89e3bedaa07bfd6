"""Every BPMN model opens in bpmn-js (the viewer the web pages use) without import warnings."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# SpiffWorkflow's multi-instance steps name a process variable in `loopDataInputRef` where BPMN
# expects the id of a data element; bpmn-js reports it and still draws the step. Nothing else is
# tolerated.
MULTI_INSTANCE_VARIABLE = re.compile(r"^unresolved reference <[a-z_]+>$")


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
        name: [result["error"]] if result.get("error") else result["warnings"]
        for name, result in results.items()
    }
    problems = {
        name: [w for w in found if not (w and MULTI_INSTANCE_VARIABLE.match(w) and _is_loop_ref(name, w))]
        for name, found in problems.items()
    }
    problems = {name: found for name, found in problems.items() if found}
    assert problems == {}
    # Each diagram has a size: the shapes were laid out, not stacked at the origin.
    assert all(r["width"] > 600 and r["height"] > 200 for r in results.values()), results


def _is_loop_ref(model: str, warning: str) -> bool:
    """The unresolved name is the `loopDataInputRef` of a multi-instance step of that model."""
    name = warning.split("<", 1)[1].rstrip(">")
    text = (ROOT / "bpmn" / model).read_text(encoding="utf-8")
    return f"<bpmn:loopDataInputRef>{name}</bpmn:loopDataInputRef>" in text

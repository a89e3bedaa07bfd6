"""Render every BPMN model under bpmn/ with bpmn-js in headless chromium, to docs/diagrams/<model>.png.

The same viewer the web pages use (app/static/vendor/bpmn-js, from `npm ci && node
scripts/copy_assets.mjs`) imports each file; import warnings are printed and make the script fail,
so a model that bpmn-js cannot show cleanly is noticed before anyone opens it in a browser.

    python scripts/render_diagrams.py [--out docs/diagrams] [--scale 1.5] [model.bpmn ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.chromium import CHROMIUM, launch  # noqa: E402

VENDOR = ROOT / "app" / "static" / "vendor" / "bpmn-js"

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="{vendor}/diagram-js.css"><link rel="stylesheet" href="{vendor}/bpmn-js.css">
<style>html,body{{margin:0;background:#fff}} #canvas{{width:{width}px;height:{height}px}}</style>
<script src="{vendor}/bpmn-viewer.production.min.js"></script></head>
<body><div id="canvas"></div><script>
window.importModel = async function (xml) {{
  const viewer = new BpmnJS({{ container: '#canvas' }});
  window.viewer = viewer;
  try {{
    const result = await viewer.importXML(xml);
    const canvas = viewer.get('canvas');
    const box = canvas.viewbox().inner;
    return {{ warnings: result.warnings.map(w => w.message), width: box.width, height: box.height,
             x: box.x, y: box.y }};
  }} catch (err) {{
    return {{ error: String(err && err.message || err), warnings: (err.warnings || []).map(w => w.message) }};
  }}
}};
</script></body></html>"""


def open_models(paths: list[Path], *, screenshot_dir: Path | None, scale: float = 1.5) -> dict[str, Any]:
    """Import each model in bpmn-js; returns {file name: {"warnings": [...], "error": ...}}."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    if not (VENDOR / "bpmn-viewer.production.min.js").exists():
        raise RuntimeError(f"{VENDOR} is missing: run `npm ci && node scripts/copy_assets.mjs`")
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = launch(pw)
        try:
            for path in paths:
                results[path.name] = _render(browser, Path(tmp), path, screenshot_dir, scale)
        finally:
            browser.close()
    return results


def _render(browser: Any, tmp: Path, path: Path, screenshot_dir: Path | None, scale: float) -> Any:
    xml = path.read_text(encoding="utf-8")
    probe = _import(browser, tmp, xml, 1600, 1000, 1.0)
    if "error" in probe or screenshot_dir is None:
        return probe
    width, height = int(probe["width"]) + 40, int(probe["height"]) + 40
    page = _page(browser, tmp, width, height, scale)
    try:
        page.evaluate("xml => window.importModel(xml)", xml)
        page.evaluate(
            "([x, y, w, h]) => window.viewer.get('canvas')"
            ".viewbox({x: x - 20, y: y - 20, width: w, height: h})",
            [probe["x"], probe["y"], width, height],
        )
        screenshot_dir.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot_dir / f"{path.stem}.png"))
    finally:
        page.close()
    return probe


def _page(browser: Any, tmp: Path, width: int, height: int, scale: float) -> Any:
    page_file = tmp / f"page-{width}x{height}.html"
    page_file.write_text(PAGE.format(vendor=VENDOR.as_uri(), width=width, height=height), encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=scale)
    page.goto(page_file.as_uri())
    return page


def _import(browser: Any, tmp: Path, xml: str, width: int, height: int, scale: float) -> Any:
    page = _page(browser, tmp, width, height, scale)
    try:
        return page.evaluate("xml => window.importModel(xml)", xml)
    finally:
        page.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "diagrams")
    parser.add_argument("--scale", type=float, default=1.5)
    args = parser.parse_args()
    paths = args.models or sorted((ROOT / "bpmn").glob("*.bpmn"))
    results = open_models(paths, screenshot_dir=args.out, scale=args.scale)
    failed = False
    for name, result in results.items():
        problems = ([result["error"]] if "error" in result else []) + result.get("warnings", [])
        print(f"{name}: {'OK' if not problems else json.dumps(problems, ensure_ascii=False)}")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

// Build the browser bundles from our small entry files under app/static/src/ (no CDN):
// the BPMN modeler with its properties panel, the DMN editor, the form editor, the instance viewer.
import { build } from "esbuild";

const entries = ["modeler", "dmn-editor", "form-editor", "instance-viewer"];
await build({
  entryPoints: entries.map((name) => `app/static/src/${name}.js`),
  outdir: "app/static/vendor/dondoc",
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  sourcemap: false,
  logLevel: "warning",
  loader: { ".json": "json" },
});
console.log(`built ${entries.length} bundles in app/static/vendor/dondoc/`);

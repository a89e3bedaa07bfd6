// Copy the prebuilt browser bundles of our npm dependencies under app/static/vendor/.
import { cpSync, mkdirSync } from "node:fs";

const files = [
  ["node_modules/bpmn-js/dist/bpmn-viewer.production.min.js", "bpmn-js/bpmn-viewer.production.min.js"],
  ["node_modules/bpmn-js/dist/assets/diagram-js.css", "bpmn-js/diagram-js.css"],
  ["node_modules/bpmn-js/dist/assets/bpmn-js.css", "bpmn-js/bpmn-js.css"],
  ["node_modules/bpmn-js/dist/assets/bpmn-font", "bpmn-js/bpmn-font"],
];
for (const [from, to] of files) {
  const target = `app/static/vendor/${to}`;
  mkdirSync(target.substring(0, target.lastIndexOf("/")), { recursive: true });
  cpSync(from, target, { recursive: true });
}
console.log(`copied ${files.length} asset paths to app/static/vendor/`);

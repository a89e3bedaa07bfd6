// Copy the prebuilt browser bundles of our npm dependencies under app/static/vendor/.
import { cpSync, mkdirSync } from "node:fs";

const files = [
  ["node_modules/bpmn-js/dist/bpmn-viewer.production.min.js", "bpmn-js/bpmn-viewer.production.min.js"],
  ["node_modules/bpmn-js/dist/assets/diagram-js.css", "bpmn-js/diagram-js.css"],
  ["node_modules/bpmn-js/dist/assets/bpmn-js.css", "bpmn-js/bpmn-js.css"],
  ["node_modules/bpmn-js/dist/assets/bpmn-font", "bpmn-js/bpmn-font"],
  ["node_modules/chart.js/dist/chart.umd.min.js", "chart.js/chart.umd.min.js"],
  ["node_modules/chartjs-chart-matrix/dist/chartjs-chart-matrix.min.js", "chartjs-chart-matrix/chartjs-chart-matrix.min.js"],
];
for (const [from, to] of files) {
  const target = `app/static/vendor/${to}`;
  mkdirSync(target.substring(0, target.lastIndexOf("/")), { recursive: true });
  cpSync(from, target, { recursive: true });
}
console.log(`copied ${files.length} asset paths to app/static/vendor/`);

// Copy the prebuilt browser bundles of our npm dependencies under app/static/vendor/.
import { cpSync, mkdirSync } from "node:fs";

const files = [
  ["node_modules/bpmn-js/dist/bpmn-viewer.production.min.js", "bpmn-js/bpmn-viewer.production.min.js"],
  ["node_modules/bpmn-js/dist/assets/diagram-js.css", "bpmn-js/diagram-js.css"],
  ["node_modules/bpmn-js/dist/assets/bpmn-js.css", "bpmn-js/bpmn-js.css"],
  ["node_modules/bpmn-js/dist/assets/bpmn-font", "bpmn-js/bpmn-font"],
  ["node_modules/@bpmn-io/properties-panel/dist/assets/properties-panel.css", "properties-panel/properties-panel.css"],
  ["node_modules/dmn-js/dist/assets/diagram-js.css", "dmn-js/diagram-js.css"],
  ["node_modules/dmn-js/dist/assets/dmn-js-shared.css", "dmn-js/dmn-js-shared.css"],
  ["node_modules/dmn-js/dist/assets/dmn-js-drd.css", "dmn-js/dmn-js-drd.css"],
  ["node_modules/dmn-js/dist/assets/dmn-js-decision-table.css", "dmn-js/dmn-js-decision-table.css"],
  ["node_modules/dmn-js/dist/assets/dmn-js-decision-table-controls.css", "dmn-js/dmn-js-decision-table-controls.css"],
  ["node_modules/dmn-js/dist/assets/dmn-js-literal-expression.css", "dmn-js/dmn-js-literal-expression.css"],
  ["node_modules/dmn-js/dist/assets/dmn-js-boxed-expression.css", "dmn-js/dmn-js-boxed-expression.css"],
  ["node_modules/dmn-js/dist/assets/dmn-js-boxed-expression-controls.css", "dmn-js/dmn-js-boxed-expression-controls.css"],
  ["node_modules/dmn-js/dist/assets/dmn-font", "dmn-js/dmn-font"],
  ["node_modules/chart.js/dist/chart.umd.min.js", "chart.js/chart.umd.min.js"],
  ["node_modules/chartjs-chart-matrix/dist/chartjs-chart-matrix.min.js", "chartjs-chart-matrix/chartjs-chart-matrix.min.js"],
];
for (const [from, to] of files) {
  const target = `app/static/vendor/${to}`;
  mkdirSync(target.substring(0, target.lastIndexOf("/")), { recursive: true });
  cpSync(from, target, { recursive: true });
}
console.log(`copied ${files.length} asset paths to app/static/vendor/`);

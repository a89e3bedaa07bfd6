// The BPMN modeler: bpmn-js with its properties panel and DonDoc's own entries.
import BpmnModeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import spiffModdle from './spiffworkflow-moddle.json';
import SpiffPropertiesProvider from './spiff-properties.js';
import { wireToolbar, showStatus } from './common.js';

const root = document.getElementById('editor');
const modeler = new BpmnModeler({
  container: '#canvas',
  propertiesPanel: { parent: '#properties' },
  additionalModules: [
    BpmnPropertiesPanelModule,
    BpmnPropertiesProviderModule,
    { __init__: ['spiffPropertiesProvider'], spiffPropertiesProvider: ['type', SpiffPropertiesProvider] },
  ],
  moddleExtensions: { spiffworkflow: spiffModdle },
});
window.dondocModeler = modeler; // lets browser tests and power users reach the API

function pick(elementId) {
  if (!elementId) return;
  const element = modeler.get('elementRegistry').get(elementId);
  if (!element) return;
  modeler.get('selection').select(element);
  modeler.get('canvas').scrollToElement(element);
}

async function load() {
  const response = await fetch(root.dataset.sourceUrl, { credentials: 'same-origin' });
  try {
    await modeler.importXML(await response.text());
    modeler.get('canvas').zoom('fit-viewport');
    root.dataset.ready = 'true';
  } catch (error) {
    showStatus(`Không mở được sơ đồ: ${error.message}`, 'error');
  }
}

wireToolbar({
  path: root.dataset.path,
  getContent: async () => (await modeler.saveXML({ format: true })).xml,
  pick,
});
load();

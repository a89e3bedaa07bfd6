// The decision-table editor (dmn-js), opened on the table rather than the requirements diagram.
import DmnModeler from 'dmn-js/lib/Modeler';
import { wireToolbar, showStatus } from './common.js';

const root = document.getElementById('editor');
const modeler = new DmnModeler({ container: '#canvas', common: { keyboard: { bindTo: window } } });
window.dondocDmn = modeler;

async function load() {
  const response = await fetch(root.dataset.sourceUrl, { credentials: 'same-origin' });
  try {
    await modeler.importXML(await response.text());
    const table = modeler.getViews().find((v) => v.type === 'decisionTable');
    if (table) await modeler.open(table);
    root.dataset.ready = 'true';
  } catch (error) {
    showStatus(`Không mở được bảng quyết định: ${error.message}`, 'error');
  }
}

wireToolbar({
  path: root.dataset.path,
  getContent: async () => (await modeler.saveXML({ format: true })).xml,
  pick: null,
});
load();

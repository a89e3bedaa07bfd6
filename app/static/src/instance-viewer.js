// One instance's diagram: completed steps in green, the steps it waits in highlighted.
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';

const root = document.getElementById('instance-diagram');
const viewer = new NavigatedViewer({ container: root });

async function load() {
  const response = await fetch(root.dataset.url, { credentials: 'same-origin' });
  const data = await response.json();
  await viewer.importXML(data.xml);
  const canvas = viewer.get('canvas');
  const registry = viewer.get('elementRegistry');
  canvas.zoom('fit-viewport');
  for (const id of data.completed) if (registry.get(id)) canvas.addMarker(id, 'step-completed');
  for (const id of data.active) if (registry.get(id)) canvas.addMarker(id, 'step-active');
  root.dataset.ready = 'true';
}
load();

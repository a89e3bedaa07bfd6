// JSON Schema form editor with a live preview rendered by the server's own form macro.
import { wireToolbar, postJson } from './common.js';

const root = document.getElementById('editor');
const source = document.getElementById('form-source');
const preview = document.getElementById('form-preview');
let timer = null;

async function refresh() {
  const { ok, data } = await postJson(root.dataset.previewUrl, { content: source.value });
  if (ok) {
    preview.innerHTML = data.html; // rendered and escaped by the server's Jinja macro
  } else {
    preview.textContent = data.error?.message || 'Không xem trước được.';
  }
}

source.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(refresh, 300);
});

async function load() {
  const response = await fetch(root.dataset.sourceUrl, { credentials: 'same-origin' });
  source.value = await response.text();
  await refresh();
  root.dataset.ready = 'true';
}

wireToolbar({ path: root.dataset.path, getContent: async () => source.value, pick: null });
load();

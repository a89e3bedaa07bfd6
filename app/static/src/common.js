// Shared by the editors: CSRF-protected JSON calls, the problem list, the deploy bar.
export function csrfToken() {
  return document.querySelector('[data-csrf]').dataset.csrf;
}

export async function postJson(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrfToken() },
    credentials: 'same-origin',
    body: JSON.stringify(body),
  });
  let data = {};
  try { data = await response.json(); } catch (e) { data = { message: 'Máy chủ trả lời không hợp lệ.' }; }
  return { ok: response.ok, status: response.status, data };
}

export function showStatus(text, kind) {
  const box = document.getElementById('editor-status');
  box.textContent = text;
  box.className = `flash flash-${kind || 'info'}`;
  box.hidden = false;
}

// Problems, each pinned to its element: clicking one selects it in the editor.
export function showProblems(problems, onPick) {
  const list = document.getElementById('problems');
  list.replaceChildren();
  for (const problem of problems) {
    const item = document.createElement('li');
    const where = problem.element_id ? `${problem.file} · ${problem.element_id}` : problem.file;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link-dark';
    button.textContent = where;
    button.dataset.elementId = problem.element_id || '';
    button.addEventListener('click', () => onPick && onPick(problem.element_id));
    item.append(button, document.createTextNode(`: ${problem.message}`));
    list.append(item);
  }
  list.closest('section').hidden = problems.length === 0;
}

// Wire the toolbar: save draft, validate, deploy (with a required change note), download.
export function wireToolbar({ path, getContent, pick }) {
  const root = document.getElementById('editor');
  const urls = root.dataset;
  document.getElementById('btn-draft').addEventListener('click', async () => {
    const { ok, data } = await postJson(urls.draftUrl, { path, content: await getContent() });
    showStatus(ok ? data.message : data.error?.message || 'Không lưu được.', ok ? 'success' : 'error');
  });
  document.getElementById('btn-validate').addEventListener('click', async () => {
    const { ok, data } = await postJson(urls.validateUrl, { path, content: await getContent() });
    showProblems(data.problems || [], pick);
    showStatus(ok ? data.message : data.error?.message, ok ? 'success' : 'error');
  });
  document.getElementById('deploy-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const note = document.getElementById('deploy-note').value;
    const { ok, data } = await postJson(urls.deployUrl, { path, content: await getContent(), note });
    showProblems(data.problems || [], pick);
    showStatus(ok ? data.message : data.error?.message, ok ? 'success' : 'error');
    if (ok) document.getElementById('deploy-note').value = '';
  });
}

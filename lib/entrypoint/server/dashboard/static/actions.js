// Lifecycle actions (operators): ask first in a modal dialog, then POST the action and describe
// the per-server result the API returns, or its error.
import { apiJson, serverPath } from './api.js';

const VERBS = {
  start: { title: 'Start', explain: 'creates or starts its container' },
  stop: { title: 'Stop', explain: 'stops its container (the container is kept)' },
  restart: { title: 'Restart', explain: 'restarts its container (recreated when the command changed)' },
  pull: { title: 'Pull image of', explain: 'pulls its image on its host; the running container is not changed' },
};

/** Resolves true when the user confirms. The dialog is modal: focus stays in it, Escape cancels. */
export function confirmAction(dialog, action, name) {
  const verb = VERBS[action];
  dialog.querySelector('#confirm-title').textContent = `${verb.title} ${name}?`;
  dialog.querySelector('#confirm-text').textContent = `This ${verb.explain}.`;
  dialog.querySelector('#confirm-ok').textContent = verb.title.split(' ')[0];
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
    dialog.showModal();
    dialog.querySelector('#confirm-cancel').focus();
  });
}

/** One sentence for a TargetResult record (`{name, ok, action, status, error}`). */
export function describeResult(action, name, record) {
  if (!record.ok) return `${action} ${name} failed: ${record.error ?? 'unknown error'}`;
  if (action === 'pull') return `${name}: pulled ${record.reference ?? record.image ?? 'its image'}`;
  return `${name}: ${record.action ?? action}, now ${record.status ?? 'unknown'}`;
}

/** Runs a confirmed action; returns { ok, message } to show. */
export async function performAction(action, name) {
  try {
    const record = await apiJson(serverPath(name, `/${action}`), { method: 'POST', body: {} });
    return { ok: Boolean(record.ok), message: describeResult(action, name, record) };
  } catch (err) {
    return { ok: false, message: `${action} ${name} failed: ${err.message}` };
  }
}

/** What a button says while its action runs. */
export function progressLabel(action) {
  return { start: 'Starting…', stop: 'Stopping…', restart: 'Restarting…', pull: 'Pulling…' }[action];
}

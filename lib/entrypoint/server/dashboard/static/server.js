// The one-server view: its sections refreshed in place every few seconds, the health latency
// sparkline of this session, the live log view, and the lifecycle buttons for operators.
import { confirmAction, performAction, progressLabel } from './actions.js';
import { apiJson, serverPath } from './api.js';
import { fillDefinitions, setClass, setText } from './dom.js';
import { formatTime } from './format.js';
import { LogView } from './logs.js';
import { configRows, connectCommand, connectRows, containerRows, healthRows, resourceRows } from './serverModel.js';
import { Poller } from './poller.js';
import { drawSparkline, sparklineSummary } from './sparkline.js';

const REFRESH_MS = 5000;

export class ServerView {
  #root;
  #dialog;
  #history;
  #logs;
  #name;
  #poller = new Poller((signal) => this.#refresh(signal), REFRESH_MS);

  constructor(root, { dialog, history }) {
    this.#root = root;
    this.#dialog = dialog;
    this.#history = history;
    this.$ = (id) => root.querySelector(`#${id}`);
    this.#logs = new LogView({ list: this.$('log-lines'), filter: this.$('log-filter'), stick: this.$('log-stick'), state: this.$('log-state') });
    for (const button of this.$('server-actions').querySelectorAll('button[data-action]')) {
      button.addEventListener('click', () => void this.#act(button));
    }
    this.$('copy-connect').addEventListener('click', () => void this.#copyConnect());
  }

  show(name, { canAct }) {
    this.hide();
    this.#name = name;
    this.$('server-actions').hidden = !canAct;
    setText(this.$('server-title'), name);
    setText(this.$('server-status'), '…');
    setClass(this.$('server-status'), 'badge');
    for (const id of ['server-result', 'server-error', 'server-updated']) setText(this.$(id), '');
    for (const id of ['server-connect', 'server-health', 'server-resources', 'server-container', 'server-config']) this.$(id).replaceChildren();
    setText(this.$('connect-command'), connectCommand(name));
    this.#drawHistory();
    this.#logs.start(name);
    this.#poller.start();
  }

  /** Drops everything shown (on sign-out). */
  forget() {
    this.hide();
    this.#name = undefined;
    this.$('log-lines').replaceChildren();
    for (const id of ['server-connect', 'server-health', 'server-resources', 'server-container', 'server-config']) this.$(id).replaceChildren();
  }

  hide() {
    this.#poller.stop();
    this.#logs.stop();
  }

  async #refresh(signal) {
    const name = this.#name;
    try {
      const server = await apiJson(`${serverPath(name)}?lines=0`, { signal });
      if (name !== this.#name) return;
      this.#history.record(name, server.status?.health);
      this.#render(server);
      setText(this.$('server-updated'), `Updated ${new Date().toLocaleTimeString()}`);
      setText(this.$('server-error'), '');
    } catch (err) {
      if (err.name === 'AbortError') return;
      setText(this.$('server-error'), err.status === 404 ? `No server named ${name} is registered.` : `Could not refresh: ${err.message}`);
    }
  }

  #render(server) {
    const status = server.status?.status ?? 'unknown';
    setText(this.$('server-status'), status);
    setClass(this.$('server-status'), `badge status-${status}`);
    fillDefinitions(this.$('server-connect'), connectRows(server));
    fillDefinitions(this.$('server-health'), healthRows(server.status));
    fillDefinitions(this.$('server-resources'), resourceRows(server.status));
    fillDefinitions(this.$('server-container'), containerRows(server.status));
    fillDefinitions(this.$('server-config'), configRows(server.config));
    this.#drawHistory();
  }

  #drawHistory() {
    const points = this.#history.points(this.#name);
    drawSparkline(this.$('sparkline'), points);
    setText(this.$('sparkline-caption'), `Health check latency: ${sparklineSummary(points)}`);
  }

  async #act(button) {
    const action = button.dataset.action;
    const name = this.#name;
    const confirmed = await confirmAction(this.#dialog, action, name);
    button.focus();
    if (!confirmed) return;
    const label = button.textContent;
    const buttons = [...this.$('server-actions').querySelectorAll('button')];
    for (const b of buttons) b.disabled = true;
    setText(button, progressLabel(action));
    const result = await performAction(action, name);
    for (const b of buttons) b.disabled = false;
    setText(button, label);
    button.focus();
    if (name !== this.#name) return;
    setText(this.$('server-result'), `${result.message} (${formatTime(new Date().toISOString())})`);
    setClass(this.$('server-result'), result.ok ? 'result' : 'result failed');
    this.#poller.now();
  }

  async #copyConnect() {
    const text = this.$('connect-command').textContent;
    try {
      await navigator.clipboard.writeText(text);
      setText(this.$('server-result'), `Copied "${text}" to the clipboard.`);
    } catch {
      setText(this.$('server-result'), 'The browser did not allow copying; select the line instead.');
    }
  }
}

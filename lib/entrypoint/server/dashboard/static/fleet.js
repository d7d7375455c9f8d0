// The fleet view: every server in one table, refreshed every few seconds in place (cells change
// only when their text does, rows are kept and moved, never rebuilt), with counts per status,
// filters, the hosts that could not be asked, and one start/stop button per row for operators.
import { confirmAction, performAction, progressLabel } from './actions.js';
import { apiJson } from './api.js';
import { el, setAttr, setClass, setText } from './dom.js';
import { DASH } from './format.js';
import { Poller } from './poller.js';
import { hostsOf, matchesFilter, rowAction, rowTexts, sortServers, STATUSES, statusCounts, statusOf, unreachableHosts } from './fleetModel.js';

const REFRESH_MS = 5000;
const HOST_CHECK_MS = 30000;
const LABELS = { name: 'Name', host: 'Host', status: 'Status', health: 'MCP health', uptime: 'Uptime', cpu: 'CPU', memory: 'Memory', drift: 'Drift', action: 'Actions' };

export class FleetView {
  #root;
  #dialog;
  #history;
  #canAct = false;
  #rows = new Map();
  #servers = [];
  #unreachable = new Map();
  #poller = new Poller((signal) => this.#refresh(signal), REFRESH_MS);
  #hostTimer;
  #countButtons = new Map();

  constructor(root, { dialog, history }) {
    this.#root = root;
    this.#dialog = dialog;
    this.#history = history;
    this.$ = (id) => root.querySelector(`#${id}`);
    for (const id of ['filter-host', 'filter-status', 'filter-name']) this.$(id).addEventListener('input', () => this.#renderTable());
    this.$('fleet-filters').addEventListener('submit', (event) => event.preventDefault());
    this.#buildCounts();
  }

  show({ canAct }) {
    this.#canAct = canAct;
    for (const node of this.#root.querySelectorAll('.operator-only')) node.hidden = !canAct;
    // Rows were built for the previous role: rebuild them for this one.
    for (const row of this.#rows.values()) row.tr.remove();
    this.#rows.clear();
    this.#poller.start();
    void this.#checkHosts();
  }

  hide() {
    this.#poller.stop();
    clearTimeout(this.#hostTimer);
  }

  /** Drops everything shown (on sign-out): the next token may see less. */
  forget() {
    this.hide();
    this.#servers = [];
    this.#unreachable = new Map();
    for (const row of this.#rows.values()) row.tr.remove();
    this.#rows.clear();
    this.#render();
    for (const id of ['fleet-updated', 'fleet-result', 'fleet-error']) setText(this.$(id), '');
  }

  /** Refresh at once (after an action), or right after the refresh already under way. */
  refreshNow() {
    this.#poller.now();
  }

  async #refresh(signal) {
    try {
      const servers = await apiJson('/servers?stats=true&health=true', { signal });
      this.#servers = servers;
      for (const server of servers) this.#history.record(server.config.name, server.status?.health);
      this.#render();
      setText(this.$('fleet-updated'), `Updated ${new Date().toLocaleTimeString()}`);
      setText(this.$('fleet-error'), '');
    } catch (err) {
      if (err.name === 'AbortError') return;
      setText(this.$('fleet-error'), `Could not refresh the list: ${err.message}`);
    }
  }

  /** Which hosts answer: asked less often than the list, since it connects to every host. */
  async #checkHosts() {
    if (!this.#poller.active) return;
    try {
      this.#unreachable = unreachableHosts(await apiJson('/hosts/check', { method: 'POST', body: {} }));
      this.#render();
    } catch {
      // The list still shows each server's own error; the banner waits for the next check.
    }
    if (this.#poller.active) this.#hostTimer = setTimeout(() => void this.#checkHosts(), HOST_CHECK_MS);
  }

  #render() {
    this.#renderCounts();
    this.#renderHostOptions();
    this.#renderProblems();
    this.#renderTable();
  }

  #buildCounts() {
    const group = this.$('status-counts');
    for (const status of STATUSES) {
      const button = el('button', { className: `count status-${status}`, attrs: { type: 'button', 'aria-pressed': 'false' } }, [el('span', { className: 'dot', attrs: { 'aria-hidden': 'true' } }), el('span', { className: 'count-text' })]);
      button.addEventListener('click', () => {
        const select = this.$('filter-status');
        select.value = select.value === status ? '' : status;
        this.#renderTable();
        this.#renderCounts();
      });
      this.#countButtons.set(status, button);
      group.append(button);
    }
  }

  #renderCounts() {
    const counts = statusCounts(this.#servers);
    const chosen = this.$('filter-status').value;
    for (const [status, button] of this.#countButtons) {
      const count = counts.get(status) ?? 0;
      button.hidden = count === 0 && chosen !== status && status !== 'running' && status !== 'stopped';
      setText(button.querySelector('.count-text'), `${count} ${status}`);
      setAttr(button, 'aria-pressed', String(chosen === status));
    }
  }

  #renderHostOptions() {
    const select = this.$('filter-host');
    const hosts = hostsOf(this.#servers);
    const current = [...select.options].slice(1).map((option) => option.value);
    if (current.join('\n') === hosts.join('\n')) return;
    const chosen = select.value;
    select.replaceChildren(select.options[0], ...hosts.map((host) => el('option', { text: host, attrs: { value: host } })));
    select.value = hosts.includes(chosen) ? chosen : '';
  }

  #renderProblems() {
    const box = this.$('host-problems');
    const inUse = new Set(hostsOf(this.#servers));
    const lines = [...this.#unreachable].filter(([host]) => inUse.has(host)).map(([host, error]) => `Host ${host} could not be asked: ${error}. Its servers show status unknown.`);
    if ([...box.children].map((p) => p.textContent).join('\n') === lines.join('\n')) return;
    box.replaceChildren(...lines.map((line) => el('p', { text: line })));
  }

  #renderTable() {
    const filter = { host: this.$('filter-host').value, status: this.$('filter-status').value, text: this.$('filter-name').value.trim() };
    const visible = sortServers(this.#servers).filter((server) => matchesFilter(server, filter));
    const names = new Set(visible.map((server) => server.config.name));
    for (const [name, row] of this.#rows) {
      if (!names.has(name)) {
        row.tr.remove();
        this.#rows.delete(name);
      }
    }
    const tbody = this.$('fleet-table').tBodies[0];
    let previous = null;
    for (const server of visible) {
      const name = server.config.name;
      let row = this.#rows.get(name);
      if (!row) {
        row = this.#buildRow(name);
        this.#rows.set(name, row);
      }
      this.#updateRow(row, server);
      const expected = previous ? previous.nextSibling : tbody.firstChild;
      if (row.tr !== expected) tbody.insertBefore(row.tr, expected);
      previous = row.tr;
    }
    const empty = this.$('fleet-empty');
    empty.hidden = visible.length > 0;
    setText(empty, this.#servers.length === 0 ? 'No servers are registered yet (mcp add NAME --command "docker run ...").' : 'No server matches these filters.');
  }

  #buildRow(name) {
    const cells = {};
    // Explicit roles: the narrow layout displays the table as blocks, which drops its semantics.
    const tr = el('tr', { attrs: { 'data-server': name, role: 'row' } });
    for (const key of Object.keys(LABELS)) {
      if (key === 'action' && !this.#canAct) continue;
      const cell = el(key === 'name' ? 'th' : 'td', { className: `col-${key}`, attrs: { 'data-label': LABELS[key], ...(key === 'name' ? { scope: 'row', role: 'rowheader' } : { role: 'cell' }) } });
      cells[key] = cell;
      tr.append(cell);
    }
    cells.link = cells.name.appendChild(el('a', { text: name, attrs: { href: `#/servers/${encodeURIComponent(name)}` } }));
    // One wrapper per cell, so a narrow screen's label-and-value grid sees one value.
    const statusBox = cells.status.appendChild(el('div'));
    cells.badge = statusBox.appendChild(el('span', { className: 'badge' }));
    cells.statusDetail = statusBox.appendChild(el('span', { className: 'detail' }));
    const healthBox = cells.health.appendChild(el('div'));
    cells.healthSummary = healthBox.appendChild(el('span'));
    cells.healthDetail = healthBox.appendChild(el('span', { className: 'detail' }));
    if (cells.action) {
      cells.button = cells.action.appendChild(el('button', { attrs: { type: 'button' } }));
      cells.button.addEventListener('click', () => void this.#act(name, cells.button));
    }
    return { tr, cells };
  }

  #updateRow({ cells }, server) {
    const texts = rowTexts(server, this.#unreachable.get(server.config.host));
    const status = statusOf(server);
    setText(cells.host, texts.host);
    setText(cells.badge, texts.status);
    setClass(cells.badge, `badge status-${status}`);
    setText(cells.statusDetail, texts.statusDetail);
    setText(cells.healthSummary, texts.health);
    setText(cells.healthDetail, texts.healthDetail);
    setClass(cells.healthSummary, texts.healthClass);
    setText(cells.uptime, texts.uptime);
    setText(cells.cpu, texts.cpu);
    setText(cells.memory, texts.memory);
    setText(cells.drift, texts.drift);
    setClass(cells.drift, texts.drift === DASH ? 'col-drift' : 'col-drift warn');
    if (cells.button && !cells.button.disabled) {
      const action = rowAction(server);
      cells.button.hidden = !action;
      if (action) {
        cells.button.dataset.action = action;
        setText(cells.button, action === 'stop' ? 'Stop' : 'Start');
        setAttr(cells.button, 'aria-label', `${action === 'stop' ? 'Stop' : 'Start'} ${server.config.name}`);
      }
    }
  }

  async #act(name, button) {
    const action = button.dataset.action;
    const confirmed = await confirmAction(this.#dialog, action, name);
    button.focus();
    if (!confirmed) return;
    button.disabled = true;
    setText(button, progressLabel(action));
    const result = await performAction(action, name);
    button.disabled = false;
    setText(this.$('fleet-result'), result.message);
    setClass(this.$('fleet-result'), result.ok ? 'result' : 'result failed');
    this.refreshNow();
  }
}

// The live log view: follows `GET /servers/{name}/logs?follow=true` (server-sent events, one JSON
// log line each), keeps the last lines in memory and shows those containing the filter text.
// Each line is a text node: log output is never parsed as HTML.
import { apiFetch, serverPath } from './api.js';
import { el, setText } from './dom.js';
import { readEventStream } from './sse.js';

const KEEP = 2000;
const FIRST_TAIL = 200;
const RETRY_MS = [1000, 2000, 5000, 10000, 30000];

/** Docker's RFC 3339 times trim trailing zeros from the nanoseconds; this key compares them in order. */
export function timeKey(time) {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(.*)$/.exec(time ?? '');
  return match ? `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}${match[3]}` : '';
}

export function lineMatches(line, filter) {
  return filter === '' || line.text.toLowerCase().includes(filter.toLowerCase());
}

export class LogView {
  #list;
  #filter;
  #stick;
  #state;
  #name;
  #lines = [];
  #lastKey = '';
  #controller;
  #retryTimer;
  #failures = 0;

  constructor({ list, filter, stick, state }) {
    this.#list = list;
    this.#filter = filter;
    this.#stick = stick;
    this.#state = state;
    filter.addEventListener('input', () => this.#redraw());
    stick.addEventListener('change', () => this.#scroll());
  }

  start(name) {
    this.stop();
    this.#name = name;
    this.#lines = [];
    this.#lastKey = '';
    this.#failures = 0;
    this.#filter.value = '';
    this.#list.replaceChildren();
    void this.#follow();
  }

  stop() {
    this.#controller?.abort();
    this.#controller = undefined;
    clearTimeout(this.#retryTimer);
  }

  async #follow() {
    const controller = new AbortController();
    this.#controller = controller;
    const resume = this.#lines.at(-1)?.time;
    const query = new URLSearchParams({ follow: 'true', tail: String(resume ? KEEP : FIRST_TAIL) });
    if (resume) query.set('since', resume);
    setText(this.#state, resume ? 'Reconnecting to the log stream…' : 'Connecting to the log stream…');
    try {
      const response = await apiFetch(`${serverPath(this.#name, '/logs')}?${query}`, { accept: 'text/event-stream', signal: controller.signal });
      setText(this.#state, 'Following new lines as they come.');
      await readEventStream(response, (event) => this.#onEvent(event), controller.signal);
      if (controller.signal.aborted) return;
      setText(this.#state, 'The log stream ended (the container stopped?); trying again shortly.');
    } catch (err) {
      if (controller.signal.aborted) return;
      setText(this.#state, `Logs cannot be followed: ${err.message}. Trying again shortly.`);
    }
    const delay = RETRY_MS[Math.min(this.#failures, RETRY_MS.length - 1)];
    this.#failures += 1;
    this.#retryTimer = setTimeout(() => void this.#follow(), delay);
  }

  #onEvent(event) {
    if (event.type === 'error') {
      let message = event.data;
      try {
        message = JSON.parse(event.data).error?.message ?? message;
      } catch {
        // plain text: show as it is
      }
      setText(this.#state, `The log stream failed: ${message}`);
      return;
    }
    let line;
    try {
      line = JSON.parse(event.data);
    } catch {
      return;
    }
    // A resumed stream starts at the last line seen (docker's --since includes it).
    const key = timeKey(line.time);
    if (key && key <= this.#lastKey) return;
    if (key) this.#lastKey = key;
    // Only a stream that brings lines resets the backoff: a stopped container's ends at once.
    this.#failures = 0;
    this.#append(line);
  }

  #append(line) {
    this.#lines.push(line);
    if (this.#lines.length > KEEP) {
      const dropped = this.#lines.shift();
      if (dropped.node?.isConnected) dropped.node.remove();
    }
    if (lineMatches(line, this.#filter.value)) this.#list.append(this.#render(line));
    this.#scroll();
  }

  #render(line) {
    line.node ??= el('div', { className: line.stream === 'stderr' ? 'log-line stderr' : 'log-line', text: line.text, attrs: line.time ? { title: line.time } : {} });
    return line.node;
  }

  #redraw() {
    const filter = this.#filter.value;
    this.#list.replaceChildren(...this.#lines.filter((line) => lineMatches(line, filter)).map((line) => this.#render(line)));
    this.#scroll();
  }

  #scroll() {
    if (this.#stick.checked) this.#list.scrollTop = this.#list.scrollHeight;
  }
}

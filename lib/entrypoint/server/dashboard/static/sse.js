// Server-sent events read from a fetch() body. EventSource cannot send an Authorization header,
// and the token must not go in the URL, so the stream is fetched and parsed here (the subset of
// the HTML event-stream format the service writes: event, data, comments; LF or CRLF line ends).

export class EventStreamParser {
  #buffer = '';
  #type = '';
  #data = [];

  /** Feeds decoded text; returns the events completed by it, as { type, data }. */
  push(text) {
    this.#buffer += text;
    const events = [];
    const lines = this.#buffer.split(/\r?\n/);
    this.#buffer = lines.pop();
    for (const line of lines) {
      if (line === '') {
        if (this.#data.length > 0) events.push({ type: this.#type || 'message', data: this.#data.join('\n') });
        this.#type = '';
        this.#data = [];
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') this.#data.push(value);
        else if (field === 'event') this.#type = value;
      }
    }
    return events;
  }
}

/** Reads `response`'s event stream until it ends or `signal` aborts, calling onEvent per event. */
export async function readEventStream(response, onEvent, signal) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new EventStreamParser();
  const cancel = () => reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      for (const event of parser.push(value)) onEvent(event);
    }
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}

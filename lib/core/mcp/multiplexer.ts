/**
 * Many MCP sessions over one stdio server (one `docker attach` of its container), the way ToolHive
 * shares a stdio container, and without supergateway's cross-talk (its #138: every client got
 * every line of stdout):
 * - each request's id is rewritten to one unique on the shared connection, and the answer goes
 *   back only to the session that asked, with its own id (two sessions may both use id 1);
 * - the first `initialize` goes to the server; its result is cached and answers every later
 *   session's `initialize`; the sessions' `notifications/initialized` are not forwarded (the
 *   multiplexer sends its own once per connection);
 * - progress notifications are routed by their (rewritten) progress token; of the server's other
 *   notifications only the `list_changed` ones are broadcast; the rest belong to no one session;
 * - requests from the server (sampling, roots, elicitation) cannot be routed to one client and
 *   are answered with an error (`ping` with an empty result).
 * When the connection ends (container stopped or restarted), requests in flight fail at once, and
 * the multiplexer reconnects with backoff while sessions remain, replaying the cached initialize
 * so the new server process is ready for the sessions that already initialized.
 */
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage } from '../../errors.js';
import { errorResponse, isNotification, isRequest, isResponse, METHOD_NOT_FOUND, resultResponse, SERVER_UNAVAILABLE, type RpcResponse } from './jsonRpc.js';

/** A connection to the server; `lastError` explains why it ended, when the process said so. */
export type Upstream = Transport & { readonly lastError?: string };

export interface MultiplexerOptions {
  /** The server's name, for error messages. */
  name: string;
  /** Opens a new connection to the server, or throws saying why it cannot (e.g. not running). */
  connect: () => Promise<Upstream>;
  /** Delays between reconnection attempts after the connection ended. */
  backoffMs?: readonly number[];
  /** How long a replayed initialize may take on a new connection. */
  initializeTimeoutMs?: number;
  onLog?: (line: string) => void;
}

interface Pending {
  session: MuxSession;
  id: RequestId;
  progressToken?: string;
}

const DEFAULT_BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];
const LIST_CHANGED = /^notifications\/(tools|prompts|resources)\/list_changed$/;

export class MuxSession {
  /** Messages for this session's client; `relatedRequestId` ties a progress notification to its request. */
  onmessage?: (message: JSONRPCMessage, options?: TransportSendOptions) => void;
  closed = false;

  constructor(private readonly mux: StdioMultiplexer) {}

  /** A message from this session's client. */
  send(message: JSONRPCMessage): Promise<void> {
    return this.mux.fromClient(this, message);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.mux.dropSession(this);
  }

  deliver(message: JSONRPCMessage, options?: TransportSendOptions): void {
    if (!this.closed) this.onmessage?.(message, options);
  }
}

/** A multiplexer session as an SDK Transport, for a client of our own (the health check). */
export function sessionTransport(session: MuxSession): Transport {
  const transport: Transport = {
    start: () => Promise.resolve(),
    send: (message) => session.send(message),
    close: () => {
      session.close();
      transport.onclose?.();
      return Promise.resolve();
    },
  };
  session.onmessage = (message) => transport.onmessage?.(message);
  return transport;
}

export class StdioMultiplexer {
  private upstream: Upstream | undefined;
  private connecting: Promise<Upstream> | undefined;
  private readonly sessions = new Set<MuxSession>();
  private readonly pending = new Map<string, Pending>();
  /** Our own requests on the connection (the replayed initialize): id -> waiter. */
  private readonly internal = new Map<string, (response: RpcResponse) => void>();
  private readonly progress = new Map<string, { session: MuxSession; token: string | number; requestId: RequestId }>();
  private counter = 0;
  private initializeParams: Record<string, unknown> | undefined;
  private initializeResult: Record<string, unknown> | undefined;
  /** The first initialize, while it is in flight: later sessions wait for its result. */
  private firstInitialize: Promise<Record<string, unknown>> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private closed = false;

  constructor(private readonly options: MultiplexerOptions) {}

  /**
   * Ids on the shared connection are strings of our own ("msm:7"), which no client's ids are
   * rewritten to and which a numbering client (the SDK's) never produces: a stray reader of the
   * same container (a health check's attach) cannot take our answers, nor we its.
   */
  private nextId(): string {
    this.counter += 1;
    return `msm:${this.counter}`;
  }

  openSession(): MuxSession {
    const session = new MuxSession(this);
    this.sessions.add(session);
    return session;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    for (const session of [...this.sessions]) session.close();
    const upstream = this.upstream;
    this.upstream = undefined;
    await upstream?.close().catch(() => undefined);
  }

  dropSession(session: MuxSession): void {
    this.sessions.delete(session);
    for (const [id, entry] of this.pending) if (entry.session === session) this.pending.delete(id);
    for (const [token, entry] of this.progress) if (entry.session === session) this.progress.delete(token);
  }

  async fromClient(session: MuxSession, message: JSONRPCMessage): Promise<void> {
    if (isRequest(message)) {
      if (message.method === 'initialize') return this.initialize(session, message.id, message.params ?? {});
      return this.forwardRequest(session, message.id, message.method, message.params);
    }
    if (isNotification(message) && message.method === 'notifications/cancelled') {
      const requestId = message.params?.requestId;
      for (const [upstreamId, entry] of this.pending) {
        if (entry.session === session && entry.id === requestId) {
          await this.upstream?.send({ ...message, params: { ...message.params, requestId: upstreamId } } as JSONRPCMessage).catch(() => undefined);
        }
      }
    }
    // Other client notifications (initialized, roots/list_changed) and responses to server
    // requests concern the shared server as a whole or were never asked: not forwarded.
  }

  private async initialize(session: MuxSession, id: RequestId, params: Record<string, unknown>): Promise<void> {
    try {
      const result = this.initializeResult ?? (await (this.firstInitialize ??= this.initializeFirst(params)));
      session.deliver(resultResponse(id, result));
    } catch (err) {
      session.deliver(errorResponse(id, SERVER_UNAVAILABLE, errorMessage(err)));
    }
  }

  private async initializeFirst(params: Record<string, unknown>): Promise<Record<string, unknown>> {
    try {
      this.initializeParams = params;
      const upstream = await this.ready();
      const result = await this.initializeOn(upstream, params);
      return result;
    } catch (err) {
      this.initializeParams = undefined;
      throw err;
    } finally {
      this.firstInitialize = undefined;
    }
  }

  /** initialize + initialized on a connection; the result is what every session is told. */
  private async initializeOn(upstream: Upstream, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId();
    const timeoutMs = this.options.initializeTimeoutMs ?? 15_000;
    const response = await new Promise<RpcResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.internal.delete(id);
        reject(new Error(`server "${this.options.name}" did not answer initialize within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.internal.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      upstream.send({ jsonrpc: '2.0', id, method: 'initialize', params } as JSONRPCMessage).catch((err: unknown) => {
        clearTimeout(timer);
        this.internal.delete(id);
        reject(err as Error);
      });
    });
    if (response.error || !response.result) throw new Error(`server "${this.options.name}" refused initialize: ${response.error?.message ?? 'no result'}`);
    await upstream.send({ jsonrpc: '2.0', method: 'notifications/initialized' } as JSONRPCMessage);
    this.initializeResult = response.result;
    return response.result;
  }

  private async forwardRequest(session: MuxSession, id: RequestId, method: string, params: Record<string, unknown> | undefined): Promise<void> {
    let upstream: Upstream;
    try {
      upstream = await this.ready();
    } catch (err) {
      session.deliver(errorResponse(id, SERVER_UNAVAILABLE, errorMessage(err)));
      return;
    }
    const upstreamId = this.nextId();
    const entry: Pending = { session, id };
    let upstreamParams = params;
    const meta = params?._meta as Record<string, unknown> | undefined;
    const token = meta?.progressToken;
    if (typeof token === 'string' || typeof token === 'number') {
      entry.progressToken = upstreamId;
      this.progress.set(entry.progressToken, { session, token, requestId: id });
      upstreamParams = { ...params, _meta: { ...meta, progressToken: entry.progressToken } };
    }
    this.pending.set(upstreamId, entry);
    const message = { jsonrpc: '2.0', id: upstreamId, method, ...(upstreamParams ? { params: upstreamParams } : {}) } as JSONRPCMessage;
    await upstream.send(message).catch((err: unknown) => this.fail(upstreamId, `server "${this.options.name}": ${errorMessage(err)}`));
  }

  /** The open connection, or a new one (with the cached initialize replayed on it). */
  private ready(): Promise<Upstream> {
    if (this.upstream) return Promise.resolve(this.upstream);
    if (this.closed) return Promise.reject(new Error(`the bridge to server "${this.options.name}" is closed`));
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async open(): Promise<Upstream> {
    const upstream = await this.options.connect();
    upstream.onmessage = (message) => this.fromServer(upstream, message);
    upstream.onclose = () => this.lost(upstream);
    upstream.onerror = (err) => this.options.onLog?.(`${this.options.name}: ${err.message}`);
    await upstream.start();
    this.upstream = upstream;
    if (this.initializeParams && this.initializeResult) {
      try {
        await this.initializeOn(upstream, this.initializeParams);
      } catch (err) {
        await upstream.close().catch(() => undefined);
        throw new Error(`server "${this.options.name}" did not initialize after reconnecting: ${errorMessage(err)}`);
      }
    }
    this.attempt = 0;
    this.options.onLog?.(`${this.options.name}: connected`);
    return upstream;
  }

  private fromServer(upstream: Upstream, message: JSONRPCMessage): void {
    if (isResponse(message)) {
      const id = String(message.id);
      const waiter = this.internal.get(id);
      if (waiter) {
        this.internal.delete(id);
        waiter(message);
        return;
      }
      const entry = this.pending.get(id);
      if (!entry) return;
      this.pending.delete(id);
      if (entry.progressToken) this.progress.delete(entry.progressToken);
      entry.session.deliver({ ...message, id: entry.id } as JSONRPCMessage);
      return;
    }
    if (isRequest(message)) {
      const answer =
        message.method === 'ping'
          ? resultResponse(message.id, {})
          : errorResponse(message.id, METHOD_NOT_FOUND, `${message.method} is not available: server "${this.options.name}" is shared by several clients through msm, which cannot pick one to ask`);
      void upstream.send(answer).catch(() => undefined);
      return;
    }
    if (!isNotification(message)) return;
    if (message.method === 'notifications/progress') {
      const route = this.progress.get(String(message.params?.progressToken));
      if (route) route.session.deliver({ ...message, params: { ...message.params, progressToken: route.token } } as JSONRPCMessage, { relatedRequestId: route.requestId });
      return;
    }
    if (LIST_CHANGED.test(message.method)) for (const session of this.sessions) session.deliver(message);
  }

  private fail(upstreamId: string, reason: string): void {
    const entry = this.pending.get(upstreamId);
    if (!entry) return;
    this.pending.delete(upstreamId);
    if (entry.progressToken) this.progress.delete(entry.progressToken);
    entry.session.deliver(errorResponse(entry.id, SERVER_UNAVAILABLE, reason));
  }

  /** The connection ended: fail what was in flight now, and reconnect while someone is listening. */
  private lost(upstream: Upstream): void {
    if (this.upstream === upstream) this.upstream = undefined;
    const why = upstream.lastError ? `: ${upstream.lastError}` : '';
    const reason = `the connection to server "${this.options.name}" ended${why}`;
    this.options.onLog?.(`${this.options.name}: ${reason}`);
    for (const id of [...this.pending.keys()]) this.fail(id, reason);
    for (const [id, waiter] of this.internal) {
      this.internal.delete(id);
      waiter({ jsonrpc: '2.0', id, error: { code: SERVER_UNAVAILABLE, message: reason } });
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.sessions.size === 0 || this.reconnectTimer) return;
    const backoff = this.options.backoffMs ?? DEFAULT_BACKOFF_MS;
    const delay = backoff[Math.min(this.attempt, backoff.length - 1)] ?? 1000;
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.upstream || this.closed || this.sessions.size === 0) return;
      this.ready().catch((err: unknown) => {
        this.options.onLog?.(`${this.options.name}: reconnect failed: ${errorMessage(err)}`);
        this.scheduleReconnect();
      });
    }, delay);
    this.reconnectTimer.unref();
  }
}

/**
 * stdio servers behind `/mcp/<name>`: each MCP session is an SDK StreamableHTTPServerTransport
 * (which speaks the HTTP side: POST answers, SSE, session ids, DELETE) tied either to a session of
 * the server's shared multiplexer or to a one-session container of its own. A request naming a
 * session this service does not know gets 404, so the client initializes again. A session left
 * idle (no request, no open stream) for SESSION_IDLE_MS is ended, with whatever it started: a
 * client that vanished without its DELETE does not keep a container running.
 */
import { randomUUID } from 'node:crypto';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayRoute } from '../../../core/mcp/gatewayHub.js';
import { IdleSessions } from '../../../core/mcp/idleSessions.js';
import { errorResponse, isRequest, isResponse, SERVER_UNAVAILABLE } from '../../../core/mcp/jsonRpc.js';
import { errorMessage } from '../../../errors.js';
import { replyRpcError } from './jsonRpcReply.js';

type StdioRoute = Extract<GatewayRoute, { kind: 'stdio-shared' | 'stdio-per-session' }>;

interface Session {
  server: string;
  transport: StreamableHTTPServerTransport;
}

function isInitialize(body: unknown): boolean {
  return (body as { method?: unknown } | undefined)?.method === 'initialize';
}

/** An hour: long enough for a person pausing; an SSE stream a client keeps open counts as activity. */
export const SESSION_IDLE_MS = 60 * 60_000;

export class StdioSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly idle: IdleSessions<string>;
  private readonly sweeper: NodeJS.Timeout;

  constructor({ idleMs = SESSION_IDLE_MS, sweepMs = 60_000 } = {}) {
    this.idle = new IdleSessions(idleMs);
    this.sweeper = setInterval(() => this.sweep(), sweepMs);
    this.sweeper.unref();
  }

  private sweep(): void {
    for (const id of this.idle.expired()) {
      const session = this.sessions.get(id);
      this.sessions.delete(id);
      void session?.transport.close().catch(() => undefined);
    }
  }

  async handle(route: StdioRoute, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const sessionId = request.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = this.sessions.get(sessionId);
      if (!session || session.server !== route.name) {
        replyRpcError(request, reply, 404, 'Session not found: it ended or belongs to another server; initialize a new session', -32001, true);
        return;
      }
      reply.hijack();
      reply.raw.once('close', this.idle.begin(sessionId));
      await session.transport.handleRequest(request.raw, reply.raw, request.body);
      return;
    }
    if (request.method !== 'POST' || !isInitialize(request.body)) {
      replyRpcError(request, reply, 400, 'Bad Request: no Mcp-Session-Id header; a session starts with an initialize request', SERVER_UNAVAILABLE, true);
      return;
    }
    const transport = await this.open(route, request, reply);
    if (!transport) return;
    reply.hijack();
    await transport.handleRequest(request.raw, reply.raw, request.body);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    const open = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(open.map((session) => session.transport.close().catch(() => undefined)));
  }

  private async open(route: StdioRoute, request: FastifyRequest, reply: FastifyReply): Promise<StreamableHTTPServerTransport | undefined> {
    const { StreamableHTTPServerTransport } = await import('@modelcontextprotocol/sdk/server/streamableHttp.js');
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.sessions.set(id, { server: route.name, transport });
        this.idle.begin(id)();
      },
    });
    const forget = () => {
      if (!transport.sessionId) return;
      this.sessions.delete(transport.sessionId);
      this.idle.forget(transport.sessionId);
    };
    const initializeId = (request.body as { id?: unknown }).id;
    // A session whose initialize failed (server not running) is ended once the error is sent.
    const toClient = (message: JSONRPCMessage, options?: { relatedRequestId?: string | number }) => {
      void transport.send(message, options).catch(() => undefined);
      if (isResponse(message) && message.id === initializeId && (message as { error?: unknown }).error) {
        setTimeout(() => void transport.close(), 1000).unref();
      }
    };
    if (route.kind === 'stdio-shared') {
      const session = route.mux.openSession();
      transport.onmessage = (message) => void session.send(message);
      session.onmessage = (message, options) => toClient(message, options?.relatedRequestId !== undefined ? { relatedRequestId: options.relatedRequestId } : undefined);
      transport.onclose = () => {
        forget();
        session.close();
      };
    } else {
      let link;
      try {
        link = await route.open();
      } catch (err) {
        replyRpcError(request, reply, 503, errorMessage(err));
        return undefined;
      }
      const opened = link;
      transport.onmessage = (message) => {
        opened.transport.send(message).catch((err: unknown) => {
          // Only a request waits for an answer; a client's response to the server's request does not.
          if (isRequest(message)) toClient(errorResponse(message.id, SERVER_UNAVAILABLE, `server "${route.name}": ${errorMessage(err)}`));
        });
      };
      opened.transport.onmessage = (message) => toClient(message);
      opened.transport.onclose = () => void transport.close();
      transport.onclose = () => {
        forget();
        void opened.close();
      };
      await opened.transport.start();
    }
    await transport.start();
    return transport;
  }
}

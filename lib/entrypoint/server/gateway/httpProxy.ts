/**
 * HTTP servers behind `/mcp/<name>`: the request is passed to the server's own MCP endpoint (a
 * tunnel when it is remote) and the answer streamed back as it comes (SSE included), with the
 * headers Streamable HTTP needs (Mcp-Session-Id and protocol version both ways). The caller's
 * Authorization header is the gateway's, and is not passed on.
 */
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorMessage } from '../../../errors.js';
import type { GatewayRoute } from '../../../core/mcp/gatewayHub.js';
import { replyRpcError } from './jsonRpcReply.js';

const REQUEST_HEADERS = ['content-type', 'accept', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id'];
const RESPONSE_HEADERS = ['content-type', 'mcp-session-id', 'mcp-protocol-version', 'cache-control'];

export async function proxyHttp(route: Extract<GatewayRoute, { kind: 'http' }>, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  let url: URL;
  try {
    url = await route.url();
  } catch (err) {
    replyRpcError(request, reply, 503, errorMessage(err));
    return;
  }
  const headers: Record<string, string> = {};
  for (const name of REQUEST_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const controller = new AbortController();
  reply.raw.once('close', () => controller.abort());
  let upstream: Response;
  try {
    upstream = await fetch(url, {
      method: request.method,
      headers,
      ...(request.method === 'POST' ? { body: JSON.stringify(request.body) } : {}),
      signal: controller.signal,
    });
  } catch (err) {
    // A stale tunnel or a moved port: look the endpoint up again next time.
    route.forget();
    replyRpcError(request, reply, 502, `server "${route.name}" did not answer at its MCP endpoint: ${errorMessage((err as { cause?: unknown }).cause ?? err)}`);
    return;
  }
  reply.hijack();
  const out: Record<string, string> = {};
  for (const name of RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) out[name] = value;
  }
  reply.raw.writeHead(upstream.status, out);
  if (!upstream.body) {
    reply.raw.end();
    return;
  }
  const body = Readable.fromWeb(upstream.body as import('node:stream/web').ReadableStream);
  body.on('error', () => reply.raw.destroy());
  body.pipe(reply.raw);
}

/**
 * A per-session stdio server behind the gateway, over real HTTP (fastify, the SDK's Streamable
 * HTTP server transport) with the container's link replaced by an in-memory one.
 */
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import Fastify, { type FastifyInstance } from 'fastify';
import type { GatewayRoute } from '../../../../../lib/core/mcp/gatewayHub.js';
import { StdioSessions } from '../../../../../lib/entrypoint/server/gateway/stdioSessions.js';

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** A server that answers initialize at once and tools/list after a moment, and cannot take anything else. */
function fakeLink(): Awaited<ReturnType<Extract<GatewayRoute, { kind: 'stdio-per-session' }>['open']>> {
  const transport = {
    onmessage: undefined as ((message: JSONRPCMessage) => void) | undefined,
    onclose: undefined as (() => void) | undefined,
    start: async () => undefined,
    close: async () => undefined,
    send: async (message: JSONRPCMessage) => {
      const request = message as { id?: number; method?: string };
      if (request.method === 'initialize') {
        transport.onmessage?.({ jsonrpc: '2.0', id: request.id, result: { protocolVersion: '2025-06-18', capabilities: {}, serverInfo: { name: 'fake', version: '1' } } } as JSONRPCMessage);
      } else if (request.method === 'tools/list') {
        setTimeout(() => transport.onmessage?.({ jsonrpc: '2.0', id: request.id, result: { tools: [] } } as JSONRPCMessage), 300);
      } else if (request.method === undefined || request.id !== undefined) {
        throw new Error('the container is gone');
      }
    },
  };
  return { transport: transport as never, describe: 'fake', close: async () => undefined };
}

let app: FastifyInstance;
let sessions: StdioSessions;
let url: string;

beforeAll(async () => {
  sessions = new StdioSessions();
  app = Fastify();
  const route: GatewayRoute = { kind: 'stdio-per-session', name: 'fake', open: async () => fakeLink() };
  app.post('/mcp', (request, reply) => sessions.handle(route as never, request, reply));
  url = `${await app.listen({ host: '127.0.0.1', port: 0 })}/mcp`;
});

afterAll(async () => {
  await sessions.close();
  await app.close();
});

async function post(body: unknown, session?: string): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { ...HEADERS, ...(session ? { 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' } : {}) }, body: JSON.stringify(body) });
}

it('a client\'s answer to a server request that cannot be delivered gets no error "response", which would answer the client\'s own request of that id', async () => {
  const init = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
  const session = init.headers.get('mcp-session-id') ?? '';
  await init.text();
  expect(session).not.toBe('');
  const listing = post({ jsonrpc: '2.0', id: 7, method: 'tools/list' }, session).then((response) => response.text());
  await new Promise((resolve) => setTimeout(resolve, 100));
  // The server's request 7 (its own id space) answered by the client, while the client's 7 waits.
  expect((await post({ jsonrpc: '2.0', id: 7, result: {} }, session)).status).toBe(202);
  const answer = await listing;
  expect(answer).toContain('"tools":[]');
  expect(answer).not.toContain('the container is gone');
});

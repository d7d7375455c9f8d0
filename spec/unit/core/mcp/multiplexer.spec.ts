/**
 * The stdio multiplexer against a real SDK McpServer (over the SDK's in-memory transport): what
 * each session receives, what the server receives, and what happens when the connection ends.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod/v4';
import { StdioMultiplexer, type MuxSession, type Upstream } from '../../../../lib/core/mcp/multiplexer.js';

interface Server {
  mcp: McpServer;
  /** Every message the server received, in order. */
  received: JSONRPCMessage[];
  /** Ends the connection from the server's side (the container stopped). */
  drop: () => Promise<void>;
}

const INIT_PARAMS = { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'spec', version: '0' } };

async function startServer(generation: number): Promise<{ server: Server; upstream: Upstream }> {
  const mcp = new McpServer({ name: 'mux-spec', version: String(generation) }, { capabilities: { logging: {} } });
  mcp.registerTool('sleep', { inputSchema: { ms: z.number(), tag: z.string() } }, async ({ ms, tag }, extra) => {
    const token = extra._meta?.progressToken;
    if (token !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: 1, total: 2 } });
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { content: [{ type: 'text', text: `${tag}@${generation}` }] };
  });
  mcp.registerTool('announce', {}, async () => {
    mcp.sendToolListChanged();
    await mcp.sendLoggingMessage({ level: 'info', data: 'for nobody in particular' });
    return { content: [{ type: 'text', text: 'announced' }] };
  });
  mcp.registerTool('ask-roots', {}, async () => {
    try {
      await mcp.server.listRoots();
      return { content: [{ type: 'text', text: 'answered' }] };
    } catch (err) {
      return { content: [{ type: 'text', text: `refused: ${(err as Error).message}` }] };
    }
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const received: JSONRPCMessage[] = [];
  await mcp.connect(serverSide);
  const deliver = serverSide.onmessage;
  serverSide.onmessage = (message, extra) => {
    received.push(message);
    deliver?.(message, extra);
  };
  return { server: { mcp, received, drop: () => serverSide.close() }, upstream: clientSide };
}

/** A session and the messages it got, with helpers that wait for an answer to an id. */
function sessionOf(mux: StdioMultiplexer): { session: MuxSession; got: JSONRPCMessage[]; request: (id: number | string, method: string, params?: unknown) => Promise<JSONRPCMessage> } {
  const session = mux.openSession();
  const got: JSONRPCMessage[] = [];
  const waiters = new Map<string, (message: JSONRPCMessage) => void>();
  session.onmessage = (message) => {
    got.push(message);
    const id = (message as { id?: unknown }).id;
    if (id !== undefined && !('method' in message)) waiters.get(String(id))?.(message);
  };
  const request = (id: number | string, method: string, params?: unknown) =>
    new Promise<JSONRPCMessage>((resolve) => {
      waiters.set(String(id), resolve);
      void session.send({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) } as JSONRPCMessage);
    });
  return { session, got, request };
}

const callSleep = (ms: number, tag: string, meta?: object) => ({ name: 'sleep', arguments: { ms, tag }, ...(meta ? { _meta: meta } : {}) });

describe('StdioMultiplexer', () => {
  let servers: Server[];
  let mux: StdioMultiplexer;
  let connectFails: string | undefined;

  beforeEach(() => {
    servers = [];
    connectFails = undefined;
    mux = new StdioMultiplexer({
      name: 'spec',
      backoffMs: [20],
      connect: async () => {
        if (connectFails) throw new Error(connectFails);
        const { server, upstream } = await startServer(servers.length + 1);
        servers.push(server);
        return upstream;
      },
    });
  });

  afterEach(() => mux.close());

  it('gives each session the answer to its own request when both use the same id', async () => {
    const a = sessionOf(mux);
    const b = sessionOf(mux);
    await a.request(1, 'initialize', INIT_PARAMS);
    await b.request(1, 'initialize', INIT_PARAMS);
    const [fromA, fromB] = await Promise.all([a.request(2, 'tools/call', callSleep(60, 'a')), b.request(2, 'tools/call', callSleep(10, 'b'))]);
    expect(fromA).toMatchObject({ id: 2, result: { content: [{ text: 'a@1' }] } });
    expect(fromB).toMatchObject({ id: 2, result: { content: [{ text: 'b@1' }] } });
    expect(a.got.filter((m) => (m as { id?: unknown }).id === 2)).toHaveLength(1);
    expect(b.got.filter((m) => (m as { id?: unknown }).id === 2)).toHaveLength(1);
    // The server saw distinct ids of the multiplexer's own.
    const ids = servers[0]!.received.filter((m) => (m as { method?: string }).method === 'tools/call').map((m) => (m as { id: unknown }).id);
    expect(new Set(ids).size).toBe(2);
    expect(ids.every((id) => typeof id === 'string' && id.startsWith('msm:'))).toBe(true);
  });

  it('sends the first initialize to the server and answers later sessions from the cached result', async () => {
    const a = sessionOf(mux);
    const b = sessionOf(mux);
    const [first, second] = await Promise.all([a.request('x', 'initialize', INIT_PARAMS), b.request(9, 'initialize', INIT_PARAMS)]);
    await b.session.send({ jsonrpc: '2.0', method: 'notifications/initialized' } as JSONRPCMessage);
    expect(first).toMatchObject({ id: 'x', result: { serverInfo: { name: 'mux-spec' } } });
    expect(second).toMatchObject({ id: 9, result: (first as { result: object }).result });
    const methods = servers[0]!.received.map((m) => (m as { method?: string }).method);
    expect(methods.filter((m) => m === 'initialize')).toHaveLength(1);
    expect(methods.filter((m) => m === 'notifications/initialized')).toHaveLength(1);
  });

  it('routes progress by token to the session that asked, with its own token', async () => {
    const a = sessionOf(mux);
    const b = sessionOf(mux);
    await a.request(1, 'initialize', INIT_PARAMS);
    await b.request(1, 'initialize', INIT_PARAMS);
    await Promise.all([a.request(2, 'tools/call', callSleep(20, 'a', { progressToken: 'tok' })), b.request(2, 'tools/call', callSleep(20, 'b', { progressToken: 'tok' }))]);
    for (const s of [a, b]) {
      const progress = s.got.filter((m) => (m as { method?: string }).method === 'notifications/progress');
      expect(progress).toEqual([{ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'tok', progress: 1, total: 2 } }]);
    }
  });

  it('broadcasts list_changed to every session and nothing else', async () => {
    const a = sessionOf(mux);
    const b = sessionOf(mux);
    await a.request(1, 'initialize', INIT_PARAMS);
    await b.request(1, 'initialize', INIT_PARAMS);
    await a.request(2, 'tools/call', { name: 'announce', arguments: {} });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const notices = (s: { got: JSONRPCMessage[] }) => s.got.filter((m) => 'method' in m).map((m) => (m as { method: string }).method);
    expect(notices(a)).toEqual(['notifications/tools/list_changed']);
    expect(notices(b)).toEqual(['notifications/tools/list_changed']);
  });

  it("answers the server's own requests with an error instead of asking a client", async () => {
    const a = sessionOf(mux);
    await a.request(1, 'initialize', { ...INIT_PARAMS, capabilities: { roots: {} } });
    const answer = await a.request(2, 'tools/call', { name: 'ask-roots', arguments: {} });
    expect(JSON.stringify(answer)).toContain('refused: MCP error -32601: roots/list is not available: server \\"spec\\" is shared');
    expect(a.got.some((m) => (m as { method?: string }).method === 'roots/list')).toBe(false);
  });

  it('fails requests in flight at once when the connection ends, then reconnects and replays initialize', async () => {
    const a = sessionOf(mux);
    await a.request(1, 'initialize', INIT_PARAMS);
    const inFlight = a.request(2, 'tools/call', callSleep(5000, 'lost'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const dropped = Date.now();
    await servers[0]!.drop();
    expect(await inFlight).toMatchObject({ id: 2, error: { code: -32000, message: expect.stringContaining('the connection to server "spec" ended') } });
    expect(Date.now() - dropped).toBeLessThan(1000);
    const again = await a.request(3, 'tools/call', callSleep(1, 'back'));
    expect(again).toMatchObject({ id: 3, result: { content: [{ text: 'back@2' }] } });
    expect(servers[1]!.received.map((m) => (m as { method?: string }).method).slice(0, 2)).toEqual(['initialize', 'notifications/initialized']);
  });

  it('answers at once with the reason when the server cannot be reached', async () => {
    connectFails = 'server "spec" is not running (exited (0))';
    const a = sessionOf(mux);
    expect(await a.request(1, 'initialize', INIT_PARAMS)).toEqual({ jsonrpc: '2.0', id: 1, error: { code: -32000, message: connectFails } });
    connectFails = undefined;
    expect(await a.request(2, 'initialize', INIT_PARAMS)).toMatchObject({ id: 2, result: { serverInfo: { name: 'mux-spec' } } });
  });
});

/**
 * Issue #11, the gateway in `mcp serve`: `/mcp/<name>` for a shared stdio server, driven by the
 * SDK client over Streamable HTTP: no cross-talk between sessions using the same JSON-RPC ids,
 * reattach after `docker restart`, auth (401 without a token, 404 for a server the token is not
 * limited to), and a JSON-RPC error naming a server that is not running.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { docker, Sandbox, TEST_IMAGE, waitFor } from './harness.js';
import { buildTestImage, textOf } from './mcpHarness.js';
import { call, createToken, type Service, startService } from './server/serviceHarness.js';

let sandbox: Sandbox;
let service: Service;
let shared: string;
let stopped: string;
let clientToken: string;
let otherToken: string;
const clients: Client[] = [];

async function gatewayClient(name: string, token = clientToken): Promise<Client> {
  const client = new Client({ name: 'msm-gateway-spec', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${service.url}/mcp/${name}`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  clients.push(client);
  return client;
}

/**
 * A raw session, so the test picks the JSON-RPC ids itself: initialize, initialized, then
 * `call(id, ...)` posts one request and reads its answer (JSON or SSE).
 */
async function rawSession(name: string): Promise<{ call: (id: number, method: string, params: unknown) => Promise<JSONRPCMessage> }> {
  const url = `${service.url}/mcp/${name}`;
  const headers = { authorization: `Bearer ${clientToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const post = async (body: unknown, sessionId?: string) => {
    const response = await fetch(url, { method: 'POST', headers: { ...headers, ...(sessionId ? { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' } : {}) }, body: JSON.stringify(body) });
    const text = await response.text();
    const data = text.split('\n').find((line) => line.startsWith('data: '));
    return { response, message: (data ? JSON.parse(data.slice(6)) : text ? JSON.parse(text) : undefined) as JSONRPCMessage };
  };
  const init = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
  const sessionId = init.response.headers.get('mcp-session-id');
  if (!sessionId) throw new Error(`no session id: ${JSON.stringify(init.message)}`);
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, sessionId);
  return { call: async (id, method, params) => (await post({ jsonrpc: '2.0', id, method, params }, sessionId)).message };
}

beforeAll(async () => {
  await buildTestImage();
  sandbox = await Sandbox.create();
  shared = sandbox.name('shared');
  stopped = sandbox.name('stopped');
  for (const name of [shared, stopped]) {
    expect((await sandbox.mcp(['add', name, '--command', `docker run -i --rm ${TEST_IMAGE} --stdio`])).exitCode).toBe(0);
  }
  expect((await sandbox.mcp(['start', shared])).exitCode).toBe(0);
  clientToken = await createToken(sandbox, 'gw-client', 'client');
  otherToken = await createToken(sandbox, 'gw-other', 'client', ['--servers', stopped]);
  service = await startService(sandbox);
}, 120_000);

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await service?.stop();
  await sandbox?.dispose();
});

describe('/mcp/<name> for a shared stdio server', () => {
  it('lists and calls tools through the shared attach', async () => {
    const client = await gatewayClient(shared);
    expect(client.getServerVersion()).toEqual({ name: 'msm-test-mcp', version: '1.0.0' });
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['echo', 'sleep', 'started', 'whoami']);
  }, 30_000);

  it('two concurrent sessions calling the slow tool with the same JSON-RPC id each get their own result', async () => {
    const [a, b] = await Promise.all([rawSession(shared), rawSession(shared)]);
    const [fromA, fromB] = await Promise.all([
      a!.call(7, 'tools/call', { name: 'sleep', arguments: { ms: 800, tag: 'session-a' } }),
      b!.call(7, 'tools/call', { name: 'sleep', arguments: { ms: 200, tag: 'session-b' } }),
    ]);
    expect(fromA).toMatchObject({ id: 7, result: { content: [{ type: 'text', text: 'session-a after 800 ms' }] } });
    expect(fromB).toMatchObject({ id: 7, result: { content: [{ type: 'text', text: 'session-b after 200 ms' }] } });
  }, 30_000);

  it('one container serves every session: a single docker attach', async () => {
    const started = await Promise.all([gatewayClient(shared), gatewayClient(shared)].map(async (pending) => textOf(await (await pending).callTool({ name: 'started', arguments: {} }))));
    expect(started[0]).toBe(started[1]);
    const { stdout } = await docker(['ps', '-q', '--filter', `label=msm.session-of=${shared}`]);
    expect(stdout.trim()).toBe('');
  }, 30_000);

  it('a new session works again after docker restart of the container (reattach), on a new server process', async () => {
    const before = textOf(await (await gatewayClient(shared)).callTool({ name: 'started', arguments: {} }));
    expect((await docker(['restart', '--time', '1', shared])).exitCode).toBe(0);
    const after = await waitFor(
      'a session after the restart',
      async () => {
        const client = await gatewayClient(shared);
        return textOf(await client.callTool({ name: 'started', arguments: {} }));
      },
      30_000,
    );
    expect(after).not.toBe(before);
  }, 60_000);

  it('an unknown session id gets 404', async () => {
    const answer = await call(`${service.url}/mcp/${shared}`, {
      method: 'POST',
      token: clientToken,
      headers: { 'mcp-session-id': 'no-such-session', accept: 'application/json, text/event-stream' },
      body: { jsonrpc: '2.0', id: 3, method: 'tools/list' },
    });
    expect(answer.status).toBe(404);
  });
});

describe('/mcp/<name> access and failures', () => {
  it('no token: 401', async () => {
    const answer = await call(`${service.url}/mcp/${shared}`, { method: 'POST', body: { jsonrpc: '2.0', id: 1, method: 'initialize', params: {} } });
    expect(answer.status).toBe(401);
  });

  it('a client token limited to another server: 404, and its own server answers', async () => {
    const answer = await call(`${service.url}/mcp/${shared}`, { method: 'POST', token: otherToken, body: { jsonrpc: '2.0', id: 1, method: 'initialize', params: {} } });
    expect(answer.status).toBe(404);
    await expect(gatewayClient(stopped, otherToken)).rejects.toThrow(`server "${stopped}" is not running (absent)`);
  }, 30_000);

  it('a server that is not running: a JSON-RPC error naming it and its state, at once', async () => {
    const started = Date.now();
    const answer = await call<{ error: { message: string } }>(`${service.url}/mcp/${stopped}`, {
      method: 'POST',
      token: clientToken,
      headers: { accept: 'application/json, text/event-stream' },
      body: { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '0' } } },
    });
    const text = answer.text;
    expect(text).toContain(`server \\"${stopped}\\" is not running (absent)`);
    expect(Date.now() - started).toBeLessThan(5000);
  }, 30_000);
});

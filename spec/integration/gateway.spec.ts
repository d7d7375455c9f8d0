/**
 * Issue #11, the gateway in `mcp serve`: `/mcp/<name>` driven by the SDK client over Streamable
 * HTTP. Shared stdio servers (here and on a namespace host): no cross-talk between sessions using
 * the same JSON-RPC ids, reattach after `docker restart`, a stopped server fails requests at once;
 * per-session stdio containers; an HTTP server bound to a namespace host's loopback; auth (401
 * without a token, 404 for a server the token is not limited to); `mcp connect --gateway`.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { docker, freePort, type Sandbox, TEST_IMAGE, waitFor } from './harness.js';
import { fleetSandbox, host, hostDocker, readTestHosts, type TestHost } from './fleetHarness.js';
import { buildTestImage, connectClient, ensureTestImageOn, textOf } from './mcpHarness.js';
import { call, createToken, type Service, startService } from './server/serviceHarness.js';

const run = promisify(execFile);
let sandbox: Sandbox;
let vars: NodeJS.ProcessEnv;
let h1: TestHost;
let service: Service;
let shared: string;
let stopped: string;
let clientToken: string;
let clientKey: string;
let otherToken: string;
let viewerToken: string;
const clients: Client[] = [];

/** `ps` on the namespace host, over its own sshd. */
async function psOn(h: TestHost): Promise<string[]> {
  const { stdout } = await run('ssh', ['-i', clientKey, '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${path.join(sandbox.dir, 'home/.ssh/known_hosts')}`, `${h.user}@${h.address}`, 'ps -eo args']);
  return stdout.split('\n');
}

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

const STDIO = `docker run -i --rm ${TEST_IMAGE} --stdio`;

beforeAll(async () => {
  const env = await readTestHosts();
  h1 = host(env, 'h1');
  clientKey = env.clientKey;
  await buildTestImage();
  await ensureTestImageOn(h1);
  ({ sandbox, vars } = await fleetSandbox(env, { trusted: ['h1'], aliases: { alpha: 'h1' } }));
  shared = sandbox.name('shared');
  stopped = sandbox.name('stopped');
  for (const name of [shared, stopped]) {
    expect((await sandbox.mcp(['add', name, '--command', STDIO], vars)).exitCode).toBe(0);
  }
  expect((await sandbox.mcp(['start', shared], vars)).exitCode).toBe(0);
  clientToken = await createToken(sandbox, 'gw-client', 'client');
  otherToken = await createToken(sandbox, 'gw-other', 'client', ['--servers', stopped]);
  viewerToken = await createToken(sandbox, 'gw-viewer', 'viewer');
  service = await startService(sandbox, { env: vars });
}, 180_000);

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await service?.stop();
  const remote = await hostDocker(h1, ['ps', '-aq', '--filter', `name=^${sandbox.prefix}`]);
  for (const id of remote.stdout.split('\n').filter(Boolean)) await hostDocker(h1, ['rm', '-f', id]);
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

  it('a request after the container stopped fails at once naming the server, and the session works again after a start', async () => {
    const client = await gatewayClient(shared);
    expect((await docker(['stop', '--time', '1', shared])).exitCode).toBe(0);
    const started = Date.now();
    await expect(waitFor('the stopped server to fail a request', async () => {
      try {
        await client.callTool({ name: 'whoami', arguments: {} });
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    }, 10_000)).resolves.toMatch(new RegExp(`server "${shared}"`));
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await sandbox.mcp(['start', shared], vars)).exitCode).toBe(0);
    const again = await waitFor('the same session after the start', async () => textOf(await client.callTool({ name: 'whoami', arguments: {} })), 30_000);
    expect(again).toBe('nobody');
  }, 60_000);

  it("the API's health check of a bridged server goes through the gateway's attach, never a second one", async () => {
    const client = await gatewayClient(shared);
    await client.listTools();
    const answer = await call<{ ok: boolean; health: { status: string; tool_count: number; target: string } }>(`${service.url}/api/v1/servers/${shared}/health`, { method: 'POST', token: viewerToken, body: {} });
    expect(answer.body).toMatchObject({ ok: true, health: { status: 'healthy', tool_count: 4 } });
    expect(answer.body.health.target).toMatch(/^stdio: the gateway's bridge to /);
    const id = (await docker(['inspect', '--format', '{{.Id}}', shared])).stdout.trim();
    const attaches = (await run('ps', ['-eo', 'args'])).stdout.split('\n').filter((line) => line.startsWith('docker attach') && line.includes(id));
    expect(attaches).toHaveLength(1);
  }, 30_000);

  it('get shows the endpoint: transport, the connect command and this gateway', async () => {
    const answer = await call<{ status: { endpoint: unknown } }>(`${service.url}/api/v1/servers/${shared}`, { token: viewerToken });
    expect(answer.body.status.endpoint).toEqual({ transport: 'stdio', connect: `mcp connect ${shared}`, gateway_url: `${service.url}/mcp/${shared}` });
    const fromCli = await sandbox.mcpJson<{ status: { endpoint: unknown } }>(['get', shared], { ...vars, MSM_GATEWAY: 'https://gw.example:8443' });
    expect(fromCli.status.endpoint).toEqual({ transport: 'stdio', connect: `mcp connect ${shared}`, gateway_url: `https://gw.example:8443/mcp/${shared}` });
    const wide = await sandbox.mcp(['list', '--wide'], { ...vars, MSM_GATEWAY: 'https://gw.example:8443' });
    expect(wide.stdout).toContain(`https://gw.example:8443/mcp/${shared}`);
  }, 30_000);

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

describe('/mcp/<name> for servers on a namespace host and per-session containers', () => {
  it('a shared stdio server on the host: concurrent sessions with the same ids over one attach through SSH', async () => {
    const name = sandbox.name('rshared');
    expect((await sandbox.mcp(['add', name, '--host', 'alpha', '--command', STDIO], vars)).exitCode).toBe(0);
    expect((await sandbox.mcp(['start', name], vars)).exitCode).toBe(0);
    const [a, b] = await Promise.all([rawSession(name), rawSession(name)]);
    const [fromA, fromB] = await Promise.all([
      a!.call(1, 'tools/call', { name: 'sleep', arguments: { ms: 600, tag: 'remote-a' } }),
      b!.call(1, 'tools/call', { name: 'sleep', arguments: { ms: 100, tag: 'remote-b' } }),
    ]);
    expect(fromA).toMatchObject({ id: 1, result: { content: [{ text: 'remote-a after 600 ms' }] } });
    expect(fromB).toMatchObject({ id: 1, result: { content: [{ text: 'remote-b after 100 ms' }] } });
  }, 90_000);

  it('an HTTP server bound to the host loopback: proxied through the SSH connection', async () => {
    const name = sandbox.name('rhttp');
    const port = await freePort();
    const command = `docker run -d -p 127.0.0.1:${port}:8080 -e WHO=proxied ${TEST_IMAGE}`;
    expect((await sandbox.mcp(['add', name, '--host', 'alpha', '--port', String(port), '--command', command], vars)).exitCode).toBe(0);
    expect((await sandbox.mcp(['start', name, '--wait', '--timeout', '60'], vars)).exitCode).toBe(0);
    const client = await gatewayClient(name);
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(['echo', 'whoami']);
    expect(textOf(await client.callTool({ name: 'whoami', arguments: {} }))).toBe('proxied');
  }, 120_000);

  it('--stdio-sessions per-session: a container of its own for each session, removed when the session ends', async () => {
    const name = sandbox.name('persession');
    expect((await sandbox.mcp(['add', name, '--stdio-sessions', 'per-session', '--command', STDIO], vars)).exitCode).toBe(0);
    const sessionsOf = async () => (await docker(['ps', '-q', '--filter', `label=msm.session-of=${name}`])).stdout.split('\n').filter(Boolean);
    const transports = [0, 1].map(() => new StreamableHTTPClientTransport(new URL(`${service.url}/mcp/${name}`), { requestInit: { headers: { authorization: `Bearer ${clientToken}` } } }));
    const pair = await Promise.all(
      transports.map(async (transport) => {
        const client = new Client({ name: 'per-session', version: '0' });
        await client.connect(transport);
        return client;
      }),
    );
    const started = await Promise.all(pair.map(async (client) => textOf(await client.callTool({ name: 'started', arguments: {} }))));
    expect(await sessionsOf()).toHaveLength(2);
    expect(started[0]).not.toBe(started[1]);
    for (const transport of transports) await transport.terminateSession();
    for (const client of pair) await client.close();
    await waitFor('the per-session containers to go', async () => ((await sessionsOf()).length === 0 ? true : undefined), 10_000);
  }, 60_000);
});

describe('mcp connect --gateway', () => {
  it('bridges an MCP client to /mcp/<name> with the token from MSM_TOKEN', async () => {
    const client = await connectClient(sandbox, shared, { ...vars, MSM_GATEWAY: service.url, MSM_TOKEN: clientToken });
    clients.push(client);
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'via the gateway' } }))).toBe('via the gateway');
  }, 30_000);

  it('ends its gateway session when the client goes: a per-session container is removed at once', async () => {
    const name = sandbox.name('viaconnect');
    expect((await sandbox.mcp(['add', name, '--stdio-sessions', 'per-session', '--command', STDIO], vars)).exitCode).toBe(0);
    const client = await connectClient(sandbox, name, { ...vars, MSM_GATEWAY: service.url, MSM_TOKEN: clientToken });
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'own container' } }))).toBe('own container');
    const running = async () => (await docker(['ps', '-q', '--filter', `label=msm.session-of=${name}`])).stdout.trim();
    expect(await running()).not.toBe('');
    await client.close();
    await waitFor('the per-session container to go', async () => ((await running()) === '' ? true : undefined), 10_000);
  }, 60_000);

  it('without MSM_TOKEN: exit 2 naming it, nothing on stdout', async () => {
    const result = await sandbox.mcp(['connect', shared, '--gateway', service.url], { ...vars, MSM_TOKEN: '' });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('MSM_TOKEN');
  });

  it('a rejected token reaches the client as an error, not a hang', async () => {
    await expect(connectClient(sandbox, shared, { ...vars, MSM_GATEWAY: service.url, MSM_TOKEN: 'msm_wrong' })).rejects.toThrow();
  }, 30_000);
});

describe('abandoned sessions', () => {
  it('a per-session container whose client vanished without DELETE goes when the session has been idle for the limit', async () => {
    const name = sandbox.name('abandoned');
    expect((await sandbox.mcp(['add', name, '--stdio-sessions', 'per-session', '--command', STDIO], vars)).exitCode).toBe(0);
    const brief = await startService(sandbox, { env: { ...vars, MSM_GATEWAY_IDLE_MS: '1500' } });
    try {
      const init = await fetch(`${brief.url}/mcp/${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${clientToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'gone', version: '0' } } }),
      });
      await init.text();
      expect(init.headers.get('mcp-session-id')).toBeTruthy();
      const running = async () => (await docker(['ps', '-q', '--filter', `label=msm.session-of=${name}`])).stdout.trim();
      expect(await running()).not.toBe('');
      await waitFor('the abandoned session container to go', async () => ((await running()) === '' ? true : undefined), 10_000);
      const later = await call(`${brief.url}/mcp/${name}`, {
        method: 'POST',
        token: clientToken,
        headers: { 'mcp-session-id': init.headers.get('mcp-session-id') ?? '', accept: 'application/json, text/event-stream' },
        body: { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      });
      expect(later.status).toBe(404);
    } finally {
      await brief.stop();
    }
  }, 60_000);
});

describe('the service going away', () => {
  it('SIGKILL of mcp serve leaves no docker attach on the host of a shared stdio server (ps there) within 5 s', async () => {
    const name = sandbox.name('rattach');
    expect((await sandbox.mcp(['add', name, '--host', 'alpha', '--command', STDIO], vars)).exitCode).toBe(0);
    expect((await sandbox.mcp(['start', name], vars)).exitCode).toBe(0);
    const doomed = await startService(sandbox, { env: vars });
    const client = new Client({ name: 'doomed', version: '0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${doomed.url}/mcp/${name}`), { requestInit: { headers: { authorization: `Bearer ${clientToken}` } } }));
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'attached' } }))).toBe('attached');
    const attaches = async () => (await psOn(h1)).filter((line) => line.startsWith('docker attach'));
    const container = (await hostDocker(h1, ['inspect', '--format', '{{.Id}}', name])).stdout.trim();
    expect((await attaches()).filter((line) => line.includes(container))).toHaveLength(1);
    doomed.child.kill('SIGKILL');
    await doomed.stop();
    const killedAt = Date.now();
    await waitFor('the attach to end', async () => ((await attaches()).some((line) => line.includes(container)) ? undefined : true), 5000);
    expect(Date.now() - killedAt).toBeLessThan(5000);
    // The server itself keeps running: only the bridge went.
    expect((await hostDocker(h1, ['inspect', '--format', '{{.State.Status}}', name])).stdout.trim()).toBe('running');
  }, 90_000);
});

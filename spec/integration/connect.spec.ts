/**
 * Issue #11, `mcp connect` and stdio health: the SDK client spawns `mcp connect S` as an MCP
 * client application would, against a stdio server on localhost and on a namespace host, and an
 * HTTP server bound to a namespace host's loopback; killing the client leaves nothing running.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CLI, docker, freePort, ROOT, type Sandbox, TEST_IMAGE, waitFor } from './harness.js';
import { fleetSandbox, host, hostDocker, readTestHosts, type TestHost, type TestHostsEnv } from './fleetHarness.js';
import { buildTestImage, connectClient, ensureTestImageOn, processLines, textOf } from './mcpHarness.js';

const run = promisify(execFile);
const STDIO = `docker run -i --rm -e WHO=stdio-user ${TEST_IMAGE} --stdio`;

let env: TestHostsEnv;
let sandbox: Sandbox;
let vars: NodeJS.ProcessEnv;
let h1: TestHost;
const clients: Client[] = [];

const mcp = (args: string[]) => sandbox.mcp(args, vars);

async function sessionContainers(where: TestHost | 'local'): Promise<string[]> {
  const args = ['ps', '-a', '--filter', 'label=msm.session-of', '--format', '{{.Names}}'];
  const result = where === 'local' ? await docker(args) : await hostDocker(where, args);
  return result.stdout.split('\n').filter((name) => name.startsWith(sandbox.prefix));
}

/** `ps` on the namespace host, over its own sshd. */
async function psOn(h: TestHost): Promise<string[]> {
  const { stdout } = await run('ssh', ['-i', env.clientKey, '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${path.join(sandbox.dir, 'home/.ssh/known_hosts')}`, `${h.user}@${h.address}`, 'ps -eo args']);
  return stdout.split('\n');
}

/**
 * A client process (the SDK client spawning `mcp connect`) is killed with SIGKILL once connected:
 * its `mcp connect` sees stdin close and must end the session's docker run and container.
 */
async function expectKillCleansUp(name: string, where: TestHost | 'local'): Promise<void> {
  const script = path.join(sandbox.dir, `client-${name}.mjs`);
  const sdk = (file: string) => JSON.stringify(path.join(ROOT, 'node_modules/@modelcontextprotocol/sdk/dist/esm', file));
  await fs.writeFile(
    script,
    [
      `import { Client } from ${sdk('client/index.js')};`,
      `import { StdioClientTransport } from ${sdk('client/stdio.js')};`,
      `const client = new Client({ name: 'killed', version: '0' });`,
      `await client.connect(new StdioClientTransport({ command: process.execPath, args: [${JSON.stringify(CLI)}, 'connect', ${JSON.stringify(name)}], env: process.env, stderr: 'ignore' }));`,
      `await client.listTools();`,
      `console.log('ready');`,
      `setInterval(() => undefined, 1000);`,
    ].join('\n'),
  );
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...vars, MSM_REGISTRY: sandbox.registry, MSM_HOSTS: path.join(sandbox.dir, 'hosts.yaml') }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`the client exited early (${code})`)));
  });
  const ps = () => (where === 'local' ? processLines() : psOn(where));
  const mine = (lines: string[]) => lines.filter((line) => line.includes(`--name=${name}-session-`));
  expect(mine(await ps())).not.toEqual([]);
  expect(await sessionContainers(where)).toHaveLength(1);
  child.kill('SIGKILL');
  const killedAt = Date.now();
  await waitFor('the docker run process and its container to go', async () => (mine(await ps()).length === 0 && (await sessionContainers(where)).length === 0 ? true : undefined), 5000);
  expect(Date.now() - killedAt).toBeLessThan(5000);
}

beforeAll(async () => {
  env = await readTestHosts();
  h1 = host(env, 'h1');
  await buildTestImage();
  await ensureTestImageOn(h1);
  ({ sandbox, vars } = await fleetSandbox(env, { trusted: ['h1'], aliases: { alpha: 'h1' } }));
}, 180_000);

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  for (const name of await sessionContainers(h1)) await hostDocker(h1, ['rm', '-f', name]);
  const managed = await hostDocker(h1, ['ps', '-aq', '--filter', `name=^${sandbox.prefix}`]);
  for (const id of managed.stdout.split('\n').filter(Boolean)) await hostDocker(h1, ['rm', '-f', id]);
  await sandbox.dispose();
});

describe('mcp connect, stdio server on localhost', () => {
  let name: string;

  beforeAll(async () => {
    name = sandbox.name('stdio');
    expect((await mcp(['add', name, '--command', STDIO])).exitCode).toBe(0);
  });

  it('lists and calls the tools through a one-session container with the registered environment', async () => {
    const client = await connectClient(sandbox, name, vars);
    clients.push(client);
    expect(client.getServerVersion()).toEqual({ name: 'msm-test-mcp', version: '1.0.0' });
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['echo', 'sleep', 'started', 'whoami']);
    expect(textOf(await client.callTool({ name: 'whoami', arguments: {} }))).toBe('stdio-user');
    expect(await sessionContainers('local')).toHaveLength(1);
    await client.close();
    await waitFor('the session container to go', async () => ((await sessionContainers('local')).length === 0 ? true : undefined), 10_000);
  }, 60_000);

  it('SIGKILL of the client leaves no docker run process and no container within 5 s', async () => {
    await expectKillCleansUp(name, 'local');
  }, 60_000);

  it('mcp health reports it healthy with its tool count, over an attach to its running container', async () => {
    expect((await mcp(['start', name])).exitCode).toBe(0);
    const result = await sandbox.mcpJson<Array<{ ok: boolean; status: string; tool_count: number; server_name: string; target: string }>>(['health', name], vars);
    expect(result[0]).toMatchObject({ ok: true, status: 'healthy', server_name: 'msm-test-mcp', tool_count: 4 });
    expect(result[0]?.target).toMatch(/^stdio: docker attach /);
    // The check ended its attach; the server itself still runs.
    const state = await docker(['inspect', '--format', '{{.State.Status}}', name]);
    expect(state.stdout.trim()).toBe('running');
    expect((await processLines()).filter((line) => line.startsWith('docker attach') && line.includes(name))).toEqual([]);
  }, 60_000);

  it('a stdio server is registered with the MCP check by default; --stdio-sessions is refused for an HTTP one', async () => {
    const data = await sandbox.mcpJson<{ config: { health_check?: unknown } }>(['get', name], vars);
    expect(data.config.health_check).toEqual({ type: 'mcp' });
    const refused = await mcp(['add', sandbox.name('http-shared'), '--port', '9', '--stdio-sessions', 'shared', '--command', `docker run -d ${TEST_IMAGE}`]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('--stdio-sessions is for stdio servers');
    expect(await sandbox.readRegistry()).not.toContain('http-shared');
  });
});

describe('mcp connect, bad input', () => {
  it('refuses, with exit 2, a clear message and nothing on stdout: an unknown name, a server with no MCP transport, a bad --gateway', async () => {
    const unknown = await mcp(['connect', sandbox.name('nope')]);
    expect([unknown.exitCode, unknown.stdout]).toEqual([2, '']);
    expect(unknown.stderr).toContain(`no server named "${sandbox.name('nope')}" is registered`);

    const plain = sandbox.name('plain');
    expect((await mcp(['add', plain, '--command', `docker run -d ${TEST_IMAGE}`])).exitCode).toBe(0);
    const neither = await mcp(['connect', plain]);
    expect([neither.exitCode, neither.stdout]).toEqual([2, '']);
    expect(neither.stderr).toContain('speaks neither stdio (its command has no -i) nor HTTP (no --port is registered)');

    const badGateway = await sandbox.mcp(['connect', plain, '--gateway', 'http://user:secret@127.0.0.1:1'], { ...vars, MSM_TOKEN: 't' });
    expect([badGateway.exitCode, badGateway.stdout]).toEqual([2, '']);
    expect(badGateway.stderr).toContain('--gateway must not carry credentials or a query');
    expect(badGateway.stderr).not.toContain('secret');
  }, 60_000);
});

describe('mcp connect, servers on a namespace host', () => {
  it('a stdio server: one-session container on that host, gone with the client', async () => {
    const name = sandbox.name('rstdio');
    expect((await mcp(['add', name, '--host', 'alpha', '--command', STDIO])).exitCode).toBe(0);
    const client = await connectClient(sandbox, name, vars);
    clients.push(client);
    expect(textOf(await client.callTool({ name: 'whoami', arguments: {} }))).toBe('stdio-user');
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'over ssh' } }))).toBe('over ssh');
    expect(await sessionContainers(h1)).toHaveLength(1);
    const mine = (lines: string[]) => lines.filter((line) => line.includes(`--name=${name}-session-`));
    expect(mine(await psOn(h1))).not.toEqual([]);
    await client.close();
    await waitFor('the remote session to end', async () => (mine(await psOn(h1)).length === 0 && (await sessionContainers(h1)).length === 0 ? true : undefined), 5000);
  }, 90_000);

  it('mcp health of a stdio server on the host: healthy with its tool count, over an attach through SSH that ends with the check', async () => {
    const name = sandbox.name('rhealth');
    expect((await mcp(['add', name, '--host', 'alpha', '--command', STDIO])).exitCode).toBe(0);
    expect((await mcp(['start', name])).exitCode).toBe(0);
    const result = await sandbox.mcpJson<Array<{ ok: boolean; status: string; tool_count: number }>>(['health', name], vars);
    expect(result[0]).toMatchObject({ ok: true, status: 'healthy', tool_count: 4 });
    const id = (await hostDocker(h1, ['inspect', '--format', '{{.Id}}', name])).stdout.trim();
    await waitFor('the attach to end', async () => ((await psOn(h1)).some((line) => line.startsWith('docker attach') && line.includes(id)) ? undefined : true), 5000);
  }, 90_000);

  it('SIGKILL of the client leaves no docker run process on the host (ps there) and no container within 5 s', async () => {
    const name = sandbox.name('rkill');
    expect((await mcp(['add', name, '--host', 'alpha', '--command', STDIO])).exitCode).toBe(0);
    await expectKillCleansUp(name, h1);
  }, 90_000);

  it('an HTTP server bound to the host loopback: through the SSH connection', async () => {
    const name = sandbox.name('rhttp');
    const port = await freePort();
    const command = `docker run -d -p 127.0.0.1:${port}:8080 -e WHO=http-user ${TEST_IMAGE}`;
    expect((await mcp(['add', name, '--host', 'alpha', '--port', String(port), '--command', command])).exitCode).toBe(0);
    expect((await mcp(['start', name, '--wait', '--timeout', '60'])).exitCode).toBe(0);
    const client = await connectClient(sandbox, name, vars);
    clients.push(client);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['echo', 'whoami']);
    expect(textOf(await client.callTool({ name: 'whoami', arguments: {} }))).toBe('http-user');
    await client.close();
  }, 120_000);

  it('a server that is not running is named with its state, on stderr, and nothing reaches stdout', async () => {
    const name = sandbox.name('rhttp-stopped');
    expect((await mcp(['add', name, '--host', 'alpha', '--port', '9', '--command', `docker run -d -p 127.0.0.1:9:8080 ${TEST_IMAGE}`])).exitCode).toBe(0);
    const result = await mcp(['connect', name]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`server "${name}" is not running (absent)`);
  }, 60_000);
});

/** Issue #2 end to end on the real engine: add, start, get, log, stop, restart, remove. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { MCPServerData } from '../../lib/data/models.js';
import { docker, freePort, Sandbox, TEST_IMAGE, waitFor } from './harness.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await Sandbox.create();
});

afterAll(async () => {
  await sandbox.dispose();
});

async function mcpInitialize(port: number): Promise<{ name?: string; tools: number }> {
  const client = new Client({ name: 'msm-test', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
  try {
    const { tools } = await client.listTools();
    return { name: client.getServerVersion()?.name, tools: tools.length };
  } finally {
    await client.close();
  }
}

describe('a server through its whole life on the local engine', () => {
  it('adds, starts, reports, logs, stops, restarts and removes', async () => {
    const name = sandbox.name('s1');
    const port = await freePort();
    const add = await sandbox.mcp(['add', name, '--command', `docker run -d -p 127.0.0.1:${port}:8080 -e WHO=alice ${TEST_IMAGE}`]);
    expect(add).toMatchObject({ exitCode: 0 });

    const started = await sandbox.mcpJson<Array<{ name: string; ok: boolean; action: string; status: string; container_id: string }>>(['start', name]);
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ name, host: 'localhost', ok: true, action: 'created', status: 'running', error: null });

    const data = await sandbox.mcpJson<MCPServerData>(['get', name]);
    expect(data.config.name).toBe(name);
    expect(data.status?.status).toBe('running');
    expect(data.status?.container_info?.image).toBe(TEST_IMAGE);
    expect(data.status?.container_info?.container_id).toBe(started[0]?.container_id);

    const inspect = JSON.parse((await docker(['inspect', name])).stdout) as Array<{ Config: { Labels: Record<string, string>; Env: string[] } }>;
    expect(inspect[0]?.Config.Labels['msm.name']).toBe(name);
    expect(inspect[0]?.Config.Env).toContain('WHO=alice');

    const hello = await waitFor('the MCP endpoint', () => mcpInitialize(port).catch(() => undefined));
    expect(hello).toEqual({ name: 'msm-test-mcp', tools: 2 });

    const log = await sandbox.mcp(['log', name, '--tail', '20']);
    expect(log.exitCode).toBe(0);
    expect(log.stdout).toContain('msm-test-mcp listening on :8080');

    const stopped = await sandbox.mcpJson<Array<{ ok: boolean; action: string; status: string }>>(['stop', name]);
    expect(stopped[0]).toMatchObject({ ok: true, action: 'stopped', status: 'stopped' });
    expect((await sandbox.mcpJson<MCPServerData>(['get', name])).status?.status).toBe('stopped');

    const restarted = await sandbox.mcpJson<Array<{ ok: boolean; action: string; status: string }>>(['restart', name]);
    expect(restarted[0]).toMatchObject({ ok: true, action: 'restarted', status: 'running' });
    expect((await sandbox.mcpJson<MCPServerData>(['get', name])).status?.status).toBe('running');

    const removed = await sandbox.mcp(['remove', name, '--yes', '--purge']);
    expect(removed.exitCode).toBe(0);
    expect(await sandbox.mcpJson<unknown[]>(['list'])).toEqual([]);
    expect((await docker(['ps', '-aq', '--filter', `label=msm.name=${name}`])).stdout.trim()).toBe('');
  });

  it('starts a stopped container in place, recreates it when the command changed, and re-runs a vanished one', async () => {
    const name = sandbox.name('busy');
    const registryPath = sandbox.registry;
    expect((await sandbox.mcp(['add', name, '--command', `docker run --stop-timeout=1 msm-busybox:latest sleep 300`])).exitCode).toBe(0);
    const first = await sandbox.mcpJson<Array<{ action: string; container_id: string }>>(['start', name]);
    expect(first[0]?.action).toBe('created');

    const again = await sandbox.mcpJson<Array<{ action: string; container_id: string }>>(['start', name]);
    expect(again[0]).toMatchObject({ action: 'already running', container_id: first[0]?.container_id });

    await sandbox.mcp(['stop', name]);
    const resumed = await sandbox.mcpJson<Array<{ action: string; container_id: string }>>(['start', name]);
    expect(resumed[0]).toMatchObject({ action: 'started', container_id: first[0]?.container_id });

    // Change the registered command behind the tool's back: start must notice and recreate.
    const fs = await import('node:fs/promises');
    const text = await fs.readFile(registryPath, 'utf8');
    await fs.writeFile(registryPath, text.replace('sleep 300', 'sleep 301'));
    const drifted = await sandbox.mcpJson<MCPServerData>(['get', name]);
    expect(drifted.status?.drift).toBe(true);
    const recreated = await sandbox.mcpJson<Array<{ action: string; container_id: string; status: string }>>(['start', name]);
    expect(recreated[0]).toMatchObject({ action: 'recreated', status: 'running' });
    expect(recreated[0]?.container_id).not.toBe(first[0]?.container_id);

    await docker(['rm', '-f', name]);
    const gone = await sandbox.mcpJson<MCPServerData>(['get', name]);
    expect(gone.status).toMatchObject({ status: 'stopped', state: 'absent' });
    const rerun = await sandbox.mcpJson<Array<{ action: string; status: string }>>(['start', name]);
    expect(rerun[0]).toMatchObject({ action: 'created', status: 'running' });
  });

  it('interpolates $VAR from .env at start, never stores or prints the value, and fails naming a missing one', async () => {
    const fs = await import('node:fs/promises');
    const name = sandbox.name('secret');
    const secret = 'sup3r-s3cret-value';
    expect((await sandbox.mcp(['add', name, '--command', 'docker run --stop-timeout=1 -e TOKEN=${MSM_IT_TOKEN} msm-busybox:latest sleep 300'])).exitCode).toBe(0);

    const missing = await sandbox.mcp(['start', name]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stdout + missing.stderr).toContain('MSM_IT_TOKEN');

    await fs.writeFile(`${sandbox.dir}/.env`, `MSM_IT_TOKEN=${secret}\n`);
    const plan = await sandbox.mcp(['start', name, '--dry-run', '--json']);
    expect(plan.exitCode).toBe(0);
    expect(plan.stdout).not.toContain(secret);
    expect(JSON.parse(plan.stdout)[0].argv).toContain('--env=TOKEN=${MSM_IT_TOKEN}');

    const verbose = await sandbox.mcp(['start', name, '--verbose']);
    expect(verbose.exitCode).toBe(0);
    expect(verbose.stdout + verbose.stderr).not.toContain(secret);
    expect(verbose.stderr).toContain('TOKEN=${MSM_IT_TOKEN}');

    const env = JSON.parse((await docker(['inspect', '--format', '{{json .Config.Env}}', name])).stdout) as string[];
    expect(env).toContain(`TOKEN=${secret}`);
    expect(await sandbox.readRegistry()).not.toContain(secret);
  });
});

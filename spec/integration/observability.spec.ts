/** Issue #3 on the real engine: status, resources, MCP health, logs, and how many docker calls it takes. */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { MCPServerData } from '../../lib/data/models.js';
import { BUSYBOX_IMAGE, CLI, docker, freePort, Sandbox, TEST_IMAGE, waitFor } from './harness.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await Sandbox.create();
});

afterAll(async () => {
  await sandbox.dispose();
});

/** A `docker` first on PATH that records each call, then runs the real one. */
async function countingDocker(): Promise<{ env: NodeJS.ProcessEnv; calls: () => Promise<string[]> }> {
  const dir = await fs.mkdtemp(path.join(sandbox.dir, 'bin-'));
  const log = path.join(dir, 'calls.log');
  const real = (await docker(['--version'])).exitCode === 0 ? await whichDocker() : 'docker';
  await fs.writeFile(path.join(dir, 'docker'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
  return {
    env: { PATH: `${dir}:${process.env.PATH ?? ''}` },
    calls: async () => (await fs.readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean),
  };
}

async function whichDocker(): Promise<string> {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = path.join(dir, 'docker');
    if (await fs.access(candidate).then(() => true, () => false)) return candidate;
  }
  throw new Error('docker not on PATH');
}

describe('a healthy MCP server', () => {
  let name: string;
  let port: number;

  beforeAll(async () => {
    name = sandbox.name('obs');
    port = await freePort();
    const add = await sandbox.mcp(['add', name, '--port', String(port), '--health', 'mcp', '--command', `docker run -p 127.0.0.1:${port}:8080 ${TEST_IMAGE}`]);
    expect(add.exitCode).toBe(0);
    const start = await sandbox.mcp(['start', name, '--wait', '--timeout', '30']);
    expect(start.stderr).toBe('');
    expect(start.exitCode).toBe(0);
  });

  it('get --json reports health, resources, uptime and logs', async () => {
    const data = await sandbox.mcpJson<MCPServerData>(['get', name]);
    expect(data.status?.status).toBe('running');
    // The test image has no HEALTHCHECK of its own, and the check's verdict is said once, in health.
    expect(data.status?.health_status).toBeUndefined();
    expect(data.status?.health).toMatchObject({ status: 'healthy', type: 'mcp', server_name: 'msm-test-mcp', server_version: '1.0.0', tool_count: 2 });
    expect(data.status?.resource_usage?.memory_usage).toBeGreaterThan(0);
    expect(data.status?.resource_usage?.pids).toBeGreaterThanOrEqual(1);
    expect(data.status?.resource_usage?.cpu_usage).toBeGreaterThanOrEqual(0);
    expect(data.status?.resource_usage?.cpu_usage).toBeLessThanOrEqual(100);
    expect(data.status?.uptime).toMatch(/^\d+[smhd]/);
    expect(data.status?.uptime_seconds).toEqual(expect.any(Number));
    expect(data.status?.container_logs?.logs.join('\n')).toContain('msm-test-mcp listening on :8080');
  });

  it('health exits 0 when healthy', async () => {
    const result = await sandbox.mcp(['health', name]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/healthy/);
    expect(result.stdout).toContain('msm-test-mcp 1.0.0');
  });

  it('health exits non-zero and says why when nothing listens on the port', async () => {
    const other = sandbox.name('deaf');
    const deafPort = await freePort();
    await sandbox.mcp(['add', other, '--port', String(deafPort), '--command', `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 300`]);
    await sandbox.mcp(['start', other]);
    const result = await sandbox.mcp(['health', other]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('connection refused');
    const json = await sandbox.mcpJson<Array<{ ok: boolean; status: string; error: string }>>(['health', other]);
    expect(json[0]).toMatchObject({ ok: false, status: 'unhealthy' });
    const wait = await sandbox.mcp(['restart', other, '--wait', '--timeout', '2']);
    expect(wait.exitCode).toBe(1);
    expect(wait.stdout).toContain('not ready after 2 s');
  });

  it('log --grep prints only matching lines', async () => {
    await sandbox.mcp(['health', name]); // makes the server log requests
    const result = await sandbox.mcp(['log', name, '--grep', 'listening', '--tail', 'all']);
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toContain('listening');
    const all = await sandbox.mcp(['log', name, '--tail', '100']);
    expect(all.stdout).toContain('request POST /mcp');
  });

  it('log -f follows new lines and exits 0 on SIGINT', async () => {
    const child = spawn(process.execPath, [CLI, 'log', name, '-f', '--tail', '0'], {
      env: { ...process.env, MSM_REGISTRY: sandbox.registry, NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await sandbox.mcp(['health', name]);
    await waitFor('a followed line', async () => (output.includes('request POST /mcp') ? true : undefined), 10_000);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});

describe('docker calls per command', () => {
  const names: string[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 10; i++) {
      const name = sandbox.name(`many${i}`);
      names.push(name);
      expect((await sandbox.mcp(['add', name, '--command', `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 600`])).exitCode).toBe(0);
    }
    const started = await sandbox.mcpJson<Array<{ ok: boolean }>>(['start', ...names]);
    expect(started.every((r) => r.ok)).toBe(true);
  });

  it('list over 10 running servers starts docker at most 3 times', async () => {
    const counter = await countingDocker();
    const list = await sandbox.mcpJson<MCPServerData[]>(['list'], counter.env);
    const ours = list.filter((s) => names.includes(s.config.name));
    expect(ours).toHaveLength(10);
    expect(ours.every((s) => s.status?.status === 'running')).toBe(true);
    const calls = await counter.calls();
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls.length).toBeLessThanOrEqual(3);
  });

  it('list --stats over 10 running servers starts docker at most 4 times, one stats sample', async () => {
    const counter = await countingDocker();
    const list = await sandbox.mcpJson<MCPServerData[]>(['list', '--stats'], counter.env);
    const ours = list.filter((s) => names.includes(s.config.name));
    expect(ours.every((s) => (s.status?.resource_usage?.memory_usage ?? 0) > 0)).toBe(true);
    const calls = await counter.calls();
    expect(calls.length).toBeLessThanOrEqual(4);
    expect(calls.filter((c) => c.startsWith('stats'))).toHaveLength(1);
  });

  it('a container removed behind the tool is reported down, not as an error, and start brings it back', async () => {
    const victim = names[0] as string;
    await docker(['rm', '-f', victim]);
    const result = await sandbox.mcp(['get', victim, '--json']);
    expect(result.exitCode).toBe(0);
    expect((JSON.parse(result.stdout) as MCPServerData).status).toMatchObject({ status: 'stopped', state: 'absent' });
    const started = await sandbox.mcpJson<Array<{ ok: boolean; action: string; status: string }>>(['start', victim]);
    expect(started[0]).toMatchObject({ ok: true, action: 'created', status: 'running' });
  });
});

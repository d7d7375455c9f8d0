/**
 * Issue #9, defect 7 and desired state on the real engine: registry.yaml holds what the user
 * declares and is never rewritten by start/stop; observed and desired state go to the state file,
 * whose write failing is a warning; `mcp up` brings back what should run.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { MCPServerData } from '../../lib/data/models.js';
import { BUSYBOX_IMAGE, docker, Sandbox } from './harness.js';
import { fleetSandbox, host, hostDocker, readTestHosts } from './fleetHarness.js';

const execFileAsync = promisify(execFile);
const SLEEP = `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 600`;

interface Result {
  name: string;
  ok: boolean;
  action: string | null;
  status: string;
}

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await Sandbox.create();
});

afterEach(async () => {
  await execFileAsync('chattr', ['-i', sandbox.registry]).catch(() => undefined);
  await sandbox.dispose();
});

async function runningNames(prefix: string): Promise<string[]> {
  const out = await docker(['ps', '--filter', 'label=msm.name', '--format', '{{.Label "msm.name"}}']);
  return out.stdout.split('\n').filter((name) => name.startsWith(prefix)).sort();
}

describe('registry.yaml is what the user declares (defect 7)', () => {
  it('survives start and stop byte for byte, comments and mode included; add changes only its own lines', async () => {
    const s1 = sandbox.name('s1');
    expect((await sandbox.mcp(['add', s1, '--command', SLEEP])).exitCode).toBe(0);
    // The user comments the file and makes it group-readable.
    const added = (await sandbox.readRegistry()) ?? '';
    const commented = `# Our team's MCP servers. Edit with care.\n${added.replace(`  ${s1}:\n`, `  # the first one\n  ${s1}:\n`).replace(/^(\s+host: localhost)$/m, '$1 # always local')}`;
    await fs.writeFile(sandbox.registry, commented);
    await fs.chmod(sandbox.registry, 0o640);

    expect((await sandbox.mcp(['start', s1])).exitCode).toBe(0);
    expect((await sandbox.mcp(['stop', s1])).exitCode).toBe(0);
    expect((await sandbox.mcp(['restart', s1])).exitCode).toBe(0);
    expect(await sandbox.readRegistry()).toBe(commented);
    expect((await fs.stat(sandbox.registry)).mode & 0o777).toBe(0o640);

    const s2 = sandbox.name('s2');
    expect((await sandbox.mcp(['add', s2, '--command', SLEEP])).exitCode).toBe(0);
    const after = ((await sandbox.readRegistry()) ?? '').split('\n');
    const before = commented.split('\n');
    // The same lines up to the end (the last_updated stamp renewed), then s2's entry appended.
    const stampLine = after.find((line) => line.startsWith('last_updated:'));
    const head = before.slice(0, -1).map((line) => (line.startsWith('last_updated:') ? stampLine : line));
    expect(after.slice(0, head.length)).toEqual(head);
    const tail = after.slice(head.length);
    expect(tail[0]).toBe(`  ${s2}:`);
    expect(tail.slice(1).every((line) => line === '' || line.startsWith('    '))).toBe(true);
    expect((await fs.stat(sandbox.registry)).mode & 0o777).toBe(0o640);
  });

  it('hosts add and remove change only their own lines of a commented hosts.yaml', async () => {
    const hostsFile = path.join(sandbox.dir, 'hosts.yaml');
    const original = '# Fleet inventory: ask ops before editing.\nhosts:\n  # primary\n  alpha:\n    address: 10.0.0.5 # rack 3\n    user: deploy\n';
    await fs.writeFile(hostsFile, original);
    await fs.chmod(hostsFile, 0o644);
    expect((await sandbox.mcp(['hosts', 'add', 'beta', '--address', '10.0.0.6'])).exitCode).toBe(0);
    expect(await fs.readFile(hostsFile, 'utf8')).toBe(`${original}  beta:\n    address: 10.0.0.6\n`);
    expect((await sandbox.mcp(['hosts', 'remove', 'beta'])).exitCode).toBe(0);
    expect(await fs.readFile(hostsFile, 'utf8')).toBe(original);
    expect((await fs.stat(hostsFile)).mode & 0o777).toBe(0o644);
  });

  it('a read-only registry does not fail start or stop, and --json still prints the results', async () => {
    const s1 = sandbox.name('ro');
    expect((await sandbox.mcp(['add', s1, '--command', SLEEP])).exitCode).toBe(0);
    const text = await sandbox.readRegistry();
    await execFileAsync('chattr', ['+i', sandbox.registry]);
    const start = await sandbox.mcp(['start', s1, '--json']);
    expect(start.exitCode).toBe(0);
    expect(JSON.parse(start.stdout)).toMatchObject([{ name: s1, ok: true, action: 'created', status: 'running' }]);
    const stop = await sandbox.mcp(['stop', s1, '--json']);
    expect(stop.exitCode).toBe(0);
    expect(JSON.parse(stop.stdout)).toMatchObject([{ name: s1, ok: true, action: 'stopped', status: 'stopped' }]);
    expect(await sandbox.readRegistry()).toBe(text);
  });

  it('observed state goes to the state file; failing to write it is only a warning', async () => {
    const s1 = sandbox.name('st');
    expect((await sandbox.mcp(['add', s1, '--command', SLEEP])).exitCode).toBe(0);
    expect((await sandbox.mcp(['start', s1])).exitCode).toBe(0);
    const id = /^id: (\S+)$/m.exec((await sandbox.readRegistry()) ?? '')?.[1] ?? '';
    const state = JSON.parse(await fs.readFile(path.join(sandbox.stateHome, 'msm', `${id}.json`), 'utf8')) as {
      servers: Record<string, { desired: string; last: { status: string; last_check: string } }>;
    };
    expect(state.servers[s1]).toMatchObject({ desired: 'running', last: { status: 'running' } });

    // A state home that cannot be created (a path under a regular file).
    const blocked = path.join(sandbox.dir, 'not-a-dir');
    await fs.writeFile(blocked, '');
    const stop = await sandbox.mcp(['stop', s1, '--json'], { XDG_STATE_HOME: blocked });
    expect(stop.exitCode).toBe(0);
    expect(JSON.parse(stop.stdout)).toMatchObject([{ name: s1, ok: true, action: 'stopped' }]);
    expect(stop.stderr).toContain('warning: state not saved:');
    expect(stop.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('desired state and `mcp up`', () => {
  it('after docker rm -f of everything, up brings back what was running and not what was stopped; a second up changes nothing', async () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => sandbox.name(n)) as [string, string, string, string];
    for (const name of [a, b, d]) expect((await sandbox.mcp(['add', name, '--command', SLEEP])).exitCode).toBe(0);
    expect((await sandbox.mcp(['add', c, '--auto-start', '--command', SLEEP])).exitCode).toBe(0);
    expect((await sandbox.mcp(['start', a, b])).exitCode).toBe(0);
    expect((await sandbox.mcp(['stop', b])).exitCode).toBe(0);
    expect(await runningNames(sandbox.prefix)).toEqual([a]);

    const ids = (await docker(['ps', '-aq', '--filter', 'label=msm.name'])).stdout.split('\n').filter(Boolean);
    const mine: string[] = [];
    for (const id of ids) if ((await docker(['inspect', '--format', '{{index .Config.Labels "msm.name"}}', id])).stdout.startsWith(sandbox.prefix)) mine.push(id);
    await docker(['rm', '-f', ...mine]);

    const list = await sandbox.mcp(['list']);
    expect(list.stdout).toMatch(new RegExp(`${a}\\s.*absent \\(want running\\)`));
    expect(list.stdout).toMatch(new RegExp(`${c}\\s.*absent \\(want running\\)`));
    expect(list.stdout).not.toMatch(new RegExp(`${b}\\s.*want`));

    const plan = await sandbox.mcp(['up', '--dry-run']);
    expect(plan.exitCode).toBe(0);
    expect(plan.stdout).toContain(`${a} @localhost: would be created`);
    expect(await runningNames(sandbox.prefix)).toEqual([]);

    const up = await sandbox.mcpJson<Result[]>(['up']);
    expect(up.map((r) => [r.name, r.ok, r.action, r.status])).toEqual([
      [a, true, 'created', 'running'],
      [b, true, 'already stopped', 'stopped'],
      [d, true, 'no desired state', 'stopped'],
      [c, true, 'created', 'running'],
    ]);
    expect(await runningNames(sandbox.prefix)).toEqual([a, c].sort());

    const again = await sandbox.mcp(['up']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('nothing to do');
    const againJson = await sandbox.mcpJson<Result[]>(['up']);
    expect(againJson.map((r) => r.action)).toEqual(['already running', 'already stopped', 'no desired state', 'already running']);
    expect((await sandbox.mcpJson<MCPServerData[]>(['list'])).map((s) => [s.config.name, s.status?.desired ?? null])).toEqual([
      [a, 'running'],
      [b, 'stopped'],
      [d, null],
      [c, 'running'],
    ]);
  });

  it('up stops a server whose last stop was undone behind its back', async () => {
    const s = sandbox.name('back');
    expect((await sandbox.mcp(['add', s, '--command', SLEEP])).exitCode).toBe(0);
    expect((await sandbox.mcp(['start', s])).exitCode).toBe(0);
    expect((await sandbox.mcp(['stop', s])).exitCode).toBe(0);
    await docker(['start', s]);
    const up = await sandbox.mcpJson<Result[]>(['up', s]);
    expect(up[0]).toMatchObject({ ok: true, action: 'stopped', status: 'stopped' });
  });
});

describe('`mcp up` on a remote host', () => {
  it('brings back a server whose container was removed on its SSH host', async () => {
    const env = await readTestHosts();
    const h2 = host(env, 'h2');
    const fleet = await fleetSandbox(env, { trusted: ['h2'], aliases: { beta: 'h2' } });
    const name = fleet.sandbox.name('remote');
    try {
      expect((await fleet.sandbox.mcp(['add', name, '--host', 'beta', '--command', SLEEP], fleet.vars)).exitCode).toBe(0);
      expect((await fleet.sandbox.mcp(['start', name], fleet.vars)).exitCode).toBe(0);
      await hostDocker(h2, ['rm', '-f', name]);
      const up = JSON.parse((await fleet.sandbox.mcp(['up', '--json'], fleet.vars)).stdout) as Result[];
      expect(up).toMatchObject([{ name, ok: true, action: 'created', status: 'running' }]);
      expect((await hostDocker(h2, ['inspect', '--format', '{{.State.Status}}', name])).stdout.trim()).toBe('running');
    } finally {
      await hostDocker(h2, ['rm', '-f', name]);
      await fleet.sandbox.dispose();
    }
  });
});

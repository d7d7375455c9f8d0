/** Many `mcp add` processes at once: the lock keeps every write and the file always parses. */
import { parse } from 'yaml';
import { BUSYBOX_IMAGE, docker, Sandbox } from './harness.js';

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await Sandbox.create();
});

afterEach(async () => {
  await sandbox.dispose();
});

it('50 concurrent adds with distinct names leave 50 entries', async () => {
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, i) => sandbox.mcp(['add', `s${i}`, '--command', `docker run msm-busybox:latest sleep ${i}`])),
  );
  expect(results.filter((r) => r.exitCode !== 0).map((r) => r.stderr)).toEqual([]);
  const registry = parse((await sandbox.readRegistry()) ?? '') as { servers: Record<string, unknown> };
  expect(Object.keys(registry.servers).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `s${i}`).sort());
});

it('50 concurrent adds of one name leave exactly one success', async () => {
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, i) => sandbox.mcp(['add', 'same', '--command', `docker run msm-busybox:latest sleep ${i}`])),
  );
  expect(results.filter((r) => r.exitCode === 0)).toHaveLength(1);
  const failures = results.filter((r) => r.exitCode !== 0);
  expect(failures).toHaveLength(49);
  for (const failure of failures) {
    expect(failure.exitCode).toBe(2);
    expect(failure.stderr).toContain('already exists');
  }
  const registry = parse((await sandbox.readRegistry()) ?? '') as { servers: Record<string, unknown> };
  expect(Object.keys(registry.servers)).toEqual(['same']);
});

describe('concurrent lifecycle commands on the same servers (issue #9 defect 10)', () => {
  interface StartRecord {
    name: string;
    ok: boolean;
    action: string | null;
    status: string;
    error: string | null;
  }

  const containersOf = async (name: string) => (await docker(['ps', '-aq', '--filter', `label=msm.name=${name}`])).stdout.split('\n').filter(Boolean);

  it('`mcp start X` from four processes at once: one creates, the others find it running; all succeed', async () => {
    const name = sandbox.name('race');
    expect((await sandbox.mcp(['add', name, '--command', `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 900`])).exitCode).toBe(0);
    const runs = await Promise.all([0, 1, 2, 3].map(() => sandbox.mcp(['start', name, '--json'])));
    for (const run of runs) expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' });
    const records = runs.map((run) => (JSON.parse(run.stdout) as StartRecord[])[0]);
    expect(records.map((r) => r?.action).sort()).toEqual(['already running', 'already running', 'already running', 'created']);
    expect(records.map((r) => r?.status)).toEqual(['running', 'running', 'running', 'running']);
    expect(await containersOf(name)).toHaveLength(1);
  });

  it('three `mcp start --all` at once over three servers: each server is created exactly once', async () => {
    const names = ['a', 'b', 'c'].map((n) => sandbox.name(`all-${n}`));
    for (const name of names) expect((await sandbox.mcp(['add', name, '--command', `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 900`])).exitCode).toBe(0);
    const runs = await Promise.all([0, 1, 2].map(() => sandbox.mcp(['start', ...names, '--json'])));
    for (const run of runs) expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' });
    const records = runs.flatMap((run) => JSON.parse(run.stdout) as StartRecord[]);
    for (const name of names) {
      expect(records.filter((r) => r.name === name).map((r) => r.action).sort()).toEqual(['already running', 'already running', 'created']);
      expect(await containersOf(name)).toHaveLength(1);
    }
  });

  it('start and stop at once end in a state one of them reports, without docker errors', async () => {
    const name = sandbox.name('flip');
    expect((await sandbox.mcp(['add', name, '--command', `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 900`])).exitCode).toBe(0);
    expect((await sandbox.mcp(['start', name])).exitCode).toBe(0);
    const [start, stop] = await Promise.all([sandbox.mcp(['start', name, '--recreate', '--json']), sandbox.mcp(['stop', name, '--json'])]);
    expect([start.exitCode, stop.exitCode]).toEqual([0, 0]);
    const state = (await docker(['inspect', '--format', '{{.State.Status}}', name])).stdout.trim();
    const started = (JSON.parse(start.stdout) as StartRecord[])[0];
    const stopped = (JSON.parse(stop.stdout) as StartRecord[])[0];
    // Whichever ran second decided the final state, and it says so.
    expect([started?.status, stopped?.status]).toContain(state === 'running' ? 'running' : 'stopped');
    expect(await containersOf(name)).toHaveLength(1);
  });
});

/** Many `mcp add` processes at once: the lock keeps every write and the file always parses. */
import { parse } from 'yaml';
import { Sandbox } from './harness.js';

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

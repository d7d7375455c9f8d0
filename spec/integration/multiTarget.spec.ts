/**
 * Commands that take what users give them: several names for get and remove, remove --all with
 * its confirmation, recent logs of every server, and a --host that names no host.
 */
import type { MCPServerData } from '../../lib/data/models.js';
import { BUSYBOX_IMAGE, Sandbox, waitFor } from './harness.js';

let sandbox: Sandbox;
let first: string;
let second: string;

beforeAll(async () => {
  sandbox = await Sandbox.create();
  first = sandbox.name('one');
  second = sandbox.name('two');
  for (const name of [first, second]) {
    const command = `docker run -d ${BUSYBOX_IMAGE} sh -c "echo hello from ${name}; sleep 300"`;
    expect((await sandbox.mcp(['add', name, '--command', command])).exitCode).toBe(0);
  }
  expect((await sandbox.mcp(['start', '--all'])).exitCode).toBe(0);
});

afterAll(async () => {
  await sandbox.dispose();
});

it('get a b shows both servers; --json gives an array (one name still gives one document)', async () => {
  const both = await sandbox.mcpJson<MCPServerData[]>(['get', first, second]);
  expect(both.map((data) => [data.config.name, data.status?.status])).toEqual([
    [first, 'running'],
    [second, 'running'],
  ]);
  const one = await sandbox.mcpJson<MCPServerData>(['get', first]);
  expect(one.config.name).toBe(first);
  const text = await sandbox.mcp(['get', first, second]);
  expect(text.exitCode).toBe(0);
  expect(text.stdout).toContain(first);
  expect(text.stdout).toContain(second);
  const unknown = await sandbox.mcp(['get', first, 'nosuch']);
  expect(unknown.exitCode).toBe(2);
  expect(unknown.stderr).toContain('"nosuch"');
});

it('log --all without -f prints the recent lines of every server, prefixed', async () => {
  const result = await waitFor('both servers to have logged', async () => {
    const run = await sandbox.mcp(['log', '--all', '--tail', '5']);
    return run.stdout.includes(`hello from ${second}`) && run.stdout.includes(`hello from ${first}`) ? run : undefined;
  });
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toContain(`localhost/${first} | hello from ${first}`);
  expect(result.stdout).toContain(`localhost/${second} | hello from ${second}`);
  const json = await sandbox.mcpJson<Array<{ name: string; host: string; ok: boolean; lines: Array<{ text: string; stream: string }> }>>(['log', first, second]);
  expect(json.map((entry) => [entry.name, entry.ok, entry.lines.map((line) => line.text)])).toEqual([
    [first, true, [`hello from ${first}`]],
    [second, true, [`hello from ${second}`]],
  ]);
});

it('list --host with a host nobody knows is exit 2 "no such host"; a known host with no servers is an empty list', async () => {
  const result = await sandbox.mcp(['list', '--host', 'nosuch']);
  expect(result.exitCode).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^error: no such host "nosuch"/);
  const start = await sandbox.mcp(['start', '--all', '--host', 'nosuch']);
  expect(start.exitCode).toBe(2);
  const local = await sandbox.mcpJson<unknown[]>(['list', '--host', 'localhost']);
  expect(local).toHaveLength(2);
});

it('remove --all without a terminal needs --yes and changes nothing without it', async () => {
  const before = await sandbox.readRegistry();
  const refused = await sandbox.mcp(['remove', '--all']);
  expect(refused.exitCode).toBe(2);
  expect(refused.stderr).toContain('remove --all unregisters 2 servers; add --yes to confirm');
  expect(await sandbox.readRegistry()).toBe(before);
});

it('remove a b unregisters both; remove --all --yes empties the registry', async () => {
  const removed = await sandbox.mcpJson<Array<{ name: string; ok: boolean; action: string }>>(['remove', first, second, '--purge']);
  expect(removed.map((record) => [record.name, record.ok, record.action])).toEqual([
    [first, true, 'removed'],
    [second, true, 'removed'],
  ]);
  expect(await sandbox.mcpJson<unknown[]>(['list'])).toEqual([]);
  for (const name of [first, second]) expect((await sandbox.mcp(['add', name, '--command', `docker run ${BUSYBOX_IMAGE} true`])).exitCode).toBe(0);
  const all = await sandbox.mcp(['remove', '--all', '--yes']);
  expect(all.exitCode).toBe(0);
  expect(all.stdout).toContain(`removed ${first}`);
  expect(all.stdout).toContain(`removed ${second}`);
  expect(await sandbox.mcpJson<unknown[]>(['list'])).toEqual([]);
});

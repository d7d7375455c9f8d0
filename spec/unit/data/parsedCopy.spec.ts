/**
 * The parsed copy of a registry kept between processes: used only for exactly the version of the
 * file it was made from, never for a file changed in the last two seconds, never when someone
 * else could have written it, and validated again on every use.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileVersion, loadParsedCopy, storeParsedCopy } from '../../../lib/data/parsedCopy.js';
import { RegistryStore } from '../../../lib/data/registryStore.js';

let dir: string;
let registry: string;
let copy: string;

const TEXT = (command: string) => `version: 1\nservers:\n  web:\n    config:\n      name: web\n      docker_command: ${command}\n      host: localhost\n`;

/** Changed an hour ago: settled. */
async function settle(file: string): Promise<void> {
  const past = new Date(Date.now() - 3_600_000);
  await fs.utimes(file, past, past);
}

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'msm-copy-'));
  registry = path.join(dir, 'registry.yaml');
  copy = path.join(dir, 'cache', 'parsed.json');
  await fs.writeFile(registry, TEXT('docker run busybox sleep 10'));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function store(): RegistryStore {
  return new RegistryStore(registry, { parsedCopy: { file: copy, tag: 't1' } });
}

async function commandRead(): Promise<string | undefined> {
  return (await store().read()).servers.web?.config.docker_command;
}

it('is written for a settled file, private to its owner, and read back for the same version', async () => {
  await settle(registry);
  expect(await commandRead()).toBe('docker run busybox sleep 10');
  expect((await fs.stat(copy)).mode & 0o777).toBe(0o600);
  expect((await fs.stat(path.dirname(copy))).mode & 0o777).toBe(0o700);
  const version = await fileVersion(registry);
  expect(version).toBeDefined();
  expect(await loadParsedCopy(copy, registry, version!, 't1')).toMatchObject({ servers: { web: { config: { name: "web" } } } });
  // Another tag (another mcp version) or another file does not take it.
  expect(await loadParsedCopy(copy, registry, version!, 't2')).toBeUndefined();
  expect(await loadParsedCopy(copy, path.join(dir, 'other.yaml'), version!, 't1')).toBeUndefined();
});

it('is not written for a file changed in the last two seconds', async () => {
  expect(await commandRead()).toBe('docker run busybox sleep 10');
  await expect(fs.access(copy)).rejects.toThrow();
});

it('a change of the same size with the modification time put back is still seen (inode, ctime)', async () => {
  await settle(registry);
  await commandRead();
  const before = await fs.stat(registry);
  // In place, same length, then the old mtime restored, as some tools do.
  await fs.writeFile(registry, TEXT('docker run busybox sleep 99'));
  await fs.utimes(registry, before.atime, before.mtime);
  expect((await fs.stat(registry)).size).toBe(before.size);
  expect(await commandRead()).toBe('docker run busybox sleep 99');
});

it('a copy someone else could have written is not used', async () => {
  await settle(registry);
  await commandRead();
  const saved = JSON.parse(await fs.readFile(copy, 'utf8')) as { data: { servers: { web: { config: { docker_command: string } } } } };
  saved.data.servers.web.config.docker_command = 'docker run evil';
  await fs.writeFile(copy, JSON.stringify(saved));
  await fs.chmod(copy, 0o666);
  expect(await commandRead()).toBe('docker run busybox sleep 10');
});

it('a copy that no longer passes the schema is not used', async () => {
  await settle(registry);
  await commandRead();
  const saved = JSON.parse(await fs.readFile(copy, 'utf8')) as { data: { servers: { web: { config: Record<string, unknown> } } } };
  saved.data.servers.web.config.docker_command = 42;
  await fs.writeFile(copy, JSON.stringify(saved), { mode: 0o600 });
  expect(await commandRead()).toBe('docker run busybox sleep 10');
});

it('content JSON cannot carry unchanged is never stored', async () => {
  const version = { key: 'k', mtimeMs: 0 };
  await storeParsedCopy(copy, registry, version, 't1', { limit: Number.POSITIVE_INFINITY });
  await expect(fs.access(copy)).rejects.toThrow();
  await storeParsedCopy(copy, registry, version, 't1', { limit: 3 });
  expect(await loadParsedCopy(copy, registry, version, 't1')).toEqual({ limit: 3 });
});

it('an unwritable cache directory is no error', async () => {
  await settle(registry);
  await fs.writeFile(path.join(dir, 'cache'), 'a file where the directory should be');
  expect(await commandRead()).toBe('docker run busybox sleep 10');
});

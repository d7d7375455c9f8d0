import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { FileError, NotFoundError, ValidationError } from '../../../lib/errors.js';
import type { MCPServerConfig } from '../../../lib/data/models.js';
import { RegistryStore, requireServer } from '../../../lib/data/registryStore.js';
import { rejection } from '../../helpers/errors.js';

const execFileAsync = promisify(execFile);

let dir: string;
let file: string;
let store: RegistryStore;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'msm-registry-'));
  file = path.join(dir, 'registry.yaml');
  store = new RegistryStore(file);
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function config(name: string, extra: Partial<MCPServerConfig> = {}): MCPServerConfig {
  return {
    name,
    docker_command: `docker run -e TOKEN=\${TOKEN} ghcr.io/acme/${name}:1`,
    host: 'localhost',
    created_at: '2024-05-01T12:00:00.000Z',
    updated_at: '2024-05-01T12:00:00.000Z',
    ...extra,
  };
}

async function exists(target: string): Promise<boolean> {
  return fs.access(target).then(
    () => true,
    () => false,
  );
}


const VALID_HEADER = 'version: 1\nservers:\n';
const s1Yaml = (configLines: string): string =>
  `${VALID_HEADER}  s1:\n    config:\n      name: s1\n      docker_command: docker run img\n      host: localhost\n${configLines}`;

describe('RegistryStore', () => {
  describe('reading', () => {
    it('a missing file reads as an empty registry and is not created', async () => {
      expect(await store.read()).toEqual({ version: 1, servers: {} });
      expect(await exists(file)).toBe(false);
    });

    it.each(['', '\n', '   \n\n  ', '\t\n'])('the file %j reads as an empty registry', async (text) => {
      await fs.writeFile(file, text);
      expect(await store.read()).toEqual({ version: 1, servers: {} });
    });

    it('reads a valid file as written', async () => {
      await fs.writeFile(file, s1Yaml('      port: 8080\n    status:\n      status: running\n'));
      expect(await store.read()).toEqual({
        version: 1,
        servers: {
          s1: {
            config: { name: 's1', docker_command: 'docker run img', host: 'localhost', port: 8080 },
            status: { status: 'running' },
          },
        },
      });
    });
  });

  describe('add / get / remove', () => {
    it('add stores the config (no observed state) and returns the entry', async () => {
      const entry = await store.add(config('s1'));
      expect(entry).toEqual({ config: config('s1') });
      const registry = await store.read();
      expect(registry.version).toBe(1);
      expect(registry.servers).toEqual({ s1: { config: config('s1') } });
      expect(registry.last_updated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    });

    it('creates missing parent directories', async () => {
      const nested = new RegistryStore(path.join(dir, 'a', 'b', 'registry.yaml'));
      await nested.add(config('s1'));
      expect(Object.keys((await nested.read()).servers)).toEqual(['s1']);
    });

    it('writes the file readable by its owner only, and leaves no lock behind', async () => {
      await store.add(config('s1'));
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
      expect(await exists(`${file}.lock`)).toBe(false);
      expect((await fs.readdir(dir)).sort()).toEqual(['registry.yaml']);
    });

    it('stores the docker command with its references unexpanded', async () => {
      await store.add(config('s1'));
      expect(await fs.readFile(file, 'utf8')).toContain('docker run -e TOKEN=${TOKEN} ghcr.io/acme/s1:1');
    });

    it('get returns a stored entry', async () => {
      await store.add(config('s1'));
      await store.add(config('s2', { port: 9000 }));
      expect(await store.get('s2')).toEqual({ config: config('s2', { port: 9000 }) });
    });

    it('get of an unknown name is a NotFoundError', async () => {
      await store.add(config('s1'));
      const error = await rejection(store.get('nope'));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.message).toBe('no server named "nope" is registered (see `mcp list`)');
      expect(error.code).toBe('NOT_FOUND');
      expect(error.exitCode).toBe(2);
    });

    it('get does not find inherited object properties', async () => {
      await store.add(config('s1'));
      await expect(store.get('constructor')).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.get('toString')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('remove deletes the entry, keeps the others and returns what it removed', async () => {
      await store.add(config('s1'));
      await store.add(config('s2'));
      expect(await store.remove('s1')).toEqual({ config: config('s1') });
      expect((await store.read()).servers).toEqual({ s2: { config: config('s2') } });
      await expect(store.get('s1')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('remove of an unknown name fails and writes nothing', async () => {
      await store.add(config('s1'));
      const before = await fs.readFile(file);
      const error = await rejection(store.remove('ghost'));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.message).toBe('no server named "ghost" is registered (see `mcp list`)');
      expect(await fs.readFile(file)).toEqual(before);
      expect(await exists(`${file}.bak`)).toBe(false);
    });

    it('removeAll deletes several entries in one write, or none when one is not registered', async () => {
      for (const name of ['s1', 's2', 's3']) await store.add(config(name));
      const before = await fs.readFile(file);
      const error = await rejection(store.removeAll(['s1', 'ghost']));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(await fs.readFile(file)).toEqual(before);
      expect(await store.removeAll(['s1', 's3'])).toEqual([{ config: config('s1') }, { config: config('s3') }]);
      expect((await store.read()).servers).toEqual({ s2: { config: config('s2') } });
      // One write: the backup is the registry as it was before both removals.
      expect(await fs.readFile(`${file}.bak`)).toEqual(before);
    });

    it('a duplicate add is refused and leaves the file and its backup byte-identical', async () => {
      await store.add(config('s1'));
      await store.add(config('s2'));
      const before = await fs.readFile(file);
      const backupBefore = await fs.readFile(`${file}.bak`);
      const error = await rejection(store.add(config('s1', { port: 1234 })));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toBe('server "s1" already exists (remove it first, or pick another name)');
      expect(error.code).toBe('ALREADY_EXISTS');
      expect(error.exitCode).toBe(2);
      expect(await fs.readFile(file)).toEqual(before);
      expect(await fs.readFile(`${file}.bak`)).toEqual(backupBefore);
      expect((await store.get('s1')).config.port).toBeUndefined();
    });

    // registry.servers is a plain object, so `registry.servers[name]` sees Object.prototype: the
    // valid server names "constructor", "toString", "valueOf"... are reported as already taken.
    it('adds a server whose name is also an Object.prototype property', async () => {
      await store.add(config('constructor'));
      expect(Object.keys((await store.read()).servers)).toEqual(['constructor']);
    });

    it('serialises concurrent adds under the lock: every one lands', async () => {
      const names = Array.from({ length: 8 }, (_, i) => `srv-${i}`);
      const stores = names.map(() => new RegistryStore(file));
      await Promise.all(names.map((name, i) => stores[i]?.add(config(name))));
      expect(Object.keys((await store.read()).servers).sort()).toEqual(names);
    });
  });

  describe('addAll', () => {
    it('registers every server in one write', async () => {
      await store.add(config('s0'));
      const added = await store.addAll([config('s1'), config('s2')]);
      expect(added.map((entry) => entry.config.name)).toEqual(['s1', 's2']);
      expect(Object.keys((await store.read()).servers)).toEqual(['s0', 's1', 's2']);
    });

    it('registers none when one name is taken, leaving the file byte-identical', async () => {
      await store.add(config('s2'));
      const before = await fs.readFile(file);
      const error = await rejection(store.addAll([config('s1'), config('s2', { port: 99 })]));
      expect(error.message).toBe('server "s2" already exists (remove it first, or pick another name)');
      expect(await fs.readFile(file)).toEqual(before);
    });

    it('with replace swaps the config, keeping the comments around the entry', async () => {
      await store.add(config('s1'));
      const text = await fs.readFile(file, 'utf8');
      await fs.writeFile(file, text.replace('  s1:\n', '  # the first one\n  s1:\n'));
      await store.addAll([config('s1', { port: 1234 }), config('s2')], { replace: true });
      expect((await store.get('s1')).config.port).toBe(1234);
      expect(await fs.readFile(file, 'utf8')).toContain('  # the first one\n  s1:\n');
      expect(Object.keys((await store.read()).servers)).toEqual(['s1', 's2']);
    });
  });

  describe('backup', () => {
    it('the first write makes no backup', async () => {
      await store.add(config('s1'));
      expect(await exists(`${file}.bak`)).toBe(false);
    });

    it('.bak holds the previous version byte for byte', async () => {
      await store.add(config('s1'));
      const first = await fs.readFile(file);
      await store.add(config('s2'));
      const second = await fs.readFile(file);
      expect(await fs.readFile(`${file}.bak`)).toEqual(first);
      await store.remove('s1');
      expect(await fs.readFile(`${file}.bak`)).toEqual(second);
      expect(Object.keys((await store.read()).servers)).toEqual(['s2']);
    });
  });

  describe('a corrupt file', () => {
    const corrupt = 'version: 1\nservers:\n\ts1: {}\n';

    it('gives a FileError naming the file, line and column', async () => {
      await fs.writeFile(file, corrupt);
      const error = await rejection(store.read());
      expect(error).toBeInstanceOf(FileError);
      expect(error.code).toBe('FILE_CORRUPT');
      expect(error.exitCode).toBe(1);
      expect(error.message.startsWith(`${file}:3:1: not valid YAML: `)).toBe(true);
      expect(error.message).toContain('Tabs are not allowed as indentation');
      expect(error.message).not.toContain('\n');
    });

    it.each([
      ['an unclosed flow sequence', 'version: 1\nservers:\n  s1: [unclosed\n', 4],
      ['a duplicate key', 'version: 1\nservers: {}\nversion: 1\n', 3],
      ['a nested compact mapping', 'a: b: c\n', 1],
    ])('%s: names line %d', async (_what, text, line) => {
      await fs.writeFile(file, text);
      const error = await rejection(store.read());
      expect(error).toBeInstanceOf(FileError);
      expect(error.code).toBe('FILE_CORRUPT');
      expect(error.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}:\\d+: not valid YAML: `));
    });

    it('is not overwritten by a later add or remove, and no backup is made', async () => {
      await fs.writeFile(file, corrupt);
      const addError = await rejection(store.add(config('s1')));
      expect(addError).toBeInstanceOf(FileError);
      expect(addError.code).toBe('FILE_CORRUPT');
      const removeError = await rejection(store.remove('s1'));
      expect(removeError.code).toBe('FILE_CORRUPT');
      expect(await fs.readFile(file, 'utf8')).toBe(corrupt);
      expect(await exists(`${file}.bak`)).toBe(false);
      expect(await exists(`${file}.lock`)).toBe(false);
    });
  });

  describe('a schema-invalid file', () => {
    it.each([
      ['port: 70000', s1Yaml('      port: 70000\n'), 'servers.s1.config.port must be <= 65535'],
      ['port: 0', s1Yaml('      port: 0\n'), 'servers.s1.config.port must be >= 1'],
      ['an unknown field', s1Yaml('      colour: blue\n'), 'servers.s1.config has an unknown field "colour"'],
      ['a bad restart policy', s1Yaml('      restart_policy: sometimes\n'), 'servers.s1.config.restart_policy must match pattern "^(no|always|unless-stopped|on-failure(:[0-9]+)?)$"'],
      ['a bad status', s1Yaml('    status:\n      status: sleeping\n'), 'servers.s1.status.status must be one of running, stopped, error, unknown, starting, stopping'],
      ['a missing host', `${VALID_HEADER}  s1:\n    config:\n      name: s1\n      docker_command: d\n`, "servers.s1.config must have required property 'host'"],
      ['a wrong version', 'version: 2\nservers: {}\n', 'version must be equal to constant'],
      ['servers not a map', 'version: 1\nservers: 5\n', 'servers must be object'],
      ['a list at the top', '- a\n- b\n', 'must be object'],
    ])('%s: FileError naming the file and the path', async (_what, text, description) => {
      await fs.writeFile(file, text);
      const error = await rejection(store.read());
      expect(error).toBeInstanceOf(FileError);
      expect(error.code).toBe('FILE_INVALID');
      expect(error.message).toBe(`${file}: ${description}`);
    });

    it('is not overwritten by a later add', async () => {
      const text = s1Yaml('      port: 70000\n');
      await fs.writeFile(file, text);
      const error = await rejection(store.add(config('s2')));
      expect(error.message).toBe(`${file}: servers.s1.config.port must be <= 65535`);
      expect(await fs.readFile(file, 'utf8')).toBe(text);
      expect(await exists(`${file}.bak`)).toBe(false);
    });

    // ajv reports the inner `pattern` error first (keyword 'pattern', params without the name), so
    // describeSchemaError's propertyNames branch never runs: the message does not say which key.
    it('names the invalid server key', async () => {
      await fs.writeFile(file, `${VALID_HEADER}  "bad name":\n    config:\n      name: x\n      docker_command: d\n      host: h\n`);
      const error = await rejection(store.read());
      expect(error.message).toBe(`${file}: servers has an invalid name "bad name"`);
    });
  });

  describe('the registry id', () => {
    it('the first add stores a generated id right after version; later writes keep it', async () => {
      await store.add(config('s1'));
      const { id } = await store.read();
      expect(id).toMatch(/^[0-9a-f]{16}$/);
      expect((await fs.readFile(file, 'utf8')).split('\n').slice(0, 2)).toEqual(['version: 1', `id: ${id}`]);
      await store.add(config('s2'));
      await store.remove('s1');
      expect((await store.read()).id).toBe(id);
      expect(await store.ensureId()).toEqual({ id, stored: true });
    });

    it('ensureId stores one in a registry that has none, keeping its comments', async () => {
      const original = '# team registry\nversion: 1\nservers:\n  # the first\n  s1:\n    config:\n      name: s1\n      docker_command: docker run img\n      host: localhost\n';
      await fs.writeFile(file, original);
      const { id, stored } = await store.ensureId();
      expect(stored).toBe(true);
      expect(await fs.readFile(file, 'utf8')).toBe(original.replace('version: 1\n', `version: 1\nid: ${id}\n`));
      expect((await store.ensureId()).id).toBe(id);
    });

    // An immutable file cannot be replaced, even by root (rename fails with EPERM).
    it('a read-only registry without an id gets a stable one from its path, not stored', async () => {
      const original = 'version: 1\nservers: {}\n';
      await fs.writeFile(file, original);
      await execFileAsync('chattr', ['+i', file]);
      try {
        const first = await store.ensureId();
        expect(first.stored).toBe(false);
        expect(first.id).toMatch(/^p[0-9a-f]{15}$/);
        expect((await store.ensureId()).id).toBe(first.id);
        expect(await fs.readFile(file, 'utf8')).toBe(original);
      } finally {
        await execFileAsync('chattr', ['-i', file]);
      }
    });
  });

  describe('a key that is not its config.name', () => {
    it('is refused naming the file and both names', async () => {
      await fs.writeFile(file, `${VALID_HEADER}  s1:\n    config:\n      name: other\n      docker_command: d\n      host: localhost\n`);
      const error = await rejection(store.read());
      expect(error).toBeInstanceOf(FileError);
      expect(error.code).toBe('FILE_INVALID');
      expect(error.message).toBe(`${file}: servers.s1.config.name is "other"; it must equal the key "s1"`);
    });
  });
});

describe('requireServer', () => {
  it('returns the entry or throws NotFoundError', () => {
    const entry = { config: config('a') };
    expect(requireServer({ version: 1, servers: { a: entry } }, 'a')).toBe(entry);
    expect(() => requireServer({ version: 1, servers: {} }, 'a')).toThrow(NotFoundError);
    expect(() => requireServer({ version: 1, servers: {} }, 'hasOwnProperty')).toThrow('no server named "hasOwnProperty" is registered');
  });
});

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FileError, ValidationError } from '../../../lib/errors.js';
import type { HostsFile } from '../../../lib/data/models.js';
import { validateHostsFile } from '../../../lib/data/validate.js';
import { RegistryStore } from '../../../lib/data/registryStore.js';
import { YamlFile } from '../../../lib/data/yamlFile.js';
import { rejection } from '../../helpers/errors.js';

let dir: string;
let file: string;
let yaml: YamlFile<HostsFile>;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'msm-yaml-'));
  file = path.join(dir, 'hosts.yaml');
  yaml = new YamlFile(file, validateHostsFile, () => ({ hosts: {} }));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});


async function exists(target: string): Promise<boolean> {
  return fs.access(target).then(
    () => true,
    () => false,
  );
}

describe('YamlFile', () => {
  it('reads a missing file as the empty document', async () => {
    expect(await yaml.read()).toEqual({ hosts: {} });
  });

  it('returns a fresh empty document each time', async () => {
    const first = await yaml.read();
    first.hosts.x = { address: 'x' };
    expect(await yaml.read()).toEqual({ hosts: {} });
  });

  it('parse: blank text is the empty document; YAML is parsed and validated', () => {
    expect(yaml.parse('')).toEqual({ hosts: {} });
    expect(yaml.parse('  \n')).toEqual({ hosts: {} });
    expect(yaml.parse('hosts:\n  web1:\n    address: 10.0.0.5\n    port: 2222\n')).toEqual({
      hosts: { web1: { address: '10.0.0.5', port: 2222 } },
    });
  });

  it('update writes the edited document and returns what the change returned', async () => {
    const result = await yaml.update((doc) => {
      doc.setIn(['hosts', 'web1'], { address: 'web1.example.com', user: 'ops' });
      return 'done';
    });
    expect(result).toBe('done');
    expect(await yaml.read()).toEqual({ hosts: { web1: { address: 'web1.example.com', user: 'ops' } } });
    expect(await fs.readFile(file, 'utf8')).toBe('hosts:\n  web1:\n    address: web1.example.com\n    user: ops\n');
  });

  it('update accepts an async change and sees the current content', async () => {
    await fs.writeFile(file, 'hosts:\n  a:\n    address: a.example\n');
    const seen: HostsFile[] = [];
    await yaml.update(async (doc, current) => {
      seen.push(current);
      await new Promise((resolve) => setTimeout(resolve, 1));
      doc.setIn(['hosts', 'b'], { address: 'b.example' });
    });
    expect(seen).toEqual([{ hosts: { a: { address: 'a.example' } } }]);
    expect(Object.keys((await yaml.read()).hosts)).toEqual(['a', 'b']);
  });

  it('a change that throws writes nothing and releases the lock', async () => {
    await fs.writeFile(file, 'hosts: {}\n');
    const error = await rejection(
      yaml.update(() => {
        throw new ValidationError('no thanks');
      }),
    );
    expect(error.message).toBe('no thanks');
    expect(await fs.readFile(file, 'utf8')).toBe('hosts: {}\n');
    expect(await exists(`${file}.bak`)).toBe(false);
    expect(await exists(`${file}.lock`)).toBe(false);
    await yaml.update(() => undefined);
  });

  it('refuses to write an invalid document, naming the path', async () => {
    await fs.writeFile(file, 'hosts: {}\n');
    const error = await rejection(yaml.update((doc) => doc.setIn(['hosts', 'h'], { address: 'x', port: 70000 })));
    expect(error).toBeInstanceOf(FileError);
    expect(error.code).toBe('FILE_INVALID');
    expect(error.message).toBe(`${file}: refusing to write: hosts.h.port must be <= 65535`);
    expect(await fs.readFile(file, 'utf8')).toBe('hosts: {}\n');
  });

  it('refuses to write a document its check rejects, and leaves the file as it was', async () => {
    const checkedYaml = new YamlFile<HostsFile>(file, validateHostsFile, () => ({ hosts: {} }), {
      check: (data) => (Object.keys(data.hosts).includes('banned') ? 'hosts.banned is not allowed' : undefined),
    });
    await fs.writeFile(file, 'hosts: {}\n');
    const error = await rejection(checkedYaml.update((doc) => doc.setIn(['hosts', 'banned'], { address: 'x' })));
    expect(error).toBeInstanceOf(FileError);
    expect(error.code).toBe('FILE_INVALID');
    expect(error.message).toBe(`${file}: refusing to write: hosts.banned is not allowed`);
    expect(await fs.readFile(file, 'utf8')).toBe('hosts: {}\n');
    expect(await checkedYaml.read()).toEqual({ hosts: {} });
  });

  it('keeps the previous version as .bak, byte for byte, comments included', async () => {
    const original = '# my hosts\nhosts:\n  a:\n    address: a.example # primary\n';
    await fs.writeFile(file, original);
    await yaml.update((doc) => doc.setIn(['hosts', 'b'], { address: 'b.example' }));
    expect(await fs.readFile(`${file}.bak`, 'utf8')).toBe(original);
  });

  it('an edit keeps the comments, key order and formatting of everything it does not touch', async () => {
    const original = '# my hosts\nhosts:\n  # the old one\n  z:\n    port: 2222 # not 22\n    address: z.example\n\n  a:\n    address: a.example # primary\n';
    await fs.writeFile(file, original);
    await yaml.update((doc) => doc.setIn(['hosts', 'b'], { address: 'b.example' }));
    expect(await fs.readFile(file, 'utf8')).toBe(`${original}  b:\n    address: b.example\n`);
    await yaml.update((doc) => doc.deleteIn(['hosts', 'b']));
    expect(await fs.readFile(file, 'utf8')).toBe(original);
  });

  it('an edit into an empty flow map `{}` writes block style', async () => {
    await fs.writeFile(file, 'hosts: {}\n');
    await yaml.update((doc) => doc.setIn(['hosts', 'a'], { address: 'a.example' }));
    expect(await fs.readFile(file, 'utf8')).toBe('hosts:\n  a:\n    address: a.example\n');
  });

  it('keeps the file mode of an existing file; a new one is readable by its owner only', async () => {
    await fs.writeFile(file, 'hosts: {}\n');
    await fs.chmod(file, 0o644);
    await yaml.update((doc) => doc.setIn(['hosts', 'a'], { address: 'a.example' }));
    expect((await fs.stat(file)).mode & 0o777).toBe(0o644);
    const fresh = new YamlFile<HostsFile>(path.join(dir, 'new.yaml'), validateHostsFile, () => ({ hosts: {} }));
    await fresh.update((doc) => doc.setIn(['hosts', 'a'], { address: 'a.example' }));
    expect((await fs.stat(path.join(dir, 'new.yaml'))).mode & 0o777).toBe(0o600);
  });

  it('an alias bomb is refused with an error naming the file', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    await fs.writeFile(file, `${lines.join('\n')}\nhosts: {}\n`);
    const error = await rejection(yaml.read());
    expect(error).toBeInstanceOf(FileError);
    expect(error.code).toBe('FILE_CORRUPT');
    expect(error.message.startsWith(`${file}: not valid YAML: `)).toBe(true);
  });

  it('a file that cannot be read is a FILE_UNREADABLE FileError', async () => {
    await fs.mkdir(file);
    const error = await rejection(yaml.read());
    expect(error).toBeInstanceOf(FileError);
    expect(error.code).toBe('FILE_UNREADABLE');
    expect(error.message.startsWith(`${file}: cannot read: `)).toBe(true);
  });

  it('a document with a bad host alias is invalid', () => {
    expect(() => yaml.parse('hosts:\n  -bad:\n    address: x\n')).toThrow(FileError);
  });
});

describe('top-level keys left empty', () => {
  it('take their value from the empty document', async () => {
    const { RegistryStore } = await import('../../../lib/data/registryStore.js');
    const { HostsStore } = await import('../../../lib/data/hostsStore.js');
    const os = await import('node:os');
    const fsp = await import('node:fs/promises');
    const pathMod = await import('node:path');
    const tmp = await fsp.mkdtemp(pathMod.join(os.tmpdir(), 'msm-empty-keys-'));
    try {
      await fsp.writeFile(pathMod.join(tmp, 'registry.yaml'), 'version: 1\nservers:\n');
      await fsp.writeFile(pathMod.join(tmp, 'hosts.yaml'), '# inventory\nhosts:\n');
      expect(await new RegistryStore(pathMod.join(tmp, 'registry.yaml')).read()).toEqual({ version: 1, servers: {} });
      expect(await new HostsStore(pathMod.join(tmp, 'hosts.yaml')).read()).toEqual({ hosts: {} });
      await fsp.writeFile(pathMod.join(tmp, 'registry.yaml'), 'servers: []\n');
      await expect(new RegistryStore(pathMod.join(tmp, 'registry.yaml')).read()).rejects.toThrow(/servers must be object/);
    } finally {
      await fsp.rm(tmp, { recursive: true, force: true });
    }
  });
});

describe('YamlFile with cacheReads', () => {
  it('parses again only when the file changed, and hands each reader its own copy', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'msm-yamlcache-'));
    try {
      const file = path.join(dir, 'registry.yaml');
      const store = new RegistryStore(file, { cacheReads: true });
      await fs.writeFile(file, 'version: 1\nservers: {}\n');
      const first = await store.read();
      (first.servers as Record<string, unknown>).intruder = {};
      expect((await store.read()).servers).toEqual({});
      // Another process writes (new inode through the atomic rename): seen at once.
      await new RegistryStore(file).add({ name: 'added', docker_command: 'docker run img', host: 'localhost' });
      expect(Object.keys((await store.read()).servers)).toEqual(['added']);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ClientImporter } from '../../../../lib/core/clients/clientImporter.js';
import { addDotenvValues } from '../../../../lib/data/dotenvFile.js';
import { RegistryStore } from '../../../../lib/data/registryStore.js';
import { rejection } from '../../../helpers/errors.js';

const CONFIG = JSON.stringify({
  mcpServers: {
    github: { command: 'docker', args: ['run', '-i', '--rm', '-e', 'GITHUB_TOKEN', 'ghcr.io/github/github-mcp-server'], env: { GITHUB_TOKEN: 'ghp_applySecret' } },
    fetch: { command: 'docker', args: ['run', '-i', '--rm', 'mcp/fetch'] },
  },
});

let dir: string;
let registry: RegistryStore;
let dotenv: string;
let importer: ClientImporter;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'msm-importer-'));
  registry = new RegistryStore(path.join(dir, 'registry.yaml'));
  dotenv = path.join(dir, '.env');
  importer = new ClientImporter(registry, dotenv, {});
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('ClientImporter', () => {
  it('writes the servers to the registry and the secret to .env', async () => {
    const plan = await importer.plan(CONFIG, { file: 'c.json', client: 'auto' });
    await importer.apply(plan);
    expect(Object.keys((await registry.read()).servers)).toEqual(['github', 'fetch']);
    expect(await fs.readFile(dotenv, 'utf8')).toBe("GITHUB_TOKEN='ghp_applySecret'\n");
    expect(await fs.readFile(registry.file, 'utf8')).not.toContain('ghp_applySecret');
  });

  it('plans over what is registered and in .env: taken names skipped, equal values reused', async () => {
    await importer.apply(await importer.plan(CONFIG, { file: 'c.json', client: 'auto' }));
    const again = await importer.plan(CONFIG, { file: 'c.json', client: 'auto' });
    expect(again.skipped.map((skip) => skip.code)).toEqual(['EXISTS', 'EXISTS']);
    const replaced = await importer.plan(CONFIG, { file: 'c.json', client: 'auto', replace: true });
    expect(replaced.dotenv).toEqual({ GITHUB_TOKEN: 'ghp_applySecret' });
  });

  it('puts .env back when the registry write fails (a name taken meanwhile): all or nothing', async () => {
    await fs.writeFile(dotenv, '# mine\nOTHER=1\n', { mode: 0o600 });
    const plan = await importer.plan(CONFIG, { file: 'c.json', client: 'auto' });
    await registry.add({ name: 'fetch', docker_command: 'docker run mcp/fetch:other', host: 'localhost' });
    const registryBefore = await fs.readFile(registry.file, 'utf8');
    const error = await rejection(importer.apply(plan));
    expect(error.message).toBe('server "fetch" already exists (remove it first, or pick another name)');
    expect(await fs.readFile(dotenv, 'utf8')).toBe('# mine\nOTHER=1\n');
    expect(await fs.readFile(registry.file, 'utf8')).toBe(registryBefore);
  });

  it('removes a .env it created when the registry write fails', async () => {
    const plan = await importer.plan(CONFIG, { file: 'c.json', client: 'auto' });
    await registry.add({ name: 'github', docker_command: 'docker run img', host: 'localhost' });
    await rejection(importer.apply(plan));
    await expect(fs.access(dotenv)).rejects.toThrow();
  });

  it('the rollback keeps .env lines another process added meanwhile', async () => {
    await fs.writeFile(dotenv, '# mine\nOTHER=1\n', { mode: 0o600 });
    const plan = await importer.plan(CONFIG, { file: 'c.json', client: 'auto' });
    await registry.add({ name: 'fetch', docker_command: 'docker run mcp/fetch:other', host: 'localhost' });
    // Another import adds its own variable after this one added GITHUB_TOKEN, before the registry write fails.
    const racing = new (class extends RegistryStore {
      override async addAll(...args: Parameters<RegistryStore['addAll']>): ReturnType<RegistryStore['addAll']> {
        await addDotenvValues(dotenv, { LATER: 'l' });
        return super.addAll(...args);
      }
    })(registry.file);
    await rejection(new ClientImporter(racing, dotenv, {}).apply(plan));
    expect(await fs.readFile(dotenv, 'utf8')).toBe("# mine\nOTHER=1\nLATER='l'\n");
  });
});

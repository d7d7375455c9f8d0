/**
 * `mcp import` and `mcp export` through the built CLI: every README fixture imported into its own
 * registry and planned with `mcp start --dry-run`; bad input changing nothing on disk; a Claude
 * Desktop config imported and wired back to msm with comments kept; the initialize gate against a
 * real MCP server on the real engine.
 */
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'jsonc-parser';
import { docker, freePort, ROOT, Sandbox, type Run } from './harness.js';
import { privateTestImage } from './mcpHarness.js';

const FIXTURES = path.join(ROOT, 'spec/fixtures/clients');

interface ImportDoc {
  registered: { name: string; docker_command: string; variables: { name: string; missing: boolean }[]; dotenv: string[] }[];
  skipped: { name: string; code: string }[];
  dotenv: { file: string; added: string[] };
}

function fixtureFiles(): string[] {
  const files: string[] = [];
  for (const dir of fsSync.readdirSync(FIXTURES, { withFileTypes: true })) {
    if (!dir.isDirectory() || dir.name === 'bad') continue;
    for (const file of fsSync.readdirSync(path.join(FIXTURES, dir.name))) files.push(`${dir.name}/${file}`);
  }
  return files.sort();
}

/** Literal env values of a fixture: the secrets that must never be printed or land in the registry. */
function literalEnvValues(text: string): string[] {
  const doc = parse(text, [], { allowTrailingComma: true }) as Record<string, unknown>;
  const servers = (doc.mcpServers ?? doc.servers ?? (doc.mcp as Record<string, unknown> | undefined)?.servers ?? {}) as Record<string, { env?: Record<string, string>; args?: string[] }>;
  return Object.values(servers).flatMap((entry) =>
    Object.values(entry.env ?? {}).filter((value) => value.length > 4 && !value.includes('${') && !value.startsWith('$') && !(entry.args ?? []).some((arg) => arg.includes(value))),
  );
}

const ajv = new Ajv({ allErrors: true, strict: true });

/** The --json document on stdout, checked against its published schema (docs/schemas/<name>.json). */
function contract<T>(name: 'import' | 'export', run: Run): T {
  const validate = ajv.getSchema(name) ?? ajv.addSchema(JSON.parse(fsSync.readFileSync(path.join(ROOT, 'docs/schemas', `${name}.json`), 'utf8')) as object, name).getSchema(name);
  const document = JSON.parse(run.stdout) as unknown;
  if (!validate?.(document)) throw new Error(`mcp ${name} --json does not match docs/schemas/${name}.json: ${ajv.errorsText(validate?.errors)}\n${run.stdout}`);
  return document as T;
}

function output(run: Run): string {
  return run.stdout + run.stderr;
}

async function snapshot(files: string[]): Promise<(string | undefined)[]> {
  return Promise.all(files.map((file) => fs.readFile(file, 'utf8').catch(() => undefined)));
}

describe('mcp import of the README fixtures', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await Sandbox.create();
  });
  afterAll(async () => {
    await sandbox.dispose();
  });

  it('has at least 20 of them', () => {
    expect(fixtureFiles().length).toBeGreaterThanOrEqual(20);
  });

  it.each(fixtureFiles().map((file, index) => [file, index] as const))('%s: imported, secrets in .env only, mcp start --dry-run works once variables are set', async (file, index) => {
    const dir = path.join(sandbox.dir, `f${index}`);
    await fs.mkdir(dir);
    const env = { MSM_REGISTRY: path.join(dir, 'registry.yaml') };
    const text = await fs.readFile(path.join(FIXTURES, file), 'utf8');
    const secrets = literalEnvValues(text);

    if (secrets.length > 0) {
      const preview = await sandbox.mcp(['import', path.join(FIXTURES, file), '--dry-run', '--verbose'], env);
      expect(preview.exitCode).toBe(0);
      expect(preview.stdout).toContain('=********');
      for (const secret of secrets) expect(output(preview)).not.toContain(secret);
      expect(await fs.readdir(dir)).toEqual([]);
    }

    const imported = await sandbox.mcp(['import', path.join(FIXTURES, file), '--json'], env);
    expect([imported.exitCode, imported.stderr]).toEqual([0, '']);
    const doc = contract<ImportDoc>('import', imported);
    for (const secret of secrets) expect(output(imported)).not.toContain(secret);
    if (doc.registered.length > 0) {
      const registry = await fs.readFile(env.MSM_REGISTRY, 'utf8');
      for (const secret of secrets) expect(registry).not.toContain(secret);
    } else {
      expect(doc.skipped.length).toBeGreaterThan(0);
    }
    if (doc.dotenv.added.length > 0) expect((await fs.stat(doc.dotenv.file)).mode & 0o777).toBe(0o600);
    for (const server of doc.registered) {
      const missing = Object.fromEntries(server.variables.filter((v) => v.missing).map((v) => [v.name, `set-${v.name}`]));
      const plan = await sandbox.mcp(['start', server.name, '--dry-run', '--json'], { ...env, ...missing });
      expect([server.name, plan.exitCode, plan.stderr]).toEqual([server.name, 0, '']);
      const [planned] = JSON.parse(plan.stdout) as { name: string; argv: string[] }[];
      expect(planned?.argv).toContain('run');
      for (const secret of secrets) expect(plan.stdout).not.toContain(secret);
    }
  });

  it('a start without the variables names the one to set', async () => {
    const dir = path.join(sandbox.dir, 'novars');
    await fs.mkdir(dir);
    const env = { MSM_REGISTRY: path.join(dir, 'registry.yaml') };
    expect((await sandbox.mcp(['import', path.join(FIXTURES, 'vscode/github.json')], env)).exitCode).toBe(0);
    const plan = await sandbox.mcp(['start', 'github', '--dry-run'], { ...env, GITHUB_TOKEN: '' });
    expect(plan.exitCode).toBe(0);
    const unset = await sandbox.mcp(['start', 'github', '--dry-run'], env);
    expect(unset.stdout).toContain('variable GITHUB_TOKEN is not set');
  });

  it('skips names that exist unless --replace, which swaps the command', async () => {
    const dir = path.join(sandbox.dir, 'replace');
    await fs.mkdir(dir);
    const env = { MSM_REGISTRY: path.join(dir, 'registry.yaml') };
    expect((await sandbox.mcp(['add', 'fetch', '--command', 'docker run -i --rm mcp/fetch:old'], env)).exitCode).toBe(0);
    const skipped = JSON.parse((await sandbox.mcp(['import', path.join(FIXTURES, 'claude-desktop/fetch.json'), '--json'], env)).stdout) as ImportDoc;
    expect(skipped.skipped.map((s) => s.code)).toEqual(['EXISTS']);
    expect(await fs.readFile(env.MSM_REGISTRY, 'utf8')).toContain('mcp/fetch:old');
    const replaced = await sandbox.mcp(['import', path.join(FIXTURES, 'claude-desktop/fetch.json'), '--replace'], env);
    expect(replaced.stdout).toContain('✔ fetch replaced @localhost: docker run -i --rm mcp/fetch');
    expect(await fs.readFile(env.MSM_REGISTRY, 'utf8')).not.toContain('mcp/fetch:old');
  });
});

describe('mcp import of bad input changes nothing', () => {
  let sandbox: Sandbox;
  let files: string[];
  beforeAll(async () => {
    sandbox = await Sandbox.create();
    expect((await sandbox.mcp(['add', 'keep', '--command', 'docker run -i --rm mcp/time'])).exitCode).toBe(0);
    await fs.writeFile(path.join(sandbox.dir, '.env'), "# mine\nKEEP='1'\n", { mode: 0o600 });
    files = [sandbox.registry, `${sandbox.registry}.bak`, path.join(sandbox.dir, '.env')];
  });
  afterAll(async () => {
    await sandbox.dispose();
  });

  const good = { command: 'docker', args: ['run', '-i', '--rm', '-e', 'TOKEN', 'img'], env: { TOKEN: 'tok-literal-1234' } };
  test.each<[string, string, RegExp]>([
    ['not JSON', '{ "mcpServers": { "a1": ', /^error: .*bad\.json:1:\d+: not valid JSON \(/],
    ['servers map of the wrong type', JSON.stringify({ mcpServers: [good] }), /^error: .*bad\.json: "mcpServers" must be an object mapping server names to entries, found an array$/m],
    ['shell operators in args', JSON.stringify({ mcpServers: { good, evil: { command: 'docker', args: ['run', '-i', 'img', '&&', 'curl', 'x'] } } }), /^error: .*bad\.json: entry "evil": args\[3\] contains the shell operator "&&"/],
    ['an entry that is not an object', JSON.stringify({ mcpServers: { good, a2: 'docker run img' } }), /^error: .*bad\.json: entry "a2" must be an object, found a string$/m],
    ['a README placeholder', JSON.stringify({ mcpServers: { good, tf: { command: 'docker', args: ['run', '-e', 'TFE_TOKEN=<<PASTE_TFE_TOKEN_HERE>>', 'img'] } } }), /^error: .*bad\.json: entry "tf": args\[2\] holds "<<PASTE_TFE_TOKEN_HERE>>", a README placeholder/],
  ])('%s: exit 2, the file and entry named, registry and .env byte-identical', async (_, text, message) => {
    const file = path.join(sandbox.dir, 'bad.json');
    await fs.writeFile(file, text);
    const before = await snapshot(files);
    const result = await sandbox.mcp(['import', file]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(output(result)).not.toContain('tok-literal-1234');
    expect(await snapshot(files)).toEqual(before);
  });

  it('a README placeholder fixture, with --json: one error document', async () => {
    const before = await snapshot(files);
    const result = await sandbox.mcp(['import', path.join(FIXTURES, 'bad/terraform-placeholders.json'), '--json']);
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stderr)).toEqual({ error: { code: 'BAD_CLIENT_CONFIG', message: expect.stringContaining('entry "terraform": args[4] holds "<<PASTE_TFE_ADDRESS_HERE>>"') } });
    expect(await snapshot(files)).toEqual(before);
  });

  it('a file that does not exist, and a --client that does not match', async () => {
    const before = await snapshot(files);
    const missing = await sandbox.mcp(['import', path.join(sandbox.dir, 'nope.json')]);
    expect([missing.exitCode, missing.stderr.trim()]).toEqual([2, `error: ${path.join(sandbox.dir, 'nope.json')}: cannot read: no such file`]);
    const wrong = await sandbox.mcp(['import', path.join(FIXTURES, 'claude-desktop/fetch.json'), '--client', 'vscode']);
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toContain('no MCP servers map found: looked for "servers", "mcp"."servers" (the vscode format; try --client auto)');
    expect(await snapshot(files)).toEqual(before);
  });
});

describe('round trip: import a Claude Desktop config, export it back', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await Sandbox.create();
  });
  afterAll(async () => {
    await sandbox.dispose();
  });

  const CONFIG = [
    '// Claude Desktop: my servers',
    '{',
    '  "globalShortcut": "Alt+Space", // keep this',
    '  "mcpServers": {',
    '    /* from the fetch README */',
    '    "fetch": { "command": "docker", "args": ["run", "-i", "--rm", "mcp/fetch"] },',
    '    "github": {',
    '      "command": "docker",',
    '      "args": ["run", "-i", "--rm", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN", "ghcr.io/github/github-mcp-server"],',
    '      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_roundTripSecret" },',
    '    },',
    '    "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] }, // stays as it is',
    '  },',
    '  "theme": { "mode": "dark" },',
    '}',
    '',
  ].join('\n');

  it('export --write into a copy keeps comments and unrelated keys; --dry-run shows the diff and writes nothing', async () => {
    const original = path.join(sandbox.dir, 'claude_desktop_config.json');
    const copy = path.join(sandbox.dir, 'copy.json');
    await fs.writeFile(original, CONFIG);
    await fs.writeFile(copy, CONFIG, { mode: 0o644 });
    expect((await sandbox.mcp(['import', original])).exitCode).toBe(0);

    const dry = await sandbox.mcp(['export', '--client', 'claude-desktop', '--write', copy, '--dry-run', '--force']);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain(`--- ${copy}`);
    expect(dry.stdout).toContain('-    "fetch": { "command": "docker", "args": ["run", "-i", "--rm", "mcp/fetch"] },');
    expect(dry.stdout).toContain('+        "connect",');
    expect(await fs.readFile(copy, 'utf8')).toBe(CONFIG);

    const written = await sandbox.mcp(['export', '--client', 'claude-desktop', '--write', copy, '--force']);
    expect([written.exitCode, written.stderr]).toEqual([0, '']);
    expect(written.stdout).toContain(`replaced fetch, github in ${copy}`);
    const text = await fs.readFile(copy, 'utf8');
    for (const kept of ['// Claude Desktop: my servers', '"globalShortcut": "Alt+Space", // keep this', '/* from the fetch README */', '"memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] }, // stays as it is', '"theme": { "mode": "dark" },']) {
      expect(text).toContain(kept);
    }
    expect(text).not.toContain('ghp_roundTripSecret');
    const doc = parse(text, [], { allowTrailingComma: true }) as { mcpServers: Record<string, { command: string; args: string[] }> };
    const connectFlags = ['--registry', sandbox.registry, '--hosts-file', path.join(sandbox.dir, 'hosts.yaml')];
    expect(doc.mcpServers.fetch).toEqual({ command: 'mcp', args: ['connect', 'fetch', ...connectFlags] });
    expect(doc.mcpServers.github).toEqual({ command: 'mcp', args: ['connect', 'github', ...connectFlags] });
    expect(await fs.readFile(`${copy}.bak`, 'utf8')).toBe(CONFIG);
    expect((await fs.stat(copy)).mode & 0o777).toBe(0o644);
  });

  it('refuses to merge into a file whose servers map is not an object, leaving it as it was', async () => {
    const target = path.join(sandbox.dir, 'broken.json');
    await fs.writeFile(target, '{ "mcpServers": ["x"] }');
    const result = await sandbox.mcp(['export', '--client', 'claude-desktop', '--write', target, '--force']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${target}: "mcpServers" must be an object mapping server names to entries, found an array; nothing was written`);
    expect(await fs.readFile(target, 'utf8')).toBe('{ "mcpServers": ["x"] }');
    await expect(fs.access(`${target}.bak`)).rejects.toThrow();
  });
});

describe('mcp export writes only servers that answer initialize', () => {
  let sandbox: Sandbox;
  let port: number;
  let image: string;
  beforeAll(async () => {
    sandbox = await Sandbox.create();
    image = await privateTestImage(sandbox);
    port = await freePort();
    const http = sandbox.name('http');
    expect((await sandbox.mcp(['add', http, '--port', String(port), '--health', 'mcp', '--command', `docker run -p 127.0.0.1:${port}:8080 ${image}`])).exitCode).toBe(0);
    const stdio = sandbox.name('stdio');
    expect((await sandbox.mcp(['add', stdio, '--command', `docker run -i --rm ${image} --stdio`])).exitCode).toBe(0);
    expect((await sandbox.mcp(['add', sandbox.name('nocheck'), '--health', 'none', '--command', `docker run -i --rm ${image} --stdio`])).exitCode).toBe(0);
    expect((await sandbox.mcp(['add', sandbox.name('down'), '--port', String(await freePort()), '--health', 'mcp', '--command', `docker run ${image}`])).exitCode).toBe(0);
    const started = await sandbox.mcp(['start', http, '--wait', '--timeout', '90']);
    expect([started.exitCode, started.stderr]).toEqual([0, '']);
    // --wait attaches for its health check; the server must outlive that attach for export's own.
    expect((await sandbox.mcp(['start', stdio, '--wait', '--timeout', '90'])).exitCode).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await sandbox.dispose();
    await docker(['rmi', image]);
  });

  it('keeps the HTTP and the stdio server that answered; leaves out one without an MCP check and one that is down, saying why', async () => {
    const result = await sandbox.mcp(['export', '--client', 'claude-code', '--via', 'gateway', '--gateway-url', 'http://127.0.0.1:9/']);
    expect(result.exitCode).toBe(3);
    const printed = JSON.parse(result.stdout) as { mcpServers: Record<string, unknown> };
    const viaGateway = (name: string) => ({ type: 'http', url: `http://127.0.0.1:9/mcp/${name}`, headers: { Authorization: 'Bearer ${MSM_TOKEN}' } });
    expect(printed.mcpServers).toEqual({ [sandbox.name('http')]: viaGateway(sandbox.name('http')), [sandbox.name('stdio')]: viaGateway(sandbox.name('stdio')) });
    expect(result.stderr).toContain(`${sandbox.name('nocheck')} left out: it has no MCP health check, so msm cannot tell whether it answers initialize`);
    expect(result.stderr).toContain('pass --force to write it anyway');
    expect(result.stderr).toContain(`${sandbox.name('down')} left out: did not answer initialize: the container is not running`);
  });

  it('--force includes every server without asking them', async () => {
    const forced = await sandbox.mcp(['export', '--client', 'vscode', '--force', '--json']);
    expect(forced.exitCode).toBe(0);
    const names = [sandbox.name('down'), sandbox.name('http'), sandbox.name('nocheck'), sandbox.name('stdio')];
    expect(Object.keys(contract<{ entries: Record<string, unknown> }>('export', forced).entries).sort()).toEqual(names.sort());
    const target = path.join(sandbox.dir, 'mcp.json');
    const dry = contract<{ diff: string; written: boolean }>('export', await sandbox.mcp(['export', '--client', 'vscode', '--force', '--write', target, '--dry-run', '--json']));
    expect([dry.written, dry.diff]).toEqual([false, expect.stringContaining(`+++ ${target}`)]);
    const written = contract<{ added: string[]; written: boolean }>('export', await sandbox.mcp(['export', '--client', 'vscode', '--force', '--write', target, '--json']));
    expect([written.written, written.added.sort()]).toEqual([true, names.sort()]);
    expect(Object.keys((JSON.parse(await fs.readFile(target, 'utf8')) as { servers: object }).servers).sort()).toEqual(names.sort());
  });

  it('fails with exit 2 when nothing passes, writing nothing', async () => {
    const target = path.join(sandbox.dir, 'cursor.json');
    const result = await sandbox.mcp(['export', '--client', 'cursor', '--servers', `${sandbox.name('nocheck')},${sandbox.name('down')}`, '--write', target]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('no server to export: all were left out (see above; --force writes them anyway)');
    await expect(fs.access(target)).rejects.toThrow();
  });
});

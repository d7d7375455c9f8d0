import { parse } from 'jsonc-parser';
import { CLIENTS, findClient, type ClientSpec } from '../../../../lib/data/clients.js';
import { clientEntry, gatewayBase, mergeEntries } from '../../../../lib/core/clients/exportPlan.js';
import { clientConfigPath } from '../../../../lib/core/clients/clientPaths.js';
import { answersInitialize } from '../../../../lib/core/clients/exportGate.js';
import { validationError } from '../../../helpers/errors.js';

const client = (id: string): ClientSpec => findClient(id) as ClientSpec;
const GATEWAY = { via: 'gateway' as const, gatewayUrl: 'http://127.0.0.1:8765/' };

describe('clientEntry', () => {
  it('--via connect: the client runs mcp connect <name>, with the flags that find this registry', () => {
    expect(clientEntry(client('claude-desktop'), 'github', { via: 'connect' })).toEqual({ command: 'mcp', args: ['connect', 'github'] });
    expect(clientEntry(client('vscode'), 'github', { via: 'connect', connectFlags: ['--registry', '/srv/msm/registry.yaml'] })).toEqual({
      type: 'stdio',
      command: 'mcp',
      args: ['connect', 'github', '--registry', '/srv/msm/registry.yaml'],
    });
  });

  it.each<[string, Record<string, unknown>]>([
    ['claude-code', { type: 'http', url: 'http://127.0.0.1:8765/mcp/github', headers: { Authorization: 'Bearer ${MSM_TOKEN}' } }],
    ['vscode', { type: 'http', url: 'http://127.0.0.1:8765/mcp/github', headers: { Authorization: 'Bearer ${env:MSM_TOKEN}' } }],
    ['cursor', { url: 'http://127.0.0.1:8765/mcp/github', headers: { Authorization: 'Bearer ${env:MSM_TOKEN}' } }],
    ['windsurf', { serverUrl: 'http://127.0.0.1:8765/mcp/github', headers: { Authorization: 'Bearer ${env:MSM_TOKEN}' } }],
    ['cline', { type: 'streamableHttp', url: 'http://127.0.0.1:8765/mcp/github', headers: { Authorization: 'Bearer ${env:MSM_TOKEN}' } }],
    ['gemini-cli', { httpUrl: 'http://127.0.0.1:8765/mcp/github', headers: { Authorization: 'Bearer ${MSM_TOKEN}' } }],
  ])('--via gateway for %s: its URL field and a token reference, never a token', (id, entry) => {
    expect(clientEntry(client(id), 'github', GATEWAY)).toEqual(entry);
  });

  it('refuses the gateway for a client whose file takes only commands, and a missing URL', () => {
    expect(validationError(() => clientEntry(client('claude-desktop'), 'github', GATEWAY)).message).toBe(
      'claude-desktop takes only command entries in its config file: use --via connect',
    );
    expect(validationError(() => clientEntry(client('vscode'), 'github', { via: 'gateway' })).message).toBe(
      '--via gateway needs the gateway URL: --gateway-url http://HOST:PORT (or MSM_GATEWAY)',
    );
  });
});

describe('gatewayBase', () => {
  test.each([
    ['http://127.0.0.1:8765', 'http://127.0.0.1:8765'],
    ['https://msm.example.com/', 'https://msm.example.com'],
    ['http://host:80/prefix//', 'http://host/prefix'],
  ])('%s -> %s', (url, base) => {
    expect(gatewayBase(url)).toBe(base);
  });

  test.each([
    ['127.0.0.1:8765', '--gateway-url "127.0.0.1:8765" is not a URL: give it as http://HOST:PORT'],
    ['not a url', '--gateway-url "not a url" is not a URL: give it as http://HOST:PORT'],
    ['ftp://host/', '--gateway-url must be http:// or https://, not ftp:'],
    ['http://user:tok@host/', '--gateway-url must not hold credentials: the token goes in the Authorization header, as ${MSM_TOKEN}'],
    ['http://host/?token=abc', '--gateway-url takes no query or fragment: give the base the gateway serves /mcp/<name> under'],
  ])('refuses %s', (url, message) => {
    expect(validationError(() => gatewayBase(url)).message).toContain(message);
  });
});

describe('mergeEntries', () => {
  const FILE = '/home/u/.config/Claude/claude_desktop_config.json';
  const entry = { command: 'mcp', args: ['connect', 'fetch'] };
  const original = [
    '// Claude Desktop settings',
    '{',
    '  "globalShortcut": "Ctrl+Space", // keep me',
    '  "mcpServers": {',
    '    /* the docker one, replaced */',
    '    "fetch": { "command": "docker", "args": ["run", "-i", "--rm", "mcp/fetch"] },',
    '    "local": { "command": "npx", "args": ["-y", "some-server"] }, // untouched',
    '  },',
    '}',
    '',
  ].join('\n');

  it('replaces and adds entries, keeping comments, trailing commas and other keys', () => {
    const result = mergeEntries(original, FILE, client('claude-desktop'), { fetch: entry, time: { command: 'mcp', args: ['connect', 'time'] } });
    expect(result.added).toEqual(['time']);
    expect(result.replaced).toEqual(['fetch']);
    expect(result.path).toEqual(['mcpServers']);
    for (const kept of ['// Claude Desktop settings', '"globalShortcut": "Ctrl+Space", // keep me', '/* the docker one, replaced */', '"local": { "command": "npx", "args": ["-y", "some-server"] }, // untouched']) {
      expect(result.text).toContain(kept);
    }
    const doc = parse(result.text, [], { allowTrailingComma: true }) as { mcpServers: Record<string, unknown>; globalShortcut: string };
    expect(doc.mcpServers).toEqual({ time: { command: 'mcp', args: ['connect', 'time'] }, fetch: entry, local: { command: 'npx', args: ['-y', 'some-server'] } });
    expect(doc.globalShortcut).toBe('Ctrl+Space');
  });

  it('creates the file, or the servers map, when there is none', () => {
    expect(JSON.parse(mergeEntries(undefined, FILE, client('claude-desktop'), { fetch: entry }).text)).toEqual({ mcpServers: { fetch: entry } });
    expect(JSON.parse(mergeEntries('{ "theme": "dark" }', FILE, client('amp'), { fetch: entry }).text)).toEqual({ theme: 'dark', 'amp.mcpServers': { fetch: entry } });
  });

  it('VS Code: writes into settings.json\'s "mcp"."servers" when the file has it, else "servers"', () => {
    const settings = '{\n\t"editor.tabSize": 4,\n\t"mcp": {\n\t\t"servers": {}\n\t}\n}\n';
    const merged = mergeEntries(settings, 'settings.json', client('vscode'), { fetch: entry });
    expect(merged.path).toEqual(['mcp', 'servers']);
    expect(merged.text).toContain('\t\t"servers": {\n\t\t\t"fetch": {');
    expect(mergeEntries('{}', 'mcp.json', client('vscode'), { fetch: entry }).path).toEqual(['servers']);
  });

  it('refuses a file it cannot merge into, naming it', () => {
    expect(validationError(() => mergeEntries('{"mcpServers": [] }', FILE, client('claude-desktop'), { fetch: entry })).message).toBe(
      `${FILE}: "mcpServers" must be an object mapping server names to entries, found an array; nothing was written`,
    );
    expect(validationError(() => mergeEntries('{"mcpServers": {', FILE, client('claude-desktop'), { fetch: entry })).message).toBe(`${FILE}:1:17: not valid JSON (CloseBraceExpected)`);
  });
});

describe('clientConfigPath', () => {
  const claude = client('claude-desktop');
  it.each<[NodeJS.Platform, Record<string, string>, string]>([
    ['linux', {}, '/home/u/.config/Claude/claude_desktop_config.json'],
    ['linux', { XDG_CONFIG_HOME: '/xdg' }, '/xdg/Claude/claude_desktop_config.json'],
    ['darwin', {}, '/home/u/Library/Application Support/Claude/claude_desktop_config.json'],
    ['win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u\\AppData\\Roaming\\Claude\\claude_desktop_config.json'],
  ])('claude-desktop on %s %j', (platform, env, file) => {
    expect(clientConfigPath(claude, platform, env, '/home/u')).toBe(file);
  });

  it('home-relative clients', () => {
    expect(clientConfigPath(client('cursor'), 'darwin', {}, '/Users/u')).toBe('/Users/u/.cursor/mcp.json');
    expect(clientConfigPath(client('windsurf'), 'linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/u')).toBe('/home/u/.codeium/windsurf/mcp_config.json');
  });

  it('every client in the table has a path for every OS and at least one servers path', () => {
    for (const spec of CLIENTS) {
      for (const platform of ['linux', 'darwin', 'win32'] as const) expect(clientConfigPath(spec, platform, {}, '/h')).toMatch(/\.json$/);
      expect(spec.serversPaths.length).toBeGreaterThan(0);
    }
  });
});

describe('answersInitialize', () => {
  const base = { name: 's1', host: 'localhost' };
  it('passes an MCP check that was healthy', () => {
    expect(answersInitialize({ ...base, ok: true, value: { status: 'healthy', type: 'mcp', tool_count: 3 } })).toEqual({ name: 's1', ok: true });
  });

  it('holds back a server without a check that speaks MCP, pointing at --force', () => {
    const unchecked = answersInitialize({ ...base, ok: false, value: { status: 'unchecked', error: 'no health check configured' } });
    expect(unchecked.ok).toBe(false);
    expect(unchecked.reason).toContain('it has no MCP health check');
    expect(unchecked.reason).toContain('--force');
    expect(answersInitialize({ ...base, ok: true, value: { status: 'healthy', type: 'tcp' } }).reason).toContain('its health check (tcp) does not speak MCP');
  });

  it('holds back a server that failed its check, with the reason', () => {
    expect(answersInitialize({ ...base, ok: false, value: { status: 'unhealthy', type: 'mcp', error: 'connection refused' } }).reason).toBe(
      'did not answer initialize: connection refused (start it, or pass --force)',
    );
  });
});

/** Pure pieces of the gateway: session-container argv, attach argv, stdio detection, gateway URLs, line framing. */
import type { MCPServerConfig } from '../../../../lib/data/models.js';
import { buildAttach } from '../../../../lib/core/docker/commands.js';
import { parseDockerCommand } from '../../../../lib/core/docker/parseRun.js';
import { planSessionRun } from '../../../../lib/core/docker/runPlan.js';
import { endpointOf } from '../../../../lib/core/mcp/endpoint.js';
import { gatewayUrl } from '../../../../lib/core/mcp/gatewayLink.js';
import { LineReader, serializeLine } from '../../../../lib/core/mcp/jsonRpcLines.js';
import { serverKindOf } from '../../../../lib/core/mcp/serverKind.js';
import { buildServerConfig } from '../../../../lib/core/configManager.js';
import { validationError } from '../../../helpers/errors.js';

const config = (command: string, extra: Partial<MCPServerConfig> = {}): MCPServerConfig => ({ name: 'fetch', docker_command: command, host: 'localhost', ...extra });

describe('planSessionRun', () => {
  it('runs the command attached and removed, under the session name, with the registry config and no port or restart', () => {
    const command = 'docker run -i --rm -d --name pinned -p 127.0.0.1:8080:80 --restart always -t -e TOKEN=$TOKEN -v ~/data:/data mcp/fetch --flag x';
    const cfg = config(command, { environment: { LEVEL: 'debug' }, volumes: ['/srv:/srv'], networks: ['mcpnet'], labels: { team: 'a' }, restart_policy: 'always' });
    const plan = planSessionRun(cfg, parseDockerCommand(command), { variables: { TOKEN: 's3cret' }, homeDir: '/home/al' }, 'fetch-session-ab12');
    expect(plan.args).toEqual([
      'run', '--interactive', '--rm', '--name=fetch-session-ab12',
      '--env=TOKEN=s3cret', '--volume=/home/al/data:/data',
      '--env=LEVEL=debug', '--volume=/srv:/srv', '--network=mcpnet', '--label=team=a',
      '--label=msm.session-of=fetch',
      'mcp/fetch', '--flag', 'x',
    ]);
    expect(plan.display).toContain('--env=TOKEN=$TOKEN');
    expect(plan.display.join(' ')).not.toContain('s3cret');
  });

  it('hands `-e NAME` values to the local docker client, and inlines them for SSH', () => {
    const command = 'docker run -i -e TOKEN img';
    const local = planSessionRun(config(command), parseDockerCommand(command), { variables: { TOKEN: 'v' }, homeDir: '~' }, 's1');
    expect(local.clientEnv).toEqual({ TOKEN: 'v' });
    const remote = planSessionRun(config(command), parseDockerCommand(command), { variables: { TOKEN: 'v' }, homeDir: '~', inlineClientEnv: true }, 's1');
    expect(remote.args).toContain('--env=TOKEN=v');
    expect(remote.display).toContain('--env=TOKEN');
  });
});

describe('buildAttach', () => {
  it('never forwards our signals to the container', () => {
    expect(buildAttach('abc123')).toEqual(['attach', '--sig-proxy=false', 'abc123']);
  });
});

describe('serverKindOf', () => {
  const kind = (command: string, port?: number) => serverKindOf(config(command, port === undefined ? {} : { port }), parseDockerCommand(command));
  it('reads -i without a port as stdio, a port as HTTP, neither as nothing', () => {
    expect(kind('docker run -i --rm mcp/fetch')).toBe('stdio');
    expect(kind('docker run --interactive=true mcp/fetch')).toBe('stdio');
    expect(kind('docker run -it mcp/fetch')).toBe('stdio');
    expect(kind('docker run -d -p 8080:8080 img', 8080)).toBe('http');
    expect(kind('docker run -i img', 8080)).toBe('http');
    expect(kind('docker run -d img')).toBeUndefined();
    expect(kind('docker run --interactive=false img')).toBeUndefined();
    expect(kind('docker run img -i')).toBeUndefined();
  });
});

describe('add defaults for stdio servers', () => {
  const NOW = new Date('2024-05-01T00:00:00Z');
  it('registers the MCP check for a stdio command, none for a plain one, and keeps an explicit check', () => {
    expect(buildServerConfig({ name: 'fetch', command: 'docker run -i --rm mcp/fetch' }, NOW).health_check).toEqual({ type: 'mcp' });
    expect(buildServerConfig({ name: 'fetch', command: 'docker run mcp/fetch' }, NOW).health_check).toBeUndefined();
    expect(buildServerConfig({ name: 'fetch', command: 'docker run -i mcp/fetch', health_check: { type: 'none' } }, NOW).health_check).toEqual({ type: 'none' });
  });

  it('stores --stdio-sessions for a stdio server and refuses it for others', () => {
    expect(buildServerConfig({ name: 'fetch', command: 'docker run -i mcp/memory', stdio_sessions: 'per-session' }, NOW).stdio_sessions).toBe('per-session');
    const error = validationError(() => buildServerConfig({ name: 'fetch', command: 'docker run -d img', port: 80, stdio_sessions: 'shared' }, NOW));
    expect(error.message).toBe('--stdio-sessions is for stdio servers (a command with -i and no --port)');
  });
});

describe('gatewayUrl', () => {
  it('appends /mcp/<name> to the base, keeping a path prefix', () => {
    expect(gatewayUrl('http://127.0.0.1:7800', 'fetch').toString()).toBe('http://127.0.0.1:7800/mcp/fetch');
    expect(gatewayUrl('https://gw.example/msm/', 'a.b').toString()).toBe('https://gw.example/msm/mcp/a.b');
  });

  it('refuses what is not an http(s) URL, and credentials or a query in it', () => {
    expect(validationError(() => gatewayUrl('ftp://127.0.0.1:7800', 'x')).message).toMatch(/http:\/\/ or https:\/\//);
    expect(validationError(() => gatewayUrl('not a url', 'x')).message).toMatch(/is not a URL/);
    expect(validationError(() => gatewayUrl('http://user:pw@host', 'x')).message).toMatch(/MSM_TOKEN/);
    expect(validationError(() => gatewayUrl('http://host/?token=abc', 'x')).message).toMatch(/MSM_TOKEN/);
  });
});

describe('LineReader', () => {
  it('frames messages split across chunks and multi-byte characters, and sets aside what is not JSON-RPC', () => {
    const messages: unknown[] = [];
    const noise: string[] = [];
    const reader = new LineReader((m) => messages.push(m), (line) => noise.push(line));
    const line = serializeLine({ jsonrpc: '2.0', id: 1, result: { text: 'héllo ✓' } } as never);
    const bytes = Buffer.from(`banner\n${line}{"jsonrpc":"2.0","method":"x"}\r\n{"not":"rpc"}\n`);
    for (let i = 0; i < bytes.length; i += 3) reader.push(bytes.subarray(i, i + 3));
    expect(messages).toEqual([{ jsonrpc: '2.0', id: 1, result: { text: 'héllo ✓' } }, { jsonrpc: '2.0', method: 'x' }]);
    expect(noise).toEqual(['banner', '{"not":"rpc"}']);
  });
});

describe('endpointOf', () => {
  it('names the transport, the connect command and the gateway URL when a gateway is known', () => {
    expect(endpointOf(config('docker run -i --rm mcp/fetch'), undefined)).toEqual({ transport: 'stdio', connect: 'mcp connect fetch' });
    expect(endpointOf(config('docker run -d -p 80:80 img', { port: 80 }), 'http://127.0.0.1:7800/')).toEqual({
      transport: 'http',
      connect: 'mcp connect fetch',
      gateway_url: 'http://127.0.0.1:7800/mcp/fetch',
    });
  });

  it('has none for a server that speaks no MCP transport, and ignores an unusable gateway', () => {
    expect(endpointOf(config('docker run -d img'), 'http://gw')).toBeUndefined();
    expect(endpointOf(config('docker run -i img'), 'not a url')).toEqual({ transport: 'stdio', connect: 'mcp connect fetch' });
  });
});

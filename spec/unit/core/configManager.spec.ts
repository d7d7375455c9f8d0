import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ValidationError } from '../../../lib/errors.js';
import { buildServerConfig, changedFields, ConfigManager, portConflict, unpublishedPortWarning, validateServerName, type AddInput } from '../../../lib/core/configManager.js';
import { RegistryStore } from '../../../lib/data/registryStore.js';
import { validationError } from '../../helpers/errors.js';

const NOW = new Date('2024-05-01T12:34:56.789Z');
const STAMP = '2024-05-01T12:34:56.789Z';


const input = (extra: Partial<AddInput> = {}): AddInput => ({ name: 'srv', command: 'docker run img', ...extra });

describe('buildServerConfig', () => {
  it('builds the minimal config: localhost, timestamps, nothing else', () => {
    const config = buildServerConfig(input(), NOW);
    expect(config).toEqual({ name: 'srv', docker_command: 'docker run img', host: 'localhost', created_at: STAMP, updated_at: STAMP });
    expect(Object.keys(config).sort()).toEqual(['created_at', 'docker_command', 'host', 'name', 'updated_at']);
  });

  it('builds the full config from every field, trimming the command', () => {
    const config = buildServerConfig(
      {
        name: 'github.v2_prod-1',
        command: '  docker run -i --rm -e GITHUB_TOKEN ghcr.io/github/github-mcp-server stdio \t',
        host: 'prod-1',
        port: 8080,
        description: 'GitHub MCP',
        environment: { LOG_LEVEL: 'debug', KEY: '${SECRET}' },
        volumes: ['~/data:/data'],
        networks: ['mcpnet'],
        labels: { team: 'ops' },
        restart_policy: 'no',
        auto_start: true,
        health_check: { type: 'http', path: '/health', timeout_ms: 2000 },
      },
      NOW,
    );
    expect(config).toEqual({
      name: 'github.v2_prod-1',
      docker_command: 'docker run -i --rm -e GITHUB_TOKEN ghcr.io/github/github-mcp-server stdio',
      host: 'prod-1',
      port: 8080,
      description: 'GitHub MCP',
      environment: { LOG_LEVEL: 'debug', KEY: '${SECRET}' },
      volumes: ['~/data:/data'],
      networks: ['mcpnet'],
      labels: { team: 'ops' },
      restart_policy: 'no',
      auto_start: true,
      health_check: { type: 'http', path: '/health', timeout_ms: 2000 },
      created_at: STAMP,
      updated_at: STAMP,
    });
  });

  it('keeps auto_start: false and an empty description (only undefined is left out)', () => {
    expect(buildServerConfig(input({ auto_start: false, description: '' }), NOW)).toEqual({
      name: 'srv',
      docker_command: 'docker run img',
      host: 'localhost',
      auto_start: false,
      description: '',
      created_at: STAMP,
      updated_at: STAMP,
    });
  });

  it('stores an IPv6 host without its brackets', () => {
    expect(buildServerConfig(input({ host: '[2001:db8::5]' }), NOW).host).toBe('2001:db8::5');
  });

  it('accepts the port range bounds', () => {
    expect(buildServerConfig(input({ port: 1 }), NOW).port).toBe(1);
    expect(buildServerConfig(input({ port: 65535 }), NOW).port).toBe(65535);
  });

  it('accepts a 128-character name', () => {
    expect(buildServerConfig(input({ name: 'a'.repeat(128) }), NOW).name).toBe('a'.repeat(128));
  });

  describe('refuses, with a ValidationError (exit code 2)', () => {
    it.each([
      ['a space', 'my server'],
      ['a leading dash', '-srv'],
      ['a leading dot', '.srv'],
      ['a leading underscore', '_srv'],
      ['empty', ''],
      ['129 characters', 'a'.repeat(129)],
      ['a slash', 'a/b'],
      ['a colon', 'a:b'],
      ['unicode', 'sérveur'],
      ['a newline', 'srv\n'],
      ['one character (docker names have at least two)', 'a'],
    ])('a name with %s', (_what, name) => {
      const error = validationError(() => buildServerConfig(input({ name }), NOW));
      expect(error.message.startsWith(`invalid server name "${name}": use letters, digits, "_", "." and "-", starting with a letter or digit`)).toBe(true);
      expect(error.message).toContain('128');
      expect(error.code).toBe('INVALID_NAME');
      expect(error.exitCode).toBe(2);
    });

    it.each(['-oProxyCommand=x', '--help', '-p22'])('the host %j (read as an ssh option)', (host) => {
      const error = validationError(() => buildServerConfig(input({ host }), NOW));
      expect(error.message).toBe(`invalid host "${host}": a host cannot start with "-" (it would be read as an option)`);
      expect(error.code).toBe('INVALID_HOST');
      expect(error.exitCode).toBe(2);
    });

    it.each(['a;b', '$(x)', '`x`', 'a b', 'a|b', 'a&b', 'user@host', 'host:22', '', 'a\nb', '~/x'])('the host %j', (host) => {
      const error = validationError(() => buildServerConfig(input({ host }), NOW));
      expect(error.message).toBe(
        `invalid host "${host}": use "localhost", an alias from hosts.yaml, or a hostname or IP address (user and port go in hosts.yaml or ~/.ssh/config)`,
      );
      expect(error.code).toBe('INVALID_HOST');
      expect(error.exitCode).toBe(2);
    });

    it.each([
      ['not docker', 'npx -y @modelcontextprotocol/server-fetch', '"npx ..." runs the server without Docker'],
      ['not run', 'docker ps', 'the command must start with "docker run" or "docker container run", not "docker ps"'],
      ['no image', 'docker run -d', 'no image in the docker run command'],
      ['a shell operator', 'docker run img; rm -rf /', 'shell operator ";" is not allowed'],
      ['command substitution', 'docker run -e T=$(cat t) img', 'command substitution ($(...)) is not allowed'],
      ['an unknown flag', 'docker run --bogus img', 'unknown flag: --bogus'],
      ['empty', '   ', 'the docker command is empty'],
    ])('a command with %s', (_what, command, message) => {
      const error = validationError(() => buildServerConfig(input({ command }), NOW));
      expect(error.message).toContain(message);
      expect(error.exitCode).toBe(2);
    });

    it.each([
      [0, 'invalid server config: port must be >= 1'],
      [70000, 'invalid server config: port must be <= 65535'],
      [-1, 'invalid server config: port must be >= 1'],
      [80.5, 'invalid server config: port must be integer'],
    ])('port %d', (port, message) => {
      const error = validationError(() => buildServerConfig(input({ port }), NOW));
      expect(error.message).toBe(message);
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.exitCode).toBe(2);
    });

    it('an unknown restart policy', () => {
      const error = validationError(() => buildServerConfig(input({ restart_policy: 'sometimes' }), NOW));
      expect(error.message).toBe('invalid server config: restart_policy must match pattern "^(no|always|unless-stopped|on-failure(:[0-9]+)?)$"');
    });

    it('an unknown health check type', () => {
      const error = validationError(() => buildServerConfig(input({ health_check: { type: 'smoke' } as never }), NOW));
      expect(error.message).toBe('invalid server config: health_check.type must be one of mcp, http, tcp, none');
    });

    it('a reserved label in the config', () => {
      const error = validationError(() => buildServerConfig(input({ labels: { 'msm.name': 'other' } }), NOW));
      expect(error.message).toBe('the label "msm.name" is reserved for mcp');
      expect(error.exitCode).toBe(2);
    });

    it('a reserved label in the command', () => {
      const error = validationError(() => buildServerConfig(input({ command: 'docker run -l msm.hash=x img' }), NOW));
      expect(error.message).toBe('the label "msm.hash" is reserved for mcp; remove it from the command');
    });

    it('--rm with a restart policy', () => {
      const error = validationError(() => buildServerConfig(input({ command: 'docker run --rm img', restart_policy: 'always' }), NOW));
      expect(error.message).toBe('--rm cannot be combined with a restart policy (docker refuses both); drop one of them');
    });
  });

  it('uses the current time by default', () => {
    const before = Date.now();
    const config = buildServerConfig(input());
    const created = Date.parse(config.created_at ?? '');
    expect(created).toBeGreaterThanOrEqual(before);
    expect(created).toBeLessThanOrEqual(Date.now());
    expect(config.updated_at).toBe(config.created_at);
  });
});

describe('validateServerName', () => {
  it.each(['ab', 'A1', '00', 'my-server', 'my_server.v2', '9-._', 'a'.repeat(128)])('accepts %j', (name) => {
    expect(validateServerName(name)).toBe(name);
  });

  it.each(['', 'a', ' ', '-a', 'a b', 'a'.repeat(129), 'a\tb'])('rejects %j', (name) => {
    expect(() => validateServerName(name)).toThrow(ValidationError);
  });
});

describe('ConfigManager', () => {
  let dir: string;
  let registry: RegistryStore;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'msm-config-'));
    registry = new RegistryStore(path.join(dir, 'registry.yaml'));
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('adds a validated config and removes it', async () => {
    const manager = new ConfigManager(registry);
    const entry = await manager.add({ name: 'srv', command: ' docker run img ', port: 8080 });
    expect(entry.config).toMatchObject({ name: 'srv', docker_command: 'docker run img', host: 'localhost', port: 8080 });
    expect(entry.status).toEqual({ status: 'stopped' });
    expect((await registry.get('srv')).config).toEqual(entry.config);
    expect(await manager.remove(['srv'])).toEqual([{ config: entry.config }]);
    expect((await registry.read()).servers).toEqual({});
  });

  it('refuses invalid input before touching the registry', async () => {
    const manager = new ConfigManager(registry);
    // Wrapped, so that the test holds whether add throws synchronously or rejects.
    const attempt = Promise.resolve().then(() => manager.add({ name: 'bad name', command: 'docker run img' }));
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(fs.access(path.join(dir, 'registry.yaml'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('portConflict', () => {
  const registryWith = (...configs: Array<{ name: string; host: string; docker_command: string }>) => ({
    version: 1 as const,
    servers: Object.fromEntries(configs.map((config) => [config.name, { config }])),
  });
  const existing = { name: 'web', host: 'localhost', docker_command: 'docker run -d -p 127.0.0.1:8080:80 img' };

  it('names the server already publishing the port on the same host', () => {
    expect(portConflict({ name: 'new', host: 'localhost', docker_command: 'docker run -p 8080:9000 img' }, registryWith(existing))).toBe(
      'host port 8080/tcp on localhost is already published by server "web"; pick another port or remove "web"',
    );
  });

  it('allows the same port on another host, another address, or another protocol', () => {
    expect(portConflict({ name: 'new', host: 'alpha', docker_command: 'docker run -p 8080:80 img' }, registryWith(existing))).toBeUndefined();
    expect(portConflict({ name: 'new', host: 'localhost', docker_command: 'docker run -p 127.0.0.2:8080:80 img' }, registryWith(existing))).toBeUndefined();
    expect(portConflict({ name: 'new', host: 'localhost', docker_command: 'docker run -p 8080:80/udp img' }, registryWith(existing))).toBeUndefined();
  });
});

describe('unpublishedPortWarning', () => {
  it('is silent when --port is published, and says what is published otherwise', () => {
    expect(unpublishedPortWarning({ name: 'a', host: 'localhost', port: 8080, docker_command: 'docker run -p 127.0.0.1:8080:80 img' })).toBeUndefined();
    expect(unpublishedPortWarning({ name: 'a', host: 'localhost', port: 8081, docker_command: 'docker run -p 8080:80 img' })).toMatch(/^--port 8081 is not published by the command \(it publishes: 8080\)/);
    expect(unpublishedPortWarning({ name: 'a', host: 'localhost', docker_command: 'docker run img' })).toBeUndefined();
  });
});

describe('changedFields', () => {
  it('lists the fields whose value differs, updated_at aside', () => {
    const before = { name: 'a', host: 'localhost', docker_command: 'docker run img', port: 1, updated_at: 'x' };
    expect(changedFields(before, { ...before, port: 2, updated_at: 'y' })).toEqual(['port']);
    const { port: _port, ...withoutPort } = before;
    expect(changedFields(before, { ...withoutPort, description: 'd' })).toEqual(['description', 'port']);
  });
});

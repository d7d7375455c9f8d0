import type { ErrorObject } from 'ajv';
import {
  describeSchemaError,
  validateHostsFile,
  validateRegistry,
  validateServerConfig,
} from '../../../lib/data/validate.js';

function error(fields: Partial<ErrorObject> & Pick<ErrorObject, 'keyword' | 'instancePath'>): ErrorObject {
  return { schemaPath: '#', params: {}, ...fields };
}

/** The message describeSchemaError gives for the first error `validate` reports on `data`. */
function firstError(validate: ReturnType<typeof validateRegistry> | ReturnType<typeof validateServerConfig>, data: unknown): string {
  expect(validate(data)).toBe(false);
  return describeSchemaError(validate.errors?.[0]);
}

const config = { name: 's1', docker_command: 'docker run img', host: 'localhost' };

describe('describeSchemaError', () => {
  it('without an error says only that it is invalid', () => {
    expect(describeSchemaError(undefined)).toBe('is invalid');
  });

  it('turns the JSON pointer into a dotted path before ajv\'s message', () => {
    expect(describeSchemaError(error({ keyword: 'maximum', instancePath: '/servers/s1/config/port', message: 'must be <= 65535' }))).toBe(
      'servers.s1.config.port must be <= 65535',
    );
  });

  it('decodes ~1 and ~0 in pointer segments', () => {
    expect(describeSchemaError(error({ keyword: 'type', instancePath: '/labels/a~1b~0c', message: 'must be string' }))).toBe(
      'labels.a/b~c must be string',
    );
  });

  it('at the root, gives only the message', () => {
    expect(describeSchemaError(error({ keyword: 'type', instancePath: '', message: 'must be object' }))).toBe('must be object');
  });

  it('without a message says "is invalid"', () => {
    expect(describeSchemaError(error({ keyword: 'custom', instancePath: '/x' }))).toBe('x is invalid');
  });

  it('names an unknown field', () => {
    expect(
      describeSchemaError(error({ keyword: 'additionalProperties', instancePath: '/servers/s1/config', params: { additionalProperty: 'colour' } })),
    ).toBe('servers.s1.config has an unknown field "colour"');
  });

  it('lists the allowed values of an enum', () => {
    expect(describeSchemaError(error({ keyword: 'enum', instancePath: '/health_check/type', params: { allowedValues: ['mcp', 'http'] } }))).toBe(
      'health_check.type must be one of mcp, http',
    );
  });

  it('names an invalid property name', () => {
    expect(describeSchemaError(error({ keyword: 'propertyNames', instancePath: '/servers', params: { propertyName: 'bad name' } }))).toBe(
      'servers has an invalid name "bad name"',
    );
  });

  it('explains the name pattern in words', () => {
    expect(describeSchemaError(error({ keyword: 'pattern', instancePath: '/servers/s1/config/name', message: 'must match pattern "x"' }))).toBe(
      'servers.s1.config.name must start with a letter or digit and contain only letters, digits, "_", "." and "-"',
    );
  });

  it('keeps ajv\'s message for other patterns', () => {
    expect(describeSchemaError(error({ keyword: 'pattern', instancePath: '/health_check/path', message: 'must match pattern "^/"' }))).toBe(
      'health_check.path must match pattern "^/"',
    );
  });

  describe('with the real validators', () => {
    it.each<[string, unknown, string]>([
      ['port too high', { version: 1, servers: { s1: { config: { ...config, port: 70000 } } } }, 'servers.s1.config.port must be <= 65535'],
      ['port zero', { version: 1, servers: { s1: { config: { ...config, port: 0 } } } }, 'servers.s1.config.port must be >= 1'],
      ['port not an integer', { version: 1, servers: { s1: { config: { ...config, port: 80.5 } } } }, 'servers.s1.config.port must be integer'],
      ['unknown field', { version: 1, servers: { s1: { config: { ...config, colour: 'blue' } } } }, 'servers.s1.config has an unknown field "colour"'],
      ['bad status', { version: 1, servers: { s1: { config, status: { status: 'zzz' } } } }, 'servers.s1.status.status must be one of running, stopped, error, unknown, starting, stopping'],
      ['bad name', { version: 1, servers: { s1: { config: { ...config, name: '-x' } } } }, 'servers.s1.config.name must start with a letter or digit and contain only letters, digits, "_", "." and "-"'],
      ['missing host', { version: 1, servers: { s1: { config: { name: 's1', docker_command: 'd' } } } }, "servers.s1.config must have required property 'host'"],
      ['health check type', { version: 1, servers: { s1: { config: { ...config, health_check: { type: 'smoke' } } } } }, 'servers.s1.config.health_check.type must be one of mcp, http, tcp, none'],
    ])('%s', (_what, data, message) => {
      expect(firstError(validateRegistry(), data)).toBe(message);
    });

    it('accepts a full valid config', () => {
      const validate = validateServerConfig();
      const full = {
        ...config,
        port: 65535,
        description: 'd',
        environment: { A: 'b' },
        volumes: ['a:/b'],
        networks: ['n'],
        labels: { k: 'v' },
        auto_start: true,
        restart_policy: 'on-failure:3',
        health_check: { type: 'http', path: '/health', timeout_ms: 500 },
        created_at: 'x',
        updated_at: 'y',
      };
      expect(validate(full)).toBe(true);
      expect(validate.errors).toBeNull();
    });

    it('validates a hosts file', () => {
      const validate = validateHostsFile();
      expect(validate({ hosts: { web1: { address: '10.0.0.1', port: 22, docker: 'sudo -n docker' } } })).toBe(true);
      expect(validate({ hosts: { web1: { address: '10.0.0.1', port: 0 } } })).toBe(false);
      expect(describeSchemaError(validate.errors?.[0])).toBe('hosts.web1.port must be >= 1');
      expect(validate({ hosts: { web1: { address: '10.0.0.1', colour: 'x' } } })).toBe(false);
      expect(describeSchemaError(validate.errors?.[0])).toBe('hosts.web1 has an unknown field "colour"');
    });

    it('returns the same compiled validator every time', () => {
      expect(validateRegistry()).toBe(validateRegistry());
    });
  });
});

import { ValidationError } from '../../../lib/errors.js';
import { isLocalHost, validateHostRef } from '../../../lib/core/hostRef.js';

function validationError(host: string): ValidationError {
  try {
    validateHostRef(host);
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error(`validateHostRef accepted ${JSON.stringify(host)}`);
}

const GENERIC = (host: string): string =>
  `invalid host "${host}": use "localhost", an alias from hosts.yaml, or a hostname or IP address (user and port go in hosts.yaml or ~/.ssh/config)`;

describe('validateHostRef', () => {
  it.each([
    'localhost',
    'prod-1',
    'web_01',
    'gpu',
    'A',
    '1',
    'db.internal.example.com',
    'host.',
    'xn--bcher-kva.example',
    '10.0.0.5',
    '127.0.0.1',
    '192.168.100.200',
    'a'.repeat(253),
  ])('accepts %j as it is', (host) => {
    expect(validateHostRef(host)).toBe(host);
  });

  it.each(['::1', 'fe80::1', '2001:db8::1', '2001:0db8:0000:0000:0000:ff00:0042:8329', '::ffff:192.0.2.1', 'FE80::ABCD'])(
    'accepts the IPv6 address %j',
    (host) => {
      expect(validateHostRef(host)).toBe(host);
    },
  );

  it.each([
    ['[::1]', '::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['[::ffff:192.0.2.1]', '::ffff:192.0.2.1'],
  ])('strips the brackets of %j', (host, bare) => {
    expect(validateHostRef(host)).toBe(bare);
  });

  it.each(['-oProxyCommand=x', '-', '--', '-p', '-[::1]'])('refuses %j: it would be read as an ssh option', (host) => {
    const error = validationError(host);
    expect(error.message).toBe(`invalid host "${host}": a host cannot start with "-" (it would be read as an option)`);
    expect(error.code).toBe('INVALID_HOST');
    expect(error.exitCode).toBe(2);
  });

  it.each([
    'a;b',
    '$(x)',
    '`x`',
    'a|b',
    'a&b',
    'a>b',
    'a b',
    ' localhost',
    'localhost ',
    'a\nb',
    'a\tb',
    "a'b",
    'a"b',
    'a\\b',
    'user@host',
    'host:22',
    'ssh://host',
    '~host',
    '.host',
    '',
    'a'.repeat(254),
    'hôte',
    '[host]',
    '[::1];x',
    'fe80::1%eth0',
  ])('refuses %j', (host) => {
    const error = validationError(host);
    expect(error.message).toBe(GENERIC(host));
    expect(error.code).toBe('INVALID_HOST');
    expect(error.exitCode).toBe(2);
  });
});

describe('isLocalHost', () => {
  it('is true only for the literal localhost', () => {
    expect(isLocalHost('localhost')).toBe(true);
    expect(isLocalHost('127.0.0.1')).toBe(false);
    expect(isLocalHost('::1')).toBe(false);
    expect(isLocalHost('LOCALHOST')).toBe(false);
    expect(isLocalHost('prod-1')).toBe(false);
  });
});

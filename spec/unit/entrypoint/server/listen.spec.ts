import { ValidationError } from '../../../../lib/errors.js';
import { checkExposure, isLoopback, parseListen, serviceUrl } from '../../../../lib/entrypoint/server/listen.js';
import { roleAllows } from '../../../../lib/entrypoint/server/access.js';

describe('parseListen', () => {
  it.each([
    ['127.0.0.1:8765', { host: '127.0.0.1', port: 8765 }],
    ['0.0.0.0:443', { host: '0.0.0.0', port: 443 }],
    ['[::1]:8765', { host: '::1', port: 8765 }],
    ['[::]:80', { host: '::', port: 80 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
  ])('%s', (text, address) => expect(parseListen(text)).toEqual(address));

  it.each(['8765', ':8765', '127.0.0.1', '127.0.0.1:99999', 'example.com:80', '::1:80', '127.0.0.1:80;rm', ''])('refuses %j', (text) => {
    expect(() => parseListen(text)).toThrow(ValidationError);
  });
});

describe('checkExposure', () => {
  it('allows loopback without TLS', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) {
      expect(isLoopback(host)).toBe(true);
      expect(() => checkExposure({ host, port: 1 }, { tls: false, allowInsecureHttp: false })).not.toThrow();
    }
  });

  it('refuses any other address without TLS or the explicit flag', () => {
    for (const host of ['0.0.0.0', '::', '10.0.0.5']) {
      expect(() => checkExposure({ host, port: 1 }, { tls: false, allowInsecureHttp: false })).toThrow(/not a loopback address/);
      expect(() => checkExposure({ host, port: 1 }, { tls: true, allowInsecureHttp: false })).not.toThrow();
      expect(() => checkExposure({ host, port: 1 }, { tls: false, allowInsecureHttp: true })).not.toThrow();
    }
  });

  it('builds the URL people use', () => {
    expect(serviceUrl({ host: '::1', port: 8 }, true)).toBe('https://[::1]:8');
    expect(serviceUrl({ host: '127.0.0.1', port: 8765 }, false)).toBe('http://127.0.0.1:8765');
  });
});

describe('roleAllows', () => {
  it('orders client < viewer < operator < admin', () => {
    expect(roleAllows('admin', 'client')).toBe(true);
    expect(roleAllows('viewer', 'client')).toBe(true);
    expect(roleAllows('operator', 'viewer')).toBe(true);
    expect(roleAllows('viewer', 'operator')).toBe(false);
    expect(roleAllows('client', 'viewer')).toBe(false);
    expect(roleAllows('operator', 'admin')).toBe(false);
  });
});

/**
 * The dashboard's files as the built service serves them (so the bundle in dist/ carries them):
 * public, with the security headers, a strong ETag answered with 304, and nothing else reachable.
 */
import { Sandbox } from '../harness.js';
import { call, startService, type Service } from './serviceHarness.js';

let sandbox: Sandbox;
let service: Service;

beforeAll(async () => {
  sandbox = await Sandbox.create();
  service = await startService(sandbox);
}, 60_000);

afterAll(async () => {
  await service?.stop();
  await sandbox?.dispose();
});

const SECURITY = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

it('serves the page at / without a token, with a strict policy and no caching without revalidation', async () => {
  const page = await call(`${service.url}/`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  for (const [name, value] of Object.entries(SECURITY)) expect(page.headers.get(name)).toBe(value);
  const csp = page.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("style-src 'self'");
  expect(csp).toContain("connect-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe');
  expect(page.headers.get('cache-control')).toBe('no-cache');
  expect(page.text).toContain('<script type="module" src="/dashboard/main.js"></script>');
});

it('answers a known ETag with 304 and a changed one with the file', async () => {
  const first = await call(`${service.url}/dashboard/main.js`);
  expect(first.status).toBe(200);
  expect(first.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  const etag = first.headers.get('etag') ?? '';
  expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
  const again = await call(`${service.url}/dashboard/main.js`, { headers: { 'if-none-match': etag } });
  expect(again.status).toBe(304);
  expect(again.text).toBe('');
  expect(again.headers.get('etag')).toBe(etag);
  expect(again.headers.get('x-content-type-options')).toBe('nosniff');
  const other = await call(`${service.url}/dashboard/main.js`, { headers: { 'if-none-match': '"something-else"' } });
  expect(other.status).toBe(200);
  expect(other.text).toBe(first.text);
  const css = await call(`${service.url}/dashboard/dashboard.css`);
  expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  expect(css.headers.get('etag')).not.toBe(etag);
});

it('serves only its own files', async () => {
  for (const bad of ['/dashboard/nope.js', '/dashboard/..%2Fpackage.json', '/dashboard/index.html', '/dashboard/', '/dashboard/%2e%2e%2fetc%2fpasswd']) {
    const answer = await call(`${service.url}${bad}`);
    expect({ bad, refused: answer.status >= 400 && answer.status < 500 }).toEqual({ bad, refused: true });
    expect(answer.text).not.toContain('"dependencies"');
  }
});

it('opening the page opens nothing else: the API still wants a token', async () => {
  const list = await call(`${service.url}/api/v1/servers`);
  expect(list.status).toBe(401);
  // Only the dashboard's answers carry its headers: the API's are left to the API.
  expect(list.headers.get('content-security-policy')).toBeNull();
});

/**
 * Every route × every kind of caller answers the documented status over real HTTP, and nothing
 * answers 5xx: public routes 200 for anyone; no, malformed, unknown, expired or revoked token 401
 * (with WWW-Authenticate: Bearer); a role below the route's 403; a token limited to other servers
 * meets this one as absent (404; 403 for adding a server outside its list); otherwise the route's
 * own success.
 */
import type { TokenRole } from '../../../lib/data/models.js';
import { roleAllows } from '../../../lib/entrypoint/server/access.js';
import type { Sandbox } from '../harness.js';
import { fleetSandbox, readTestHosts } from '../fleetHarness.js';
import { call, createToken, startService, type Service } from './serviceHarness.js';

type Caller = { label: string; header?: string; role?: TokenRole; limited?: boolean };

interface Route {
  method: string;
  path: (c: Caller, i: number) => string;
  body?: (c: Caller, i: number) => unknown;
  role?: TokenRole;
  /** The route names the test server (a limited token gets 404, or 403 for an add). */
  named?: 'path' | 'body' | 'add';
  ok: number;
}

let sandbox: Sandbox;
let vars: NodeJS.ProcessEnv;
let service: Service;
let server: string;
const callers: Caller[] = [];

beforeAll(async () => {
  const env = await readTestHosts();
  ({ sandbox, vars } = await fleetSandbox(env, { trusted: ['h1'], aliases: { alpha: 'h1' } }));
  server = sandbox.name('matrix');
  // On a namespace host, with an image from the test registry, so even pull succeeds.
  const added = await sandbox.mcp(['add', server, '--host', 'alpha', '--command', `docker run --init --stop-timeout=1 ${env.registryImage} sh -c 'echo ready; sleep 900'`], vars);
  expect(added.exitCode).toBe(0);
  expect((await sandbox.mcp(['start', server], vars)).exitCode).toBe(0);

  const token = (name: string, role: TokenRole, extra: string[] = []) => createToken(sandbox, name, role, extra);
  callers.push({ label: 'no token' });
  callers.push({ label: 'not a bearer header', header: 'Basic YWRtaW46YWRtaW4=' });
  callers.push({ label: 'unknown token', header: 'Bearer msm_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
  const expired = await token('expired', 'admin', ['--expires', '1s']);
  callers.push({ label: 'expired token', header: `Bearer ${expired}` });
  const revoked = await token('revoked', 'admin');
  expect((await sandbox.mcp(['token', 'revoke', 'revoked'])).exitCode).toBe(0);
  callers.push({ label: 'revoked token', header: `Bearer ${revoked}` });
  for (const role of ['client', 'viewer', 'operator', 'admin'] as const) callers.push({ label: role, header: `Bearer ${await token(`as-${role}`, role)}`, role });
  callers.push({ label: 'admin limited to other servers', header: `Bearer ${await token('limited', 'admin', ['--servers', 'someone-else,another'])}`, role: 'admin', limited: true });
  // The expired token's second has passed by the time the service is up.
  service = await startService(sandbox, { env: vars });
  await new Promise((resolve) => setTimeout(resolve, 1100));
}, 120_000);

afterAll(async () => {
  await sandbox?.mcp(['remove', server, '--yes', '--purge'], vars);
  expect(await service?.stop()).toBe(0);
  await sandbox?.dispose();
});

const lifecycle = (action: string): Route[] => [
  { method: 'POST', path: () => `/api/v1/servers/${server}/${action}`, role: 'operator', named: 'path', ok: 200 },
  { method: 'POST', path: () => `/api/v1/servers/${action}`, body: () => ({ names: [server] }), role: 'operator', named: 'body', ok: 200 },
];

const ROUTES: Route[] = [
  { method: 'GET', path: () => '/healthz', ok: 200 },
  { method: 'GET', path: () => '/openapi.json', ok: 200 },
  { method: 'GET', path: () => '/docs', ok: 200 },
  { method: 'GET', path: () => '/api/v1/whoami', role: 'client', ok: 200 },
  { method: 'GET', path: () => '/api/v1/servers', role: 'viewer', ok: 200 },
  { method: 'GET', path: () => `/api/v1/servers/${server}?lines=2`, role: 'viewer', named: 'path', ok: 200 },
  { method: 'GET', path: () => `/api/v1/servers/${server}/logs?tail=5`, role: 'viewer', named: 'path', ok: 200 },
  { method: 'POST', path: () => `/api/v1/servers/${server}/health`, role: 'viewer', named: 'path', ok: 200 },
  { method: 'GET', path: () => '/api/v1/hosts', role: 'viewer', ok: 200 },
  { method: 'POST', path: () => '/api/v1/hosts/check', body: () => ({ hosts: ['localhost'] }), role: 'viewer', ok: 200 },
  ...lifecycle('stop'),
  ...lifecycle('start'),
  ...lifecycle('restart'),
  ...lifecycle('pull'),
  { method: 'POST', path: () => '/api/v1/servers/up', body: () => ({ names: [server] }), role: 'operator', named: 'body', ok: 200 },
  { method: 'POST', path: () => '/api/v1/servers', body: (_c, i) => ({ name: `${server}-add${i}`, command: 'docker run msm-busybox:latest true' }), role: 'admin', named: 'add', ok: 201 },
  { method: 'DELETE', path: (_c, i) => `/api/v1/servers/${server}-add${i}`, role: 'admin', named: 'path', ok: 200 },
  { method: 'POST', path: () => '/api/v1/hosts', body: (_c, i) => ({ alias: `matrix${i}`, address: '10.213.9.9' }), role: 'admin', ok: 201 },
  { method: 'DELETE', path: (_c, i) => `/api/v1/hosts/matrix${i}`, role: 'admin', ok: 200 },
  { method: 'GET', path: () => '/api/v1/no-such-route', role: 'client', ok: 404 },
];

function expected(route: Route, caller: Caller): number {
  if (!route.role) return route.ok;
  if (!caller.role) return 401;
  if (!roleAllows(caller.role, route.role)) return 403;
  if (caller.limited && route.named === 'add') return 403;
  if (caller.limited && route.named) return 404;
  return route.ok;
}

it('every route answers every caller as documented, never with 5xx', async () => {
  const table: string[] = [];
  const mismatches: string[] = [];
  for (const [i, caller] of callers.entries()) {
    for (const route of ROUTES) {
      const path = route.path(caller, i);
      const answer = await call(`${service.url}${path}`, {
        method: route.method,
        ...(caller.header ? { headers: { authorization: caller.header } } : {}),
        ...(route.body ? { body: route.body(caller, i) } : {}),
      });
      const want = expected(route, caller);
      const line = `${caller.label.padEnd(32)} ${route.method.padEnd(6)} ${path} -> ${answer.status}`;
      table.push(line);
      if (answer.status !== want) mismatches.push(`${line} (want ${want}): ${answer.text.slice(0, 200)}`);
      if (answer.status >= 500) mismatches.push(`${line}: 5xx`);
      if (want === 401 && answer.headers.get('www-authenticate') !== 'Bearer realm="msm"') mismatches.push(`${line}: no WWW-Authenticate`);
      if (answer.status >= 400) {
        const error = (answer.body as { error?: { message?: unknown; code?: unknown } }).error;
        if (typeof error?.message !== 'string' || typeof error.code !== 'string') mismatches.push(`${line}: not an {error: {message, code}} body`);
      }
    }
  }
  expect(mismatches).toEqual([]);
  expect(table.length).toBe(callers.length * ROUTES.length);
}, 300_000);

it('a limited token sees only its servers in the list, and bulk `all` acts on none of the others', async () => {
  const limited = callers.find((c) => c.limited)?.header as string;
  const list = await call<unknown[]>(`${service.url}/api/v1/servers`, { headers: { authorization: limited } });
  expect(list.status).toBe(200);
  expect(list.body).toEqual([]);
  const all = await call<unknown[]>(`${service.url}/api/v1/servers/stop`, { method: 'POST', headers: { authorization: limited }, body: { all: true } });
  expect(all.status).toBe(200);
  expect(all.body).toEqual([]);
  const viewer = callers.find((c) => c.label === 'viewer')?.header as string;
  const state = await call<{ status: { status: string } }>(`${service.url}/api/v1/servers/${server}`, { headers: { authorization: viewer } });
  expect(state.body.status.status).toBe('running');
});

it('whoami tells each token its role and limit', async () => {
  const limited = callers.find((c) => c.limited)?.header as string;
  const me = await call(`${service.url}/api/v1/whoami`, { headers: { authorization: limited } });
  expect(me.body).toEqual({ name: 'limited', role: 'admin', servers: ['someone-else', 'another'] });
});

it('refuses a token revoked while the service runs, from the next request, without a restart', async () => {
  const late = await createToken(sandbox, 'late', 'viewer');
  expect((await call(`${service.url}/api/v1/whoami`, { token: late })).status).toBe(200);
  expect((await sandbox.mcp(['token', 'revoke', 'late'])).exitCode).toBe(0);
  const refused = await call(`${service.url}/api/v1/whoami`, { token: late });
  expect(refused.status).toBe(401);
  expect(refused.body).toEqual({ error: { message: 'unknown or revoked token', code: 'UNAUTHORIZED' } });
});

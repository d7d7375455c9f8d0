/**
 * Hostile input over real HTTP, as an admin (so validation, not auth, is what answers): malformed
 * JSON, wrong types in every field, oversized bodies and URLs, path traversal and shell
 * metacharacters in every field that names something. Every answer is a 4xx with an
 * `{error: {message, code}}` body, the registry and token files stay byte-identical, and the
 * registered server never gets a container.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { BUSYBOX_IMAGE, docker, Sandbox } from '../harness.js';
import { call, createToken, startService, type Service } from './serviceHarness.js';

let sandbox: Sandbox;
let service: Service;
let token: string;
let server: string;
let registryBefore: string;
let tokensBefore: string;
const answers: { what: string; status: number; text: string }[] = [];

beforeAll(async () => {
  sandbox = await Sandbox.create();
  server = sandbox.name('fuzz');
  expect((await sandbox.mcp(['add', server, '--command', `docker run --init ${BUSYBOX_IMAGE} sleep 900`])).exitCode).toBe(0);
  token = await createToken(sandbox, 'fuzzer', 'admin');
  service = await startService(sandbox);
  registryBefore = await fs.readFile(sandbox.registry, 'utf8');
  tokensBefore = await fs.readFile(path.join(sandbox.dir, 'tokens.yaml'), 'utf8');
});

afterAll(async () => {
  expect(await service?.stop()).toBe(0);
  await sandbox?.dispose();
});

async function send(what: string, method: string, urlPath: string, init: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<void> {
  let status: number;
  let text: string;
  try {
    const answer = await call(`${service.url}${urlPath}`, { method, token, ...init });
    status = answer.status;
    text = answer.text;
  } catch (err) {
    status = 0;
    text = String(err);
  }
  answers.push({ what: `${what}: ${method} ${urlPath.slice(0, 120)}`, status, text });
}

const METACHARACTERS = [';', '&&', '|', '`', '$(', ')', '>', '<', '\n', '\r', '\0', '"', "'", '\\', '*', '?', '~', '#', '&', '!', '{', '}', '[', ']', ' '];
const TRAVERSALS = ['..', '../..', '../../etc/passwd', 'a/../b', '..\\..\\x', '%2e%2e', '.', '/etc/passwd', '-rf', '--help', '$(id)', '`id`', 'a;b', 'x&&y', 'a|b', 'a b', '\u0000', 'é', '🙂'];

/** Strings that carry at least one shell metacharacter (so no identifier rule can accept them). */
const hostileWith = (metacharacters: string[]) =>
  fc.tuple(fc.string({ maxLength: 12 }), fc.constantFrom(...metacharacters), fc.string({ maxLength: 12 })).map(([a, meta, b]) => `${a}${meta}${b}`);
const hostile = hostileWith(METACHARACTERS);
/** For docker run commands: what the parser must refuse wherever it stands in an unquoted word. */
const commandBreaker = fc
  .tuple(fc.stringMatching(/^[a-z0-9]{0,8}$/), fc.constantFrom(';', '&&', '||', '|', '`', '$(', '>', '<', '\n', '\r', '\0', '"', "'"), fc.stringMatching(/^[a-z0-9]{0,8}$/))
  .map(([a, meta, b]) => `${a}${meta}${b}`);
/** For the docker prefix, where words are split at spaces (`sudo -n docker` is a valid prefix). */
const hostileWord = hostileWith(METACHARACTERS.filter((meta) => meta !== ' '));

const validAdd = { name: 'fuzz-valid-name', command: `docker run ${BUSYBOX_IMAGE} true` };
const BODY_ROUTES: [string, string][] = [
  ['POST', '/api/v1/servers'],
  ['POST', '/api/v1/hosts'],
  ['POST', '/api/v1/hosts/check'],
  ['POST', '/api/v1/servers/start'],
  ['POST', '/api/v1/servers/stop'],
];

it('malformed JSON, wrong content types and oversized bodies are refused', async () => {
  const routes = [...BODY_ROUTES, ['POST', `/api/v1/servers/${server}/start`] as [string, string]];
  for (const [method, route] of routes) {
    for (const raw of ['{', '{"name":', '[1,2', 'not json', '{"a":1}}', '"\\u0000"', 'null', '[]', '1', '"start"', '\uFEFF{}x', '{"__proto__": {"admin": true}, "names": 1}']) {
      await send(`malformed ${JSON.stringify(raw)}`, method, route, { rawBody: raw });
    }
    await send('text/plain body', method, route, { rawBody: 'name=x', headers: { 'content-type': 'text/plain' } });
    await send('form body', method, route, { rawBody: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await send('oversized body (80 KiB)', method, route, { body: { ...validAdd, description: 'x'.repeat(80 * 1024) } });
    await send('oversized body (2 MiB)', method, route, { rawBody: `{"names": [${'"a",'.repeat(500_000)}"a"]}` });
  }
  await send('oversized URL', 'GET', `/api/v1/servers/${server}/logs?grep=${'x'.repeat(20_000)}`);
  await send('oversized path parameter', 'GET', `/api/v1/servers/${'a'.repeat(300)}`);
});

it('wrong types in every field are refused', async () => {
  const wrong = {
    string: [1, -1, 1.5, true, [], {}, null, ''],
    integer: ['80', 1.5, 0, 70_000, -1, true, null, [], {}],
    boolean: ['true', 1, 0, null, [], {}],
    map: ['x', 1, [], null, { key: 1 }, { key: null }],
    list: ['x', 1, {}, null, [1], [null]],
  };
  const addFields: Record<string, keyof typeof wrong> = {
    name: 'string', command: 'string', host: 'string', port: 'integer', environment: 'map', volumes: 'list', networks: 'list', labels: 'map',
    restart_policy: 'string', auto_start: 'boolean', health_check: 'map',
  };
  for (const [field, kind] of Object.entries(addFields)) {
    for (const value of wrong[kind]) await send(`add ${field}=${JSON.stringify(value)}`, 'POST', '/api/v1/servers', { body: { ...validAdd, [field]: value } });
  }
  await send('add unknown field', 'POST', '/api/v1/servers', { body: { ...validAdd, privileged: true } });
  await send('add without command', 'POST', '/api/v1/servers', { body: { name: validAdd.name } });
  for (const value of [...wrong.list, []]) await send(`bulk names=${JSON.stringify(value)}`, 'POST', '/api/v1/servers/start', { body: { names: value } });
  for (const value of wrong.boolean) await send(`bulk all=${JSON.stringify(value)}`, 'POST', '/api/v1/servers/start', { body: { all: value } });
  for (const value of wrong.boolean) await send(`start recreate=${JSON.stringify(value)}`, 'POST', `/api/v1/servers/${server}/start`, { body: { recreate: value } });
  await send('bulk nothing selected', 'POST', '/api/v1/servers/start', { body: {} });
  await send('bulk names and all', 'POST', '/api/v1/servers/start', { body: { names: [server], all: true } });
  await send('start unknown field', 'POST', `/api/v1/servers/${server}/start`, { body: { force: true } });
  for (const query of ['tail=-1', 'tail=x', 'tail=1e9', 'errors=maybe', 'follow=2', 'since=yesterday', 'since=-1h', 'grep=', 'unknown=1']) {
    await send(`logs ?${query}`, 'GET', `/api/v1/servers/${server}/logs?${query}`);
  }
  for (const query of ['lines=-1', 'lines=x', 'lines=100000', 'extra=1']) await send(`get ?${query}`, 'GET', `/api/v1/servers/${server}?${query}`);
  for (const query of ['stats=maybe', 'host=', 'x=1']) await send(`list ?${query}`, 'GET', `/api/v1/servers?${query}`);
  for (const query of ['purge=yes', 'x=1']) await send(`remove ?${query}`, 'DELETE', `/api/v1/servers/${server}?${query}`);
  for (const value of [{ alias: 'ok' }, { address: '10.0.0.1' }, { alias: 'ok', address: '10.0.0.1', port: '22' }, { alias: 'ok', address: '10.0.0.1', user: 1 }]) {
    await send(`host add ${JSON.stringify(value)}`, 'POST', '/api/v1/hosts', { body: value });
  }
});

it('path traversal and shell metacharacters in every field that names something are refused', async () => {
  const names = [...TRAVERSALS, ...fc.sample(hostile, { numRuns: 40, seed: 7 })];
  for (const name of names) {
    const segment = encodeURIComponent(name);
    for (const action of ['', '/start', '/stop', '/restart', '/pull', '/health', '/logs']) {
      await send(`path name ${JSON.stringify(name)}`, action === '' || action === '/logs' ? 'GET' : 'POST', `/api/v1/servers/${segment}${action}`);
    }
    await send(`delete name ${JSON.stringify(name)}`, 'DELETE', `/api/v1/servers/${segment}?purge=true`);
    await send(`delete host ${JSON.stringify(name)}`, 'DELETE', `/api/v1/hosts/${segment}`);
    await send(`add name ${JSON.stringify(name)}`, 'POST', '/api/v1/servers', { body: { ...validAdd, name } });
    await send(`add host ${JSON.stringify(name)}`, 'POST', '/api/v1/servers', { body: { ...validAdd, host: name } });
    await send(`add restart_policy ${JSON.stringify(name)}`, 'POST', '/api/v1/servers', { body: { ...validAdd, restart_policy: name } });
    await send(`add label key ${JSON.stringify(name)}`, 'POST', '/api/v1/servers', { body: { ...validAdd, labels: { [`msm.${name}`]: 'x' } } });
    await send(`bulk names ${JSON.stringify(name)}`, 'POST', '/api/v1/servers/stop', { body: { names: [server, name] } });
    await send(`host check ${JSON.stringify(name)}`, 'POST', '/api/v1/hosts/check', { body: { hosts: [name] } });
    await send(`host alias ${JSON.stringify(name)}`, 'POST', '/api/v1/hosts', { body: { alias: name, address: '10.0.0.1' } });
    await send(`host address ${JSON.stringify(name)}`, 'POST', '/api/v1/hosts', { body: { alias: 'fuzzhost', address: name } });
    await send(`host user ${JSON.stringify(name)}`, 'POST', '/api/v1/hosts', { body: { alias: 'fuzzhost', address: '10.0.0.1', user: name } });
    await send(`logs since ${JSON.stringify(name)}`, 'GET', `/api/v1/servers/${server}/logs?since=${segment}`);
  }
  for (const word of fc.sample(hostileWord, { numRuns: 30, seed: 13 })) {
    await send(`host docker ${JSON.stringify(word)}`, 'POST', '/api/v1/hosts', { body: { alias: 'fuzzhost', address: '10.0.0.1', docker: `docker ${word}` } });
  }
  for (const command of [...fc.sample(commandBreaker, { numRuns: 30, seed: 11 }).map((s) => `docker run ${BUSYBOX_IMAGE} ${s}`), `docker run ${BUSYBOX_IMAGE} $(touch /tmp/pwned)`, 'rm -rf /', `docker run ${BUSYBOX_IMAGE} true; docker run -v /:/host ${BUSYBOX_IMAGE}`, `docker exec x sh`, `docker run --privileged=$(id) ${BUSYBOX_IMAGE}`, `docker run -v "/:/host ${BUSYBOX_IMAGE}`]) {
    await send(`add command ${JSON.stringify(command)}`, 'POST', '/api/v1/servers', { body: { ...validAdd, command } });
  }
}, 240_000);

it('every one of them got a 4xx with an error body, and nothing changed or ran', async () => {
  const bad = answers.filter((a) => {
    if (a.status < 400 || a.status >= 500) return true;
    try {
      const body = JSON.parse(a.text) as { error?: { message?: unknown; code?: unknown } };
      return typeof body.error?.message !== 'string' || typeof body.error.code !== 'string';
    } catch {
      return true;
    }
  });
  expect(bad.map((a) => `${a.what} -> ${a.status} ${a.text.slice(0, 160)}`)).toEqual([]);
  expect(answers.length).toBeGreaterThan(1000);
  expect(await fs.readFile(sandbox.registry, 'utf8')).toBe(registryBefore);
  expect(await fs.readFile(path.join(sandbox.dir, 'tokens.yaml'), 'utf8')).toBe(tokensBefore);
  await expect(fs.access(path.join(sandbox.dir, 'hosts.yaml'))).rejects.toThrow();
  expect((await docker(['ps', '-aq', '--filter', `label=msm.name=${server}`])).stdout.trim()).toBe('');
  await expect(fs.access('/tmp/pwned')).rejects.toThrow();
  // The service is still up and answering.
  expect((await call(`${service.url}/healthz`)).status).toBe(200);
});

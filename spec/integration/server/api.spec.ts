/**
 * The management API end to end over real HTTP, against the built `mcp serve`, the real docker
 * engine and a namespace SSH host: add → start → get → logs → follow (SSE) → stop → remove, and
 * the follow's `docker logs` ends on the host when the client goes away.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { MCPServerData } from '../../../lib/data/models.js';
import { BUSYBOX_IMAGE, docker, type Sandbox, TEST_IMAGE, waitFor } from '../harness.js';
import { fleetSandbox, host, hostDocker, readTestHosts } from '../fleetHarness.js';
import { call, createToken, startService, type Service } from './serviceHarness.js';

const run = promisify(execFile);

let sandbox: Sandbox;
let vars: NodeJS.ProcessEnv;
let service: Service;
let admin: string;
let api: string;

/** Command lines of every process on this machine (the namespace hosts share its pid namespace). */
async function processes(): Promise<string[]> {
  const { stdout } = await run('ps', ['-eo', 'args']);
  return stdout.split('\n');
}

/** Reads a server-sent event stream until `enough` events arrived, then hangs up. */
async function followEvents(url: string, token: string, enough: number, whileOpen: () => Promise<void>): Promise<{ status: number; type: string | null; events: unknown[] }> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  const events: unknown[] = [];
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const deadline = setTimeout(() => controller.abort(), 20_000);
  try {
    while (reader && events.length < enough) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').find((line) => line.startsWith('data: '));
        if (data) events.push(JSON.parse(data.slice(6)));
      }
    }
    await whileOpen();
  } finally {
    clearTimeout(deadline);
    controller.abort();
  }
  return { status: response.status, type: response.headers.get('content-type'), events };
}

beforeAll(async () => {
  const env = await readTestHosts();
  ({ sandbox, vars } = await fleetSandbox(env, { trusted: ['h1'], aliases: { alpha: 'h1', dead: env.refused.name } }));
  admin = await createToken(sandbox, 'e2e-admin', 'admin');
  service = await startService(sandbox, { env: vars });
  api = `${service.url}/api/v1`;
  // Kept for the SSE process checks below.
  expect(host(env, 'h1').address).toBe('10.213.1.2');
}, 60_000);

afterAll(async () => {
  const code = await service?.stop();
  expect(code).toBe(0);
  const env = await readTestHosts();
  const ids = await hostDocker(host(env, 'h1'), ['ps', '-aq', '--filter', `label=msm.name`]);
  for (const id of ids.stdout.split('\n').filter(Boolean)) {
    const name = await hostDocker(host(env, 'h1'), ['inspect', '--format', '{{index .Config.Labels "msm.name"}}', id]);
    if (name.stdout.trim().startsWith(sandbox.prefix)) await hostDocker(host(env, 'h1'), ['rm', '-f', id]);
  }
  await sandbox?.dispose();
});

describe.each([
  ['localhost', 'localhost'],
  ['a namespace SSH host', 'alpha'],
])('on %s', (_label, where) => {
  let name: string;
  let containerId: string;

  beforeAll(() => {
    name = sandbox.name(`api-${where}`);
  });

  it('adds the server (201, stopped, nothing run yet)', async () => {
    const added = await call<MCPServerData>(`${api}/servers`, {
      method: 'POST',
      token: admin,
      body: { name, host: where, command: `docker run --init --stop-timeout=1 ${BUSYBOX_IMAGE} sh -c 'i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.5; done'`, description: 'ticks' },
    });
    expect(added.status).toBe(201);
    expect(added.body.config).toMatchObject({ name, host: where, description: 'ticks' });
    expect(added.body.status?.status).toBe('stopped');
  });

  it('starts it', async () => {
    const started = await call<{ ok: boolean; action: string; status: string; container_id: string }>(`${api}/servers/${name}/start`, { method: 'POST', token: admin });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ ok: true, action: 'created', status: 'running' });
    containerId = started.body.container_id;
    expect(containerId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gets it running, with its last log lines', async () => {
    const got = await waitFor('log lines in get', async () => {
      const answer = await call<MCPServerData>(`${api}/servers/${name}?lines=5`, { token: admin });
      return (answer.body.status?.container_logs?.logs.length ?? 0) > 0 ? answer : undefined;
    });
    expect(got.status).toBe(200);
    expect(got.body.status).toMatchObject({ status: 'running', state: 'running' });
    expect(got.body.status?.container_info?.container_id).toBe(containerId);
    expect(got.body.status?.container_logs?.logs[0]).toMatch(/^tick \d+$/);
  });

  it('lists it among the servers', async () => {
    const list = await call<MCPServerData[]>(`${api}/servers`, { token: admin });
    expect(list.status).toBe(200);
    expect(list.body.find((s) => s.config.name === name)?.status?.status).toBe('running');
  });

  it('returns recent logs as JSON lines, filtered', async () => {
    const logs = await call<Array<{ stream: string; time: string; text: string }>>(`${api}/servers/${name}/logs?tail=20&grep=tick`, { token: admin });
    expect(logs.status).toBe(200);
    expect(logs.body.length).toBeGreaterThan(0);
    for (const line of logs.body) {
      expect(line.stream).toBe('stdout');
      expect(line.text).toMatch(/^tick \d+$/);
      expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    }
  });

  it('follows new lines as server-sent events, and the host\'s docker logs ends when the client goes', async () => {
    const follower = (lines: string[]) => lines.some((line) => line.includes('logs') && line.includes('--follow') && line.includes(containerId));
    let seenWhileOpen = false;
    const followed = await followEvents(`${api}/servers/${name}/logs?follow=true&tail=0`, admin, 2, async () => {
      seenWhileOpen = follower(await processes());
    });
    expect(seenWhileOpen).toBe(true);
    expect(followed.status).toBe(200);
    expect(followed.type).toMatch(/^text\/event-stream/);
    expect(followed.events.length).toBe(2);
    expect(followed.events[0]).toMatchObject({ stream: 'stdout', text: expect.stringMatching(/^tick \d+$/) });
    await waitFor('docker logs --follow to end', async () => (follower(await processes()) ? undefined : true), 10_000);
  });

  it('stops it, then removes it with its container', async () => {
    const stopped = await call<{ ok: boolean; status: string }>(`${api}/servers/${name}/stop`, { method: 'POST', token: admin });
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ ok: true, status: 'stopped' });
    const removed = await call<{ ok: boolean; action: string }>(`${api}/servers/${name}?purge=true`, { method: 'DELETE', token: admin });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ ok: true, action: 'removed' });
    const gone = await call(`${api}/servers/${name}`, { token: admin });
    expect(gone.status).toBe(404);
    const env = await readTestHosts();
    const left = where === 'localhost' ? await docker(['ps', '-aq', '--filter', `id=${containerId}`]) : await hostDocker(host(env, 'h1'), ['ps', '-aq', '--filter', `id=${containerId}`]);
    expect(left.stdout.trim()).toBe('');
  });
});

describe('adding', () => {
  it('takes every field `mcp add` takes, --stdio-sessions among them', async () => {
    const name = sandbox.name('per-session');
    const added = await call<MCPServerData>(`${api}/servers`, { method: 'POST', token: admin, body: { name, command: `docker run -i --rm ${TEST_IMAGE} --stdio`, stdio_sessions: 'per-session' } });
    expect(added.status).toBe(201);
    expect(added.body.config.stdio_sessions).toBe('per-session');
    const cli = await sandbox.mcpJson<MCPServerData>(['get', name], vars);
    expect(cli.config.stdio_sessions).toBe('per-session');
    expect((await call(`${api}/servers/${name}`, { method: 'DELETE', token: admin })).status).toBe(200);
  });
});

describe('errors', () => {
  it('a name taken is 409, an unknown server 404', async () => {
    const name = sandbox.name('dup');
    const body = { name, command: `docker run ${BUSYBOX_IMAGE} true` };
    expect((await call(`${api}/servers`, { method: 'POST', token: admin, body })).status).toBe(201);
    const again = await call(`${api}/servers`, { method: 'POST', token: admin, body });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'ALREADY_EXISTS' } });
    expect((await call(`${api}/servers/${name}`, { method: 'DELETE', token: admin })).status).toBe(200);
    const gone = await call(`${api}/servers/${name}/start`, { method: 'POST', token: admin });
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('a refused docker command is 422 with the message `mcp add` prints', async () => {
    const command = `docker run ${BUSYBOX_IMAGE} true && rm -rf /`;
    const answer = await call<{ error: { message: string } }>(`${api}/servers`, { method: 'POST', token: admin, body: { name: sandbox.name('bad'), command } });
    expect(answer.status).toBe(422);
    const cli = await sandbox.mcp(['add', sandbox.name('bad'), '--command', command, '--json'], vars);
    expect(cli.exitCode).toBe(2);
    expect((JSON.parse(cli.stderr) as { error: { message: string } }).error.message).toBe(answer.body.error.message);
  });

  it('a host that cannot be reached is 502 for one server, and 207 naming it among others', async () => {
    const down = sandbox.name('down');
    const up = sandbox.name('up');
    for (const [name, where] of [[down, 'dead'], [up, 'localhost']]) {
      expect((await call(`${api}/servers`, { method: 'POST', token: admin, body: { name, host: where, command: `docker run --init --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 60` } })).status).toBe(201);
    }
    const single = await call<{ error: { message: string; code: string } }>(`${api}/servers/${down}/start`, { method: 'POST', token: admin });
    expect(single.status).toBe(502);
    expect(single.body.error.message).toMatch(/connection refused/);
    const bulk = await call<Array<{ name: string; ok: boolean; error: string | null }>>(`${api}/servers/start`, { method: 'POST', token: admin, body: { names: [down, up] } });
    expect(bulk.status).toBe(207);
    expect(bulk.body.map((r) => [r.name, r.ok])).toEqual([
      [down, false],
      [up, true],
    ]);
    expect(bulk.body[0]?.error).toMatch(/connection refused/);
    const listed = await call<MCPServerData[]>(`${api}/servers`, { token: admin });
    expect(listed.status).toBe(200);
    expect(listed.body.find((s) => s.config.name === down)?.status?.status).toBe('unknown');
    const all = await call<Array<{ ok: boolean }>>(`${api}/servers/stop`, { method: 'POST', token: admin, body: { host: 'localhost' } });
    expect(all.status).toBe(200);
    for (const name of [down, up]) expect((await call(`${api}/servers/${name}`, { method: 'DELETE', token: admin })).status).toBe(200);
  });
});

describe('the service around the operations', () => {
  it('writes one audit line per mutating request, with the token\'s name and never the token', async () => {
    const audit = await fs.readFile(path.join(sandbox.dir, 'audit.log'), 'utf8');
    expect(audit).not.toContain(admin);
    const e2e = [sandbox.name('api-localhost'), sandbox.name('api-alpha')];
    const records = audit
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { token: string; role: string; method: string; route: string; targets: string[]; result: number; duration_ms: number })
      .filter((record) => e2e.includes(record.targets[0] ?? ''));
    const routes = records.map((r) => `${r.method} ${r.route} ${r.result}`);
    expect(routes).toEqual([
      'POST /api/v1/servers 201',
      'POST /api/v1/servers/:name/start 200',
      'POST /api/v1/servers/:name/stop 200',
      'DELETE /api/v1/servers/:name 200',
      'POST /api/v1/servers 201',
      'POST /api/v1/servers/:name/start 200',
      'POST /api/v1/servers/:name/stop 200',
      'DELETE /api/v1/servers/:name 200',
    ]);
    for (const record of records) {
      expect(record).toMatchObject({ token: 'e2e-admin', role: 'admin' });
      expect(record.targets).toHaveLength(1);
      expect(record.duration_ms).toBeGreaterThanOrEqual(0);
    }
  });

  it('logs requests on stderr without the token', () => {
    expect(service.stderr()).toContain('"url":"/api/v1/servers"');
    expect(service.stderr()).not.toContain(admin);
  });

  it('opens the SSH connection again when it drops, and keeps serving', async () => {
    const env = await readTestHosts();
    const h1 = host(env, 'h1').address;
    const ourPort = async () => {
      const { stdout } = await run('ss', ['-tnp', 'state', 'established', 'dst', `${h1}:22`]);
      const line = stdout.split('\n').find((l) => l.includes(`pid=${service.child.pid},`));
      return line?.split(/\s+/)[2]?.split(':').at(-1);
    };
    const before = await ourPort();
    expect(before).toMatch(/^\d+$/);
    // Cut our own TCP connection to the host (ss -K closes the socket, as a network failure would).
    await run('ss', ['-K', 'state', 'established', 'dst', `${h1}:22`, 'sport', '=', `:${before}`]);
    const check = await waitFor('the host to answer again', async () => {
      const answer = await call<Array<{ host: string; ok: boolean }>>(`${api}/hosts/check`, { method: 'POST', token: admin, body: { hosts: ['alpha'] } });
      return answer.body[0]?.ok ? answer : undefined;
    }, 15_000);
    expect(check.status).toBe(200);
    const after = await ourPort();
    expect(after).toMatch(/^\d+$/);
    expect(after).not.toBe(before);
    expect(service.child.exitCode).toBeNull();
  });

  it('kept one SSH connection to the host for all of it', async () => {
    const env = await readTestHosts();
    const { stdout } = await run('ss', ['-tnp', 'state', 'established', 'dst', `${host(env, 'h1').address}:22`]);
    expect(stdout.split('\n').filter((line) => line.includes(`pid=${service.child.pid},`))).toHaveLength(1);
  });
});

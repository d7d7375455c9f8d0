/**
 * `mcp serve` as a process: where it may listen, HTTPS with a certificate made here, bad
 * flags (exit 2, nothing listening), and a graceful stop on SIGTERM that lets a request in flight
 * finish, ends a log follow and exits 0.
 */
import { execFile } from 'node:child_process';
import https from 'node:https';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { BUSYBOX_IMAGE, freePort, Sandbox, waitFor } from '../harness.js';
import { call, createToken, startService } from './serviceHarness.js';

const run = promisify(execFile);

let sandbox: Sandbox;
let cert: string;
let key: string;

beforeAll(async () => {
  sandbox = await Sandbox.create();
  cert = path.join(sandbox.dir, 'cert.pem');
  key = path.join(sandbox.dir, 'key.pem');
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost']);
});

afterAll(async () => {
  await sandbox?.dispose();
});

function httpsGet(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

async function refusedConnection(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/healthz`);
    return false;
  } catch {
    return true;
  }
}

describe('where it listens', () => {
  it('refuses a non-loopback address without TLS: exit 2, a message, nothing listening', async () => {
    const port = await freePort();
    const result = await sandbox.mcp(['serve', '--listen', `0.0.0.0:${port}`]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/refusing to serve plain HTTP on 0\.0\.0\.0.*--tls-cert and --tls-key.*--allow-insecure-http/);
    expect(await refusedConnection(port)).toBe(true);
  });

  it('serves HTTPS on 0.0.0.0 with a certificate and key, and no plain HTTP there', async () => {
    const port = await freePort();
    const service = await startService(sandbox, { listen: `0.0.0.0:${port}`, args: ['--tls-cert', cert, '--tls-key', key] });
    try {
      expect(service.url).toBe(`https://0.0.0.0:${port}`);
      const answer = await httpsGet(`https://127.0.0.1:${port}/healthz`, await fs.readFile(cert));
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ status: 'ok' });
      const unauthenticated = await httpsGet(`https://127.0.0.1:${port}/api/v1/servers`, await fs.readFile(cert));
      expect(unauthenticated.status).toBe(401);
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      expect(await service.stop()).toBe(0);
    }
  });

  it('a SIGTERM the moment it says it listens still ends it gracefully, with exit 0', async () => {
    // Once it has said where it listens, a stop must be graceful: nothing may lie between that line
    // and the signal handlers.
    for (let attempt = 0; attempt < 5; attempt++) {
      const service = await startService(sandbox);
      expect(await service.stop()).toBe(0);
    }
  });

  it('serves plain HTTP off loopback only when told to (--allow-insecure-http)', async () => {
    const port = await freePort();
    const service = await startService(sandbox, { listen: `0.0.0.0:${port}`, args: ['--allow-insecure-http'] });
    try {
      expect((await call(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      expect(await service.stop()).toBe(0);
    }
  });

  it.each([
    [['--listen', 'nowhere'], /invalid --listen "nowhere"/],
    [['--listen', '127.0.0.1:8765', '--tls-cert', 'cert.pem'], /give both --tls-cert and --tls-key/],
    [['--listen', '127.0.0.1:8765', '--tls-cert', 'missing.pem', '--tls-key', 'missing-key.pem'], /--tls-cert missing\.pem: cannot read it: ENOENT/],
    [['--listen', '127.0.0.1:8765', '--tls-cert', 'key.pem', '--tls-key', 'cert.pem'], /not a usable certificate and key/],
    [['--reuse-ms', '-5'], /--reuse-ms takes a whole number of at least 0, not "-5"/],
  ])('refuses %j with exit 2', async (args, message) => {
    const result = await sandbox.mcp(['serve', ...args]);
    expect(result.stderr).toMatch(message);
    expect(result.exitCode).toBe(2);
  });

  it('refuses a port already in use with exit 2', async () => {
    const service = await startService(sandbox);
    try {
      const result = await sandbox.mcp(['serve', '--listen', service.url.replace('http://', '')]);
      expect(result.stderr).toMatch(/the port is in use/);
      expect(result.exitCode).toBe(2);
    } finally {
      await service.stop();
    }
  });
});

describe('its log', () => {
  it('with --json, a warning from an operation (a state file not written) is a JSON log line like the rest', async () => {
    const name = sandbox.name('warned');
    expect((await sandbox.mcp(['add', name, '--command', `docker run --init --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 600`])).exitCode).toBe(0);
    const token = await createToken(sandbox, 'warned', 'operator');
    // A state home that cannot be created (a path under a regular file).
    const blocked = path.join(sandbox.dir, 'state-blocked');
    await fs.writeFile(blocked, '');
    const service = await startService(sandbox, { env: { XDG_STATE_HOME: blocked } });
    try {
      expect((await call(`${service.url}/api/v1/servers/${name}/start`, { method: 'POST', token })).status).toBe(200);
    } finally {
      expect(await service.stop()).toBe(0);
      await sandbox.mcp(['remove', name, '--yes', '--purge']);
    }
    const lines = service.stderr().trim().split('\n');
    const notJson = lines.filter((line) => {
      try {
        JSON.parse(line);
        return false;
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
    const warnings = lines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((record) => record.level === 40);
    expect(warnings.map((record) => record.msg)).toContainEqual(expect.stringMatching(/^state not saved:/));
  });
});

describe('limits', () => {
  it('keeps at most --max-follows log follows open; the next gets 429 until one closes', async () => {
    const name = sandbox.name('follows');
    expect((await sandbox.mcp(['add', name, '--command', `docker run --init --stop-timeout=1 ${BUSYBOX_IMAGE} sh -c 'while true; do echo tick; sleep 1; done'`, '--start'])).exitCode).toBe(0);
    const token = await createToken(sandbox, 'follower', 'viewer');
    const service = await startService(sandbox, { args: ['--max-follows', '1'] });
    const url = `${service.url}/api/v1/servers/${name}/logs?follow=true&tail=1`;
    const headers = { authorization: `Bearer ${token}` };
    try {
      const first = new AbortController();
      const open = await fetch(url, { headers, signal: first.signal });
      expect(open.status).toBe(200);
      const refused = await call(url, { token });
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ error: { code: 'TOO_MANY_FOLLOWS' } });
      first.abort();
      const again = await waitFor('a follow slot', async () => {
        const attempt = new AbortController();
        const response = await fetch(url, { headers, signal: attempt.signal });
        attempt.abort();
        return response.status === 200 ? response.status : undefined;
      });
      expect(again).toBe(200);
    } finally {
      expect(await service.stop()).toBe(0);
      await sandbox.mcp(['remove', name, '--yes', '--purge']);
    }
  });
});

describe('shared observations', () => {
  it('reuses what a host said for --reuse-ms, and a change made through the service drops it at once', async () => {
    const name = sandbox.name('reuse');
    expect((await sandbox.mcp(['add', name, '--command', `docker run --init --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 600`, '--start'])).exitCode).toBe(0);
    const token = await createToken(sandbox, 'reuser', 'operator');
    const service = await startService(sandbox, { args: ['--reuse-ms', '60000'] });
    const state = async () => (await call<Array<{ config: { name: string }; status: { status: string } }>>(`${service.url}/api/v1/servers`, { token })).body.find((s) => s.config.name === name)?.status.status;
    try {
      expect(await state()).toBe('running');
      // Stopped behind the service's back (the CLI): the service keeps its answer for the minute.
      expect((await sandbox.mcp(['stop', name])).exitCode).toBe(0);
      expect(await state()).toBe('running');
      // Started through the service: the host's answer is dropped, the next list asks docker.
      expect((await call(`${service.url}/api/v1/servers/${name}/start`, { method: 'POST', token })).status).toBe(200);
      expect((await sandbox.mcp(['stop', name])).exitCode).toBe(0);
      expect(await state()).toBe('stopped');
    } finally {
      expect(await service.stop()).toBe(0);
      await sandbox.mcp(['remove', name, '--yes', '--purge']);
    }
  });
});

describe('stopping', () => {
  it('on SIGTERM lets a request in flight finish, ends a log follow, and exits 0', async () => {
    const name = sandbox.name('graceful');
    expect((await sandbox.mcp(['add', name, '--command', `docker run --init --stop-timeout=1 ${BUSYBOX_IMAGE} sh -c 'while true; do echo tick; sleep 1; done'`, '--start'])).exitCode).toBe(0);
    const token = await createToken(sandbox, 'graceful', 'viewer');
    const service = await startService(sandbox);
    const headers = { authorization: `Bearer ${token}` };
    const follow = await fetch(`${service.url}/api/v1/servers/${name}/logs?follow=true&tail=1`, { headers });
    expect(follow.status).toBe(200);
    // Wait for the first line, so the follow is really streaming when the signal comes.
    const reader = (follow.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let received = '';
    while (!received.includes('data: ')) {
      const chunk = await reader.read();
      if (chunk.done) break;
      received += decoder.decode(chunk.value, { stream: true });
    }
    expect(received).toContain('data: ');
    const followEnded = (async () => {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) return received;
        received += decoder.decode(chunk.value, { stream: true });
      }
    })();
    // A stats sample takes docker about 2 s: still in flight when the signal arrives.
    const slow = fetch(`${service.url}/api/v1/servers?stats=true`, { headers });
    await new Promise((resolve) => setTimeout(resolve, 300));
    service.child.kill('SIGTERM');
    const answer = await slow;
    const answered = Date.now();
    expect(answer.status).toBe(200);
    const servers = (await answer.json()) as Array<{ config: { name: string }; status: { resource_usage?: unknown } }>;
    expect(servers.find((s) => s.config.name === name)?.status.resource_usage).toBeDefined();
    // The stream ends (the promise settles) when the service stops.
    expect(await followEnded).toContain('data: ');
    expect(await service.stop()).toBe(0);
    // Once the last request is answered the process ends promptly, not at the 10 s grace after
    // which connections are cut: no idle keep-alive connection held it open.
    expect(Date.now() - answered).toBeLessThan(5000);
    expect(service.stderr()).toContain('shutting down');
  });
});

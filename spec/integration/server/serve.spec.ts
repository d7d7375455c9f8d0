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
import { BUSYBOX_IMAGE, freePort, Sandbox } from '../harness.js';
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
    [['--reuse-ms', '-5'], /--reuse-ms -5/],
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

describe('stopping', () => {
  it('on SIGTERM lets a request in flight finish, ends a log follow, and exits 0', async () => {
    const name = sandbox.name('graceful');
    expect((await sandbox.mcp(['add', name, '--command', `docker run --init --stop-timeout=1 ${BUSYBOX_IMAGE} sh -c 'while true; do echo tick; sleep 1; done'`, '--start'])).exitCode).toBe(0);
    const token = await createToken(sandbox, 'graceful', 'viewer');
    const service = await startService(sandbox);
    const headers = { authorization: `Bearer ${token}` };
    const follow = await fetch(`${service.url}/api/v1/servers/${name}/logs?follow=true&tail=1`, { headers });
    expect(follow.status).toBe(200);
    const followEnded = follow.text();
    // A stats sample takes docker about 2 s: still in flight when the signal arrives.
    const slow = fetch(`${service.url}/api/v1/servers?stats=true`, { headers });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    service.child.kill('SIGTERM');
    const answer = await slow;
    expect(answer.status).toBe(200);
    const servers = (await answer.json()) as Array<{ config: { name: string }; status: { resource_usage?: unknown } }>;
    expect(servers.find((s) => s.config.name === name)?.status.resource_usage).toBeDefined();
    expect(await followEnded).toContain('data: ');
    expect(await service.stop()).toBe(0);
    // Well under the 10 s grace after which connections are cut: nothing was left hanging.
    expect(Date.now() - started).toBeLessThan(8000);
    expect(service.stderr()).toContain('shutting down');
  });
});

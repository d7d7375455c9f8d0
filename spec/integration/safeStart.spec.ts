/**
 * Issue #9 defects 2, 8 and 11 on the real engine: a recreate never loses the working container,
 * a server that dies right after start is a failure with its exit code and last log lines, and
 * extra networks are connected between create and start.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { MCPServerData, ResultRecord } from '../../lib/data/models.js';
import { BUSYBOX_IMAGE, docker, freePort, Sandbox, TEST_IMAGE, waitFor } from './harness.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await Sandbox.create();
});

afterAll(async () => {
  await sandbox.dispose();
});


async function inspect(ref: string): Promise<{ Id: string; Name: string; State: { Status: string; ExitCode: number }; NetworkSettings: { Networks: Record<string, unknown> } } | undefined> {
  const result = await docker(['container', 'inspect', ref]);
  return result.exitCode === 0 ? JSON.parse(result.stdout)[0] : undefined;
}

/** The MCP test server answers HTTP on /mcp (any status means it is serving). */
async function serves(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/mcp`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

describe('recreate keeps the old container until the new one runs', () => {
  it('an image that cannot be pulled leaves the old container running, named and serving', async () => {
    const name = sandbox.name('keep');
    const port = await freePort();
    expect((await sandbox.mcp(['add', name, '--command', `docker run -p 127.0.0.1:${port}:8080 ${TEST_IMAGE}`])).exitCode).toBe(0);
    const [first] = await sandbox.mcpJson<ResultRecord[]>(['start', name]);
    expect(first).toMatchObject({ ok: true, action: 'created', status: 'running' });
    await waitFor('the server to serve', async () => ((await serves(port)) ? true : undefined));

    // Nothing listens on 127.0.0.1:9: the pull fails at once, and only loopback is touched.
    const text = (await sandbox.readRegistry()) ?? '';
    await fs.writeFile(sandbox.registry, text.replace(`${TEST_IMAGE}`, '127.0.0.1:9/msm/nothing:nope'));
    const failed = await sandbox.mcp(['start', name, '--json']);
    expect(failed.exitCode).toBe(1);
    const [record] = JSON.parse(failed.stdout) as ResultRecord[];
    expect(record).toMatchObject({ ok: false, status: 'running', container_id: first?.container_id });
    expect(record?.error).toContain('127.0.0.1:9');
    expect(record?.error).toContain('the previous container was put back and runs');

    const old = await inspect(name);
    expect(old).toMatchObject({ Id: first?.container_id, Name: `/${name}`, State: { Status: 'running' } });
    expect(await serves(port)).toBe(true);
  });

  it('a replacement that dies within the settle window brings the old one back', async () => {
    const name = sandbox.name('crashy');
    expect((await sandbox.mcp(['add', name, '--command', `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 900`])).exitCode).toBe(0);
    const [first] = await sandbox.mcpJson<ResultRecord[]>(['start', name]);
    const text = (await sandbox.readRegistry()) ?? '';
    await fs.writeFile(sandbox.registry, text.replace('sleep 900', `sh -c 'echo bad config; exit 4'`));
    const [record] = await sandbox.mcpJson<ResultRecord[]>(['start', name]);
    expect(record).toMatchObject({ ok: false, status: 'running', container_id: first?.container_id });
    expect(record?.error).toContain('exit code 4');
    expect(record?.error).toContain('bad config');
    expect((await inspect(name))?.State.Status).toBe('running');
    expect((await docker(['ps', '-aq', '--filter', `label=msm.name=${name}`])).stdout.trim().split('\n')).toHaveLength(1);
  });

  it('--cidfile commands recreate: the file is moved aside and rewritten with the new id', async () => {
    const name = sandbox.name('cid');
    const cidfile = path.join(sandbox.dir, `${name}.cid`);
    expect((await sandbox.mcp(['add', name, '--command', `docker run --cidfile ${cidfile} --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 900`])).exitCode).toBe(0);
    const [first] = await sandbox.mcpJson<ResultRecord[]>(['start', name]);
    expect(first).toMatchObject({ ok: true, action: 'created' });
    expect((await fs.readFile(cidfile, 'utf8')).trim()).toBe(first?.container_id);

    const [again] = await sandbox.mcpJson<ResultRecord[]>(['start', name, '--recreate']);
    expect(again).toMatchObject({ ok: true, action: 'recreated', status: 'running' });
    expect(again?.container_id).not.toBe(first?.container_id);
    expect((await fs.readFile(cidfile, 'utf8')).trim()).toBe(again?.container_id);
    expect(await inspect(first?.container_id ?? '')).toBeUndefined();
    expect(await fs.readdir(sandbox.dir)).not.toContain(`${name}.cid.msm-old`);
  });
});

describe('a server that dies right after start', () => {
  it('start exits 1 with the exit code and the last log line; get shows the exit code afterwards', async () => {
    const name = sandbox.name('dies');
    expect((await sandbox.mcp(['add', name, '--command', `docker run ${BUSYBOX_IMAGE} sh -c 'echo starting up; echo missing API_KEY >&2; exit 3'`])).exitCode).toBe(0);
    const started = await sandbox.mcp(['start', name]);
    expect(started.exitCode).toBe(1);
    expect(started.stdout).toContain('exit code 3');
    expect(started.stdout).toContain('missing API_KEY');

    const data = await sandbox.mcpJson<MCPServerData>(['get', name]);
    expect(data.status).toMatchObject({ status: 'error', exit_code: 3 });
  });

  it('--rm is dropped (with a notice at add), so the crashed container and its logs stay', async () => {
    const name = sandbox.name('rm');
    const added = await sandbox.mcp(['add', name, '--command', `docker run --rm ${BUSYBOX_IMAGE} sh -c 'echo gone; exit 5'`]);
    expect(added.exitCode).toBe(0);
    expect(added.stderr).toContain('--rm is left out');
    const started = await sandbox.mcp(['start', name, '--json']);
    expect(started.exitCode).toBe(1);
    expect(JSON.parse(started.stdout)[0]).toMatchObject({ ok: false, status: 'error' });
    expect((await inspect(name))?.State).toMatchObject({ Status: 'exited', ExitCode: 5 });
    expect((await sandbox.mcp(['log', name])).stdout).toContain('gone');
  });

  it('--settle 0 does not watch (the old behaviour, for servers that exit on purpose)', async () => {
    const name = sandbox.name('oneshot');
    expect((await sandbox.mcp(['add', name, '--command', `docker run ${BUSYBOX_IMAGE} sh -c 'sleep 1; exit 0'`])).exitCode).toBe(0);
    expect((await sandbox.mcp(['start', name, '--settle', '0'])).exitCode).toBe(0);
    expect((await sandbox.mcp(['start', name, '--settle', '-1'])).exitCode).toBe(2);
  });
});

describe('extra networks', () => {
  let networks: string[];

  beforeAll(async () => {
    networks = [sandbox.name('front'), sandbox.name('back')];
    for (const network of networks) expect((await docker(['network', 'create', network])).exitCode).toBe(0);
  });

  afterAll(async () => {
    await sandbox.dispose();
    for (const network of networks) await docker(['network', 'rm', network]);
  });

  it('are connected after create and before start', async () => {
    const name = sandbox.name('nets');
    const [front, back] = networks as [string, string];
    expect((await sandbox.mcp(['add', name, '--network', back, '--command', `docker run --network ${front} --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 900`])).exitCode).toBe(0);
    const [record] = await sandbox.mcpJson<ResultRecord[]>(['start', name]);
    expect(record).toMatchObject({ ok: true, action: 'created', status: 'running' });
    expect(Object.keys((await inspect(name))?.NetworkSettings.Networks ?? {}).sort()).toEqual([back, front].sort());
  });

  it('host or none with another network is refused at add, and nothing is stored', async () => {
    const before = await sandbox.readRegistry();
    const host = await sandbox.mcp(['add', sandbox.name('hostnet'), '--network', networks[0] as string, '--command', `docker run --network host ${BUSYBOX_IMAGE} sleep 1`]);
    expect(host.exitCode).toBe(2);
    expect(host.stderr).toContain('--network host cannot be combined with other networks');
    const none = await sandbox.mcp(['add', sandbox.name('nonet'), '--command', `docker run --network none --network ${networks[1]} ${BUSYBOX_IMAGE} sleep 1`]);
    expect(none.exitCode).toBe(2);
    expect(await sandbox.readRegistry()).toBe(before);
  });
});

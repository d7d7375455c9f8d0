/**
 * Issue #9, defects 5 and 6 on the real engine: containers are found by label, then by full ID
 * (a server name that is also an ID prefix never resolves to another container), and a registry
 * never touches a container another registry owns unless told to adopt it.
 */
import type { MCPServerData, ResultRecord } from '../../lib/data/models.js';
import { BUSYBOX_IMAGE, docker, Sandbox } from './harness.js';

async function labelsOf(container: string): Promise<Record<string, string>> {
  const out = await docker(['inspect', '--format', '{{json .Config.Labels}}', container]);
  return JSON.parse(out.stdout) as Record<string, string>;
}

async function stateOf(container: string): Promise<string> {
  return (await docker(['inspect', '--format', '{{.Id}} {{.State.Status}}', container])).stdout.trim();
}

describe('a server name that is also a container ID prefix (defect 5)', () => {
  let sandbox: Sandbox;
  const decoys: string[] = [];
  let prefix = '';

  beforeAll(async () => {
    sandbox = await Sandbox.create();
    // Two containers whose IDs share their first two hex digits: `docker inspect <prefix>` is then
    // ambiguous ("multiple IDs found"). Make decoys (not mcp's) until two of all IDs share one.
    for (let i = 0; i < 200 && !prefix; i++) {
      const rows = (await docker(['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Names}}'])).stdout.split('\n').filter(Boolean);
      const names = new Set(rows.map((row) => row.split(' ')[1]));
      const seen = new Map<string, number>();
      for (const row of rows) seen.set(row.slice(0, 2), (seen.get(row.slice(0, 2)) ?? 0) + 1);
      // Other suites share the engine: skip prefixes in use as names, and all-letter ones ("db",
      // "ab") that someone's test server may be called.
      prefix = [...seen].find(([p, n]) => n > 1 && /^[0-9a-f]{2}$/.test(p) && /[0-9]/.test(p) && !names.has(p))?.[0] ?? '';
      if (!prefix) decoys.push((await docker(['create', '--label', `msm-test-decoy=${sandbox.prefix}`, BUSYBOX_IMAGE, 'sleep', '1'])).stdout.trim());
    }
    expect(prefix).not.toBe('');
  }, 120_000);

  afterAll(async () => {
    const mine = (await docker(['ps', '-aq', '--filter', `label=msm-test-decoy=${sandbox.prefix}`])).stdout.split('\n').filter(Boolean);
    if (mine.length > 0) await docker(['rm', '-f', ...mine]);
    const registryId = /^id: (\S+)$/m.exec((await sandbox.readRegistry()) ?? '')?.[1];
    if (registryId) {
      const own = (await docker(['ps', '-aq', '--filter', `label=msm.registry=${registryId}`])).stdout.split('\n').filter(Boolean);
      if (own.length > 0) await docker(['rm', '-f', ...own]);
    }
    await sandbox.dispose();
  });

  it('list, start, get and stop see only the server\'s own container; the host is never "unknown"', async () => {
    const other = sandbox.name('other');
    expect((await sandbox.mcp(['add', prefix, '--command', `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 600`])).exitCode).toBe(0);
    expect((await sandbox.mcp(['add', other, '--command', `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 600`])).exitCode).toBe(0);
    expect((await sandbox.mcp(['start', other])).exitCode).toBe(0);

    const listed = await sandbox.mcpJson<MCPServerData[]>(['list']);
    expect(listed.map((s) => [s.config.name, s.status?.status, s.status?.state])).toEqual([
      [prefix, 'stopped', 'absent'],
      [other, 'running', 'running'],
    ]);

    const started = await sandbox.mcpJson<ResultRecord[]>(['start', prefix]);
    expect(started[0]).toMatchObject({ ok: true, action: 'created', status: 'running' });
    const id = started[0]?.container_id ?? '';
    expect((await labelsOf(id))['msm.name']).toBe(prefix);
    const got = await sandbox.mcpJson<MCPServerData>(['get', prefix]);
    expect(got.status?.container_info?.container_id).toBe(id);
    const stopped = await sandbox.mcpJson<ResultRecord[]>(['stop', prefix]);
    expect(stopped[0]).toMatchObject({ ok: true, action: 'stopped', container_id: id });
    for (const decoy of decoys) expect(await stateOf(decoy)).toBe(`${decoy} created`);
  });
});

describe('two registries with the same server name on one engine (defect 6)', () => {
  let a: Sandbox;
  let b: Sandbox;
  let name: string;

  beforeAll(async () => {
    [a, b] = await Promise.all([Sandbox.create(), Sandbox.create()]);
    name = a.name('shared');
  });

  afterAll(async () => {
    await docker(['rm', '-f', name]);
    await Promise.all([a.dispose(), b.dispose()]);
  });

  it("neither can stop, recreate or remove the other's container; --adopt takes it over", async () => {
    expect((await a.mcp(['add', name, '--command', `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 600`])).exitCode).toBe(0);
    // B registers the same name with another command: a plain start would recreate "its" container.
    expect((await b.mcp(['add', name, '--command', `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 601`])).exitCode).toBe(0);
    const created = await a.mcpJson<ResultRecord[]>(['start', name]);
    expect(created[0]).toMatchObject({ ok: true, action: 'created', status: 'running' });
    const idA = created[0]?.container_id ?? '';

    for (const args of [['start', name], ['start', name, '--recreate'], ['stop', name], ['restart', name]]) {
      const refused = await b.mcp(args);
      expect(await stateOf(name)).toBe(`${idA} running`);
      expect(refused.exitCode).toBe(1);
      expect(refused.stdout).toContain(`container "${name}" on localhost belongs to another registry (msm.registry=`);
      expect(refused.stdout).toContain('--adopt');
    }
    const registryA = /^id: (\S+)$/m.exec((await a.readRegistry()) ?? '')?.[1];
    expect(registryA).toMatch(/^[0-9a-f]{16}$/);
    expect((await labelsOf(idA))['msm.registry']).toBe(registryA);
    const purge = await b.mcp(['remove', name, '--yes', '--purge']);
    expect(purge.exitCode).toBe(1);
    expect(purge.stderr).toContain('belongs to another registry');
    expect(await stateOf(name)).toBe(`${idA} running`);
    expect((await b.mcpJson<MCPServerData[]>(['list'])).map((s) => s.config.name)).toEqual([name]);

    const adopted = await b.mcpJson<ResultRecord[]>(['start', name, '--adopt']);
    expect(adopted[0]).toMatchObject({ ok: true, action: 'adopted', status: 'running' });
    const idB = adopted[0]?.container_id ?? '';
    expect(idB).not.toBe(idA);
    const registryB = /^id: (\S+)$/m.exec((await b.readRegistry()) ?? '')?.[1];
    expect((await labelsOf(idB))['msm.registry']).toBe(registryB);
    expect((await docker(['inspect', '--format', '{{json .Config.Cmd}}', idB])).stdout.trim()).toBe('["sleep","601"]');

    // Now A is the stranger: it may look, not touch.
    const stopA = await a.mcp(['stop', name]);
    expect(stopA.exitCode).toBe(1);
    expect(stopA.stdout).toContain(`belongs to another registry (msm.registry=${registryB})`);
    expect(await stateOf(name)).toBe(`${idB} running`);
    const seenByA = await a.mcpJson<MCPServerData>(['get', name]);
    expect(seenByA.status?.status).toBe('error');
    expect(seenByA.status?.error).toContain('belongs to another registry');
  });

  it('a container from before registry ids is adoptable, not silently taken', async () => {
    const legacy = a.name('legacy');
    await docker(['run', '-d', '--name', legacy, '--label', `msm.name=${legacy}`, '--stop-timeout=1', BUSYBOX_IMAGE, 'sleep', '600']);
    expect((await a.mcp(['add', legacy, '--command', `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 600`])).exitCode).toBe(0);
    const listed = await a.mcpJson<MCPServerData[]>(['list']);
    const status = listed.find((s) => s.config.name === legacy)?.status;
    expect(status?.status).toBe('running');
    expect(status?.error).toContain('older mcp without a registry id');
    const stop = await a.mcp(['stop', legacy]);
    expect(stop.exitCode).toBe(1);
    expect(stop.stdout).toContain(`mcp start ${legacy} --adopt`);
    const adopted = await a.mcpJson<ResultRecord[]>(['start', legacy, '--adopt']);
    expect(adopted[0]).toMatchObject({ ok: true, action: 'adopted', status: 'running' });
    expect((await a.mcpJson<ResultRecord[]>(['stop', legacy]))[0]).toMatchObject({ ok: true, action: 'stopped' });
  });
});

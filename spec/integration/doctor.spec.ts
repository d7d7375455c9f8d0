/**
 * `mcp doctor` against real parts: the local engine, an SSH namespace host, a refused host, a key
 * open to others, a registry writable by others, an image missing on a host, a port taken.
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Ajv } from 'ajv';
import { BUSYBOX_IMAGE, freePort, ROOT, type Sandbox } from './harness.js';
import { fleetSandbox, readTestHosts } from './fleetHarness.js';

let sandbox: Sandbox;
let vars: NodeJS.ProcessEnv;
let blocker: net.Server;
let takenPort: number;

beforeAll(async () => {
  const env = await readTestHosts();
  ({ sandbox, vars } = await fleetSandbox(env, { trusted: ['h1'], aliases: { alpha: 'h1', dead: env.refused.name } }));
  const key = path.join(sandbox.dir, 'loose_key');
  await fs.writeFile(key, 'not really a key\n', { mode: 0o644 });
  await fs.chmod(key, 0o644);
  await fs.appendFile(path.join(sandbox.dir, 'hosts.yaml'), `  loose:\n    address: 10.213.1.2\n    identity_file: ${key}\n`);
  takenPort = await freePort();
  blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(takenPort, '127.0.0.1', resolve));
  const mcp = (args: string[]) => sandbox.mcp(args, vars);
  expect((await mcp(['add', sandbox.name('blocked'), '--command', `docker run -d -p 127.0.0.1:${takenPort}:80 ${BUSYBOX_IMAGE} sleep 60`])).exitCode).toBe(0);
  expect((await mcp(['add', sandbox.name('far'), '--host', 'alpha', '--command', 'docker run -d msm-doctor-missing:1 sleep 60'])).exitCode).toBe(0);
  await fs.chmod(sandbox.registry, 0o666);
});

afterAll(async () => {
  blocker.close();
  await sandbox.dispose();
});

it('reports each check with its fix, and exits 1 when something fails', async () => {
  const result = await sandbox.mcp(['doctor', '--json'], vars);
  expect(result.exitCode).toBe(1);
  const report = JSON.parse(result.stdout) as { ok: boolean; checks: Array<{ check: string; status: string; detail: string; fix: string | null }> };
  const validate = new Ajv({ strict: true }).compile(JSON.parse(await fs.readFile(path.join(ROOT, 'docs/schemas/doctor.json'), 'utf8')) as object);
  expect(validate(report)).toBe(true);
  expect(report.ok).toBe(false);
  const byName = new Map(report.checks.map((check) => [check.check, check]));
  expect(byName.get('docker client')?.status).toBe('ok');
  expect(byName.get('host localhost')?.status).toBe('ok');
  expect(byName.get('host alpha')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^docker engine \S+, answered in \d+ ms$/) });
  expect(byName.get('host alpha: clock')?.status).toBe('ok');
  expect(byName.get('host dead')).toMatchObject({ status: 'fail', fix: expect.stringContaining('mcp hosts check dead') });
  expect(byName.get('host loose: key')).toMatchObject({ status: 'fail', fix: expect.stringMatching(/^chmod 600 /) });
  expect(byName.get('registry file')).toMatchObject({ status: 'warn', fix: `chmod go-w ${sandbox.registry}` });
  expect(byName.get(`image msm-doctor-missing:1 for ${sandbox.name('far')} on alpha`)).toMatchObject({ status: 'warn', fix: `mcp pull ${sandbox.name('far')}` });
  expect(byName.get(`image ${BUSYBOX_IMAGE} for ${sandbox.name('blocked')} on localhost`)?.status).toBe('ok');
  expect(byName.get(`port ${takenPort} for ${sandbox.name('blocked')}`)).toMatchObject({ status: 'fail', detail: expect.stringContaining('in use by another process') });

  const text = await sandbox.mcp(['doctor'], vars);
  expect(text.exitCode).toBe(1);
  expect(text.stdout).toMatch(/^✖ host dead: .* — fix: /m);
  expect(text.stdout).toMatch(/^✔ docker client: /m);
  expect(text.stdout).toMatch(/problems found$/m);
}, 60_000);

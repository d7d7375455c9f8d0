/**
 * Issue #9, "code that goes with it": what the user is shown of commands and ports is exact.
 * --dry-run shows the host's docker prefix, --verbose prints argv a shell can take back, and list
 * prints ports as docker does (protocol kept; IPv6 in brackets is in the unit tests).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { BUSYBOX_IMAGE, freePort, Sandbox } from './harness.js';

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await Sandbox.create();
});

afterEach(async () => {
  await sandbox.dispose();
});

it('--dry-run shows the docker command of the host (hosts.yaml `docker:`), and the registry label', async () => {
  await fs.writeFile(path.join(sandbox.dir, 'hosts.yaml'), 'hosts:\n  beta:\n    address: 10.213.2.2\n    docker: sudo -n docker\n');
  const name = sandbox.name('dry');
  expect((await sandbox.mcp(['add', name, '--host', 'beta', '--command', `docker run ${BUSYBOX_IMAGE} sleep 600`])).exitCode).toBe(0);
  const plan = JSON.parse((await sandbox.mcp(['start', name, '--dry-run', '--json'])).stdout) as Array<{ argv: string[] }>;
  expect(plan[0]?.argv.slice(0, 4)).toEqual(['sudo', '-n', 'docker', 'run']);
  const id = /^id: (\S+)$/m.exec((await sandbox.readRegistry()) ?? '')?.[1];
  expect(plan[0]?.argv).toContain(`--label=msm.registry=${id}`);
  const human = await sandbox.mcp(['start', name, '--dry-run']);
  expect(human.stdout).toContain(`${name} @beta: sudo -n docker run --detach`);
});

it('--verbose prints each docker command quoted, so it can be pasted into a shell', async () => {
  const name = sandbox.name('verb');
  expect((await sandbox.mcp(['add', name, '--command', `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sh -c 'echo a b; sleep 600'`])).exitCode).toBe(0);
  const run = await sandbox.mcp(['start', name, '--verbose']);
  expect(run.exitCode).toBe(0);
  const line = run.stderr.split('\n').find((l) => l.includes(' create '));
  expect(line).toMatch(/\[localhost\] \$ docker create .* msm-busybox:latest sh -c 'echo a b; sleep 600'$/);
  expect(run.stderr).toContain("--format '{{.ID}}\t");
});

it('list prints ports as docker does, with their protocol', async () => {
  const name = sandbox.name('ports');
  const [p1, p2] = [await freePort(), await freePort()];
  expect((await sandbox.mcp(['add', name, '--command', `docker run --stop-timeout=1 -p 127.0.0.1:${p1}:8080 -p ${p2}:9000/udp ${BUSYBOX_IMAGE} sleep 600`])).exitCode).toBe(0);
  expect((await sandbox.mcp(['start', name])).exitCode).toBe(0);
  const list = await sandbox.mcp(['list']);
  expect(list.stdout).toContain(`127.0.0.1:${p1}->8080/tcp`);
  expect(list.stdout).toContain(`0.0.0.0:${p2}->9000/udp`);
});

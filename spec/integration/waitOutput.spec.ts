/**
 * `start --wait` reports one final state per server: a server that started but never became
 * healthy gets one ✖ line, never a ✔ first (in CI and in a terminal).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { BUSYBOX_IMAGE, CLI, freePort, Sandbox } from './harness.js';

let sandbox: Sandbox;
let good: string;
let bad: string;

beforeAll(async () => {
  sandbox = await Sandbox.create();
  good = sandbox.name('good');
  bad = sandbox.name('bad');
  const port = await freePort();
  expect((await sandbox.mcp(['add', good, '--command', `docker run -d ${BUSYBOX_IMAGE} sleep 300`])).exitCode).toBe(0);
  // Runs, but nothing ever listens on its port: the TCP check fails until the deadline.
  expect((await sandbox.mcp(['add', bad, '--port', String(port), '--health', 'tcp', '--command', `docker run -d ${BUSYBOX_IMAGE} sleep 300`])).exitCode).toBe(0);
});

afterAll(async () => {
  await sandbox.dispose();
});

const linesAbout = (output: string, name: string) => output.split('\n').filter((line) => line.includes(`${name} `));

it('in CI: one line per server, with its final state', async () => {
  const result = await sandbox.mcp(['start', good, bad, '--wait', '--timeout', '3'], { CI: '1' });
  expect(result.exitCode).toBe(3);
  expect(linesAbout(result.stdout, good)).toEqual([expect.stringMatching(/^✔ /)]);
  expect(linesAbout(result.stdout, bad)).toEqual([expect.stringMatching(/^✖ /)]);
  expect(result.stdout).toMatch(/2 servers: 1 ok, 1 failed/);
});

it('in a terminal: the failing server is never marked ✔', async () => {
  await sandbox.mcp(['stop', '--all']);
  const command = `stty cols 200; '${process.execPath}' '${CLI}' start '${good}' '${bad}' --wait --timeout 3`;
  const output = await new Promise<string>((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', MSM_REGISTRY: sandbox.registry, MSM_HOSTS: path.join(sandbox.dir, 'hosts.yaml') };
    delete env.CI;
    execFile('script', ['-qec', command, '/dev/null'], { env }, (_error, stdout) => resolve(stdout));
  });
  const plain = output.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
  expect(plain).toMatch(new RegExp(`✖ .*${bad}`));
  expect(plain).not.toMatch(new RegExp(`✔ .*${bad}`));
  expect(plain).toMatch(new RegExp(`✔ .*${good}`));
});

/**
 * `log -f --json` streams NDJSON (time, host, name, stream, line), and a follow outlives the
 * container: a restart and a recreate are followed into, with no line repeated, until Ctrl-C.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Ajv } from 'ajv';
import { BUSYBOX_IMAGE, CLI, ROOT, Sandbox, waitFor } from './harness.js';

let sandbox: Sandbox;
let name: string;

beforeAll(async () => {
  sandbox = await Sandbox.create();
  name = sandbox.name('ticker');
  const add = await sandbox.mcp(['add', name, '--command', `docker run -d ${BUSYBOX_IMAGE} sh -c "while true; do echo tick; sleep 0.3; done"`]);
  expect(add.exitCode).toBe(0);
  expect((await sandbox.mcp(['start', name])).exitCode).toBe(0);
});

afterAll(async () => {
  await sandbox.dispose();
});

it('follows through a restart and a recreate as NDJSON, each line once, and exits 0 on Ctrl-C', async () => {
  const schema = JSON.parse(await fs.readFile(path.join(ROOT, 'docs/schemas/log-follow.json'), 'utf8')) as object;
  const validate = new Ajv({ strict: true }).compile(schema);
  const child = spawn(process.execPath, [CLI, 'log', name, '-f', '--json', '--tail', '1'], {
    env: { ...process.env, MSM_REGISTRY: sandbox.registry, MSM_HOSTS: path.join(sandbox.dir, 'hosts.yaml'), NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const objects = () => stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { time: string; host: string; name: string; stream: string; line: string });

  await waitFor('the first lines', async () => (objects().length >= 2 ? true : undefined));
  expect((await sandbox.mcp(['restart', name])).exitCode).toBe(0);
  const before = objects().length;
  await waitFor('lines after the restart', async () => (objects().length >= before + 3 ? true : undefined), 30_000);
  expect((await sandbox.mcp(['start', name, '--recreate'])).exitCode).toBe(0);
  const afterRecreate = objects().length;
  await waitFor('lines from the new container', async () => (objects().length >= afterRecreate + 3 ? true : undefined), 30_000);

  child.kill('SIGINT');
  expect(await exited).toBe(0);
  expect(stderr).toBe('');
  const lines = objects();
  for (const object of lines) {
    expect(validate(object)).toBe(true);
    expect(object).toMatchObject({ host: 'localhost', name, stream: 'stdout', line: 'tick' });
  }
  // No line twice: every line carries a later timestamp than the one before.
  const times = lines.map((object) => object.time);
  expect(new Set(times).size).toBe(times.length);
  expect([...times].sort((a, b) => Date.parse(a) - Date.parse(b) || a.localeCompare(b))).toEqual(times);
}, 90_000);

/**
 * The launcher's code cache and the registry's parsed copy, through the built CLI: where they are
 * written, that they are private, that a bad or foreign one is never trusted, that a failed command
 * writes none, and that MSM_CACHE=off leaves no trace.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { CLI, Sandbox, waitFor } from './harness.js';

let sandbox: Sandbox;
let cache: string;

beforeEach(async () => {
  sandbox = await Sandbox.create();
  cache = path.join(sandbox.dir, 'cache');
  await sandbox.mcp(['add', sandbox.name('c'), '--command', 'docker run --rm msm-busybox:latest sleep 5'], { MSM_CACHE: 'off' });
});

afterEach(async () => {
  await sandbox.dispose();
});

async function files(dir: string): Promise<string[]> {
  return (await fs.readdir(dir).catch(() => [] as string[])).sort();
}

function listJson(env: NodeJS.ProcessEnv = { MSM_CACHE: cache }): Promise<string> {
  return sandbox.mcp(['list', '--json'], env).then((run) => {
    expect(run.exitCode).toBe(0);
    // Every field but the moment of observation.
    return run.stdout.replace(/"last_check": "[^"]*"/g, '');
  });
}

it('the first run of a command writes its compiled code, private to the user, and later runs read it', async () => {
  const plain = await listJson({ MSM_CACHE: 'off' });
  expect(await listJson()).toBe(plain);
  const written = (await files(cache)).filter((name) => name.endsWith('.v8'));
  expect(written).toEqual([expect.stringMatching(/^cli-[0-9a-f]{16}-v\d+\.\d+\.\d+-\w+-list\.v8$/)]);
  const file = path.join(cache, written[0] as string);
  expect((await fs.stat(cache)).mode & 0o777).toBe(0o700);
  expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
  const { mtimeMs } = await fs.stat(file);
  expect(await listJson()).toBe(plain);
  // Accepted, so not written again.
  expect((await fs.stat(file)).mtimeMs).toBe(mtimeMs);
});

it('a cache V8 refuses (garbage here) is compiled around and replaced', async () => {
  await listJson();
  const [name] = (await files(cache)).filter((entry) => entry.endsWith('.v8'));
  const file = path.join(cache, name as string);
  const garbage = Buffer.alloc(4096, 7);
  await fs.writeFile(file, garbage);
  expect(await listJson()).toBe(await listJson({ MSM_CACHE: 'off' }));
  expect((await fs.readFile(file)).equals(garbage)).toBe(false);
});

it('a cache others could have written is not read, and is replaced by a private one', async () => {
  await listJson();
  const [name] = (await files(cache)).filter((entry) => entry.endsWith('.v8'));
  const file = path.join(cache, name as string);
  await fs.chmod(file, 0o666);
  await listJson();
  expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
});

it('a command that fails writes no cache', async () => {
  const run = await sandbox.mcp(['get', 'no-such-server'], { MSM_CACHE: cache });
  expect(run.exitCode).toBe(2);
  expect((await files(cache)).filter((name) => name.endsWith('.v8'))).toEqual([]);
});

it('MSM_CACHE=off writes nothing; a relative MSM_CACHE falls back to $XDG_CACHE_HOME/msm', async () => {
  const xdg = path.join(sandbox.dir, 'xdg');
  await listJson({ MSM_CACHE: 'off', XDG_CACHE_HOME: xdg });
  expect(await files(xdg)).toEqual([]);
  await listJson({ MSM_CACHE: 'relative/dir', XDG_CACHE_HOME: xdg });
  expect((await files(path.join(xdg, 'msm'))).some((name) => name.endsWith('-list.v8'))).toBe(true);
});

it('the parsed registry is kept for a settled registry and follows every change to it', async () => {
  const past = new Date(Date.now() - 3_600_000);
  await fs.utimes(sandbox.registry, past, past);
  await listJson();
  const copies = (await files(cache)).filter((name) => name.startsWith('parsed-'));
  expect(copies).toHaveLength(1);
  expect((await fs.stat(path.join(cache, copies[0] as string))).mode & 0o777).toBe(0o600);
  // mcp's own write, then a list: the new server is there.
  await sandbox.mcp(['add', sandbox.name('d'), '--command', 'docker run --rm msm-busybox:latest sleep 5'], { MSM_CACHE: cache });
  const listed = await sandbox.mcpJson<Array<{ config: { name: string } }>>(['list'], { MSM_CACHE: cache });
  const names = listed.map((server) => server.config.name);
  expect(names).toEqual([sandbox.name('c'), sandbox.name('d')]);
});

describe('at a terminal', () => {
  const socket = `msm-caches-${process.pid}`;
  const tmux = (...args: string[]) =>
    new Promise<string>((resolve, reject) => execFile('tmux', ['-L', socket, ...args], (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(stdout))));
  const screen = () => tmux('capture-pane', '-p', '-t', 'caches');

  afterAll(async () => {
    await tmux('kill-server').catch(() => undefined);
  });

  it("a command that asks (remove's confirmation) works the same from its cache, and prints no warning", async () => {
    const second = sandbox.name('d');
    expect((await sandbox.mcp(['add', second, '--command', 'docker run --rm msm-busybox:latest sleep 5'], { MSM_CACHE: 'off' })).exitCode).toBe(0);
    const env = `MSM_REGISTRY='${sandbox.registry}' MSM_HOSTS='${path.join(sandbox.dir, 'hosts.yaml')}' XDG_STATE_HOME='${sandbox.stateHome}' MSM_CACHE='${cache}' NO_COLOR=1`;
    await tmux('new-session', '-d', '-s', 'caches', '-x', '160', '-y', '30', 'bash --norc --noprofile');
    // The first remove compiles and, exiting 0, writes the cache; the second runs from it.
    for (const [round, name] of [sandbox.name('c'), second].entries()) {
      // `env -u CI`: mcp asks only where no CI variable says nobody is there to answer.
      await tmux('send-keys', '-t', 'caches', `env -u CI ${env} '${process.execPath}' '${CLI}' remove ${name}; echo "done-${round} $?"`, 'Enter');
      await waitFor(`the question for ${name}`, async () => ((await screen()).includes(`Unregister ${name}? [y/N]`) ? true : undefined));
      await tmux('send-keys', '-t', 'caches', 'y', 'Enter');
      await waitFor(`remove ${name} to end`, async () => ((await screen()).match(new RegExp(`done-${round} \\d+`)) ? true : undefined));
      expect(await screen()).toContain(`done-${round} 0`);
    }
    expect((await files(cache)).filter((name) => name.endsWith('-remove.v8'))).toHaveLength(1);
    const text = await screen();
    expect(text).not.toMatch(/Warning|dynamic import/i);
    expect(await sandbox.readRegistry()).not.toContain(second);
  }, 60_000);
});

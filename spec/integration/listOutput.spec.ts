/**
 * `mcp list` for people: a HEALTH column, STATE only where it adds to STATUS, the MCP endpoint
 * with --wide, --watch redrawing in place in a real terminal (tmux, on a private socket), and
 * --watch keeping one SSH connection per host from one refresh to the next.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { BUSYBOX_IMAGE, CLI, freePort, Sandbox, TEST_IMAGE, waitFor } from './harness.js';
import { fleetSandbox, host, readTestHosts } from './fleetHarness.js';

let sandbox: Sandbox;
let web: string;
let idle: string;

beforeAll(async () => {
  sandbox = await Sandbox.create();
  web = sandbox.name('web');
  idle = sandbox.name('idle');
  const port = await freePort();
  expect((await sandbox.mcp(['add', web, '--port', String(port), '--command', `docker run -d -p 127.0.0.1:${port}:8080 ${TEST_IMAGE}`])).exitCode).toBe(0);
  expect((await sandbox.mcp(['add', idle, '--command', 'docker run -d msm-busybox:latest sleep 300'])).exitCode).toBe(0);
  expect((await sandbox.mcp(['start', web, '--wait'])).exitCode).toBe(0);
});

afterAll(async () => {
  await sandbox.dispose();
});

/** The table as rows of cells (columns are separated by two or more spaces). */
function table(stdout: string): Record<string, string>[] {
  const lines = stdout.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('!') && !line.startsWith('*'));
  const header = lines[0] ?? '';
  const starts = [...header.matchAll(/\S+/g)].map((match) => match.index ?? 0);
  return lines.slice(1).map((line) =>
    Object.fromEntries(starts.map((start, i) => [header.slice(start).split(/\s+/)[0] ?? '', line.slice(start, starts[i + 1] ?? line.length).trim()])),
  );
}

it('has a HEALTH column, and STATE only where it says more than STATUS', async () => {
  const plain = table((await sandbox.mcp(['list'])).stdout);
  const byName = new Map(plain.map((row) => [row.NAME, row]));
  expect(byName.get(web)).toMatchObject({ STATUS: 'running', STATE: '', HEALTH: '–' });
  expect(byName.get(idle)).toMatchObject({ STATUS: 'stopped', STATE: 'absent', HEALTH: '–' });
  const checked = new Map(table((await sandbox.mcp(['list', '--health'])).stdout).map((row) => [row.NAME, row]));
  expect(checked.get(web)?.HEALTH).toBe('healthy');
  expect(checked.get(idle)?.HEALTH).toBe('–');
});

it('--wide adds the MCP endpoint', async () => {
  const wide = new Map(table((await sandbox.mcp(['list', '--wide'])).stdout).map((row) => [row.NAME, row]));
  expect(wide.get(web)?.MCP).toBe(`mcp connect ${web}`);
  expect(wide.get(web)?.IMAGE).toBe(TEST_IMAGE);
});

it('--watch refuses --json, and --interval needs --watch', async () => {
  expect((await sandbox.mcp(['list', '--watch', '--json'])).exitCode).toBe(2);
  const interval = await sandbox.mcp(['list', '--interval', '1']);
  expect(interval.exitCode).toBe(2);
  expect(interval.stderr).toContain('--interval only applies with --watch');
});

it('--watch runs as long as it is left, with nothing piling up: no warning after a dozen refreshes', async () => {
  const { child, done } = sandbox.spawnMcp(['list', '--watch', '--interval', '1']);
  let refreshes = 0;
  child.stdout?.on('data', (chunk: string) => (refreshes += (chunk.match(/^-- /gm) ?? []).length));
  await waitFor('twelve refreshes', async () => (refreshes >= 12 ? true : undefined), 30_000);
  child.kill('SIGINT');
  const result = await done;
  expect(result.exitCode).toBe(0);
  // Each wait once left a listener on the abort signal; the eleventh made Node warn of a leak.
  expect(result.stderr).toBe('');
}, 45_000);

describe('--watch in a terminal', () => {
  const socket = `msm-cli-${process.pid}`;
  const tmux = (...args: string[]) =>
    new Promise<string>((resolve, reject) => execFile('tmux', ['-L', socket, ...args], (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(stdout))));
  const screen = () => tmux('capture-pane', '-p', '-t', 'watch');

  afterAll(async () => {
    await tmux('kill-server').catch(() => undefined);
  });

  it('redraws the table in place as a server changes, and Ctrl-C ends it with exit 0', async () => {
    const env = `MSM_REGISTRY='${sandbox.registry}' MSM_HOSTS='${path.join(sandbox.dir, 'hosts.yaml')}' NO_COLOR=1`;
    await tmux('new-session', '-d', '-s', 'watch', '-x', '120', '-y', '30', `env ${env} '${process.execPath}' '${CLI}' list --watch --interval 1; echo "exited $?"; sleep 30`);
    await waitFor('the first table', async () => ((await screen()).includes(idle) ? true : undefined));
    expect((await screen()).match(new RegExp(`${idle}\\s+localhost\\s+stopped`))).not.toBeNull();
    expect((await sandbox.mcp(['start', idle])).exitCode).toBe(0);
    const updated = await waitFor('the table to show the server running', async () => {
      const text = await screen();
      return new RegExp(`${idle}\\s+localhost\\s+running`).test(text) ? text : undefined;
    });
    // In place: one header on the screen, not a scroll of tables.
    expect(updated.match(/^NAME\s+HOST\s+STATUS/gm)).toHaveLength(1);
    await tmux('send-keys', '-t', 'watch', 'C-c');
    await waitFor('the command to end', async () => ((await screen()).includes('exited 0') ? true : undefined));
  }, 60_000);
});

describe('--watch on an SSH host', () => {
  /** The local ports of this process's established connections to address:port (ss, as root). */
  const connectionsOf = (pid: number, address: string, port: number) =>
    new Promise<string[]>((resolve, reject) =>
      execFile('ss', ['-Htnp', 'state', 'established', 'dst', `${address}:${port}`], (error, stdout) => {
        if (error) return reject(error);
        const mine = stdout.split('\n').filter((line) => line.includes(`pid=${pid},`));
        resolve(mine.map((line) => line.trim().split(/\s+/)[2]?.split(':').pop() ?? ''));
      }),
    );

  it('asks the host over one connection for every refresh, and ends with exit 0 at Ctrl-C', async () => {
    const env = await readTestHosts();
    const h1 = host(env, 'h1');
    const { sandbox: fleet, vars } = await fleetSandbox(env, { trusted: ['h1'], aliases: { alpha: 'h1' } });
    try {
      const name = fleet.name('watched');
      expect((await fleet.mcp(['add', name, '--host', 'alpha', '--command', `docker run -d ${BUSYBOX_IMAGE} sleep 300`], vars)).exitCode).toBe(0);
      const { child, done } = fleet.spawnMcp(['list', '--watch', '--interval', '1'], vars);
      let refreshes = 0;
      // Without a terminal every refresh begins with a "-- <time>" line.
      child.stdout?.on('data', (chunk: string) => (refreshes += (chunk.match(/^-- /gm) ?? []).length));
      const ports = new Set<string>();
      let ended = false;
      void done.then(() => (ended = true));
      const deadline = Date.now() + 30_000;
      // Looked at often, so that a connection opened for one refresh only is seen too.
      while (refreshes < 4 && !ended && Date.now() < deadline) {
        for (const port of await connectionsOf(child.pid as number, h1.address, h1.port)) ports.add(port);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(refreshes).toBeGreaterThanOrEqual(4);
      child.kill('SIGINT');
      const result = await done;
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain(name);
      // One connection (one local port) served all four; a connection per refresh shows several.
      expect([...ports]).toHaveLength(1);
    } finally {
      await fleet.dispose();
    }
  }, 60_000);
});

/**
 * Issue #9 defect 1: Ctrl-C (SIGINT to the whole foreground process group) or SIGTERM during
 * `mcp start --all` must never reach a container. docker runs in its own process group, the
 * docker calls in flight finish, nothing new starts, the partial result is printed, exit 130.
 */
import { BUSYBOX_IMAGE, docker, type Run, Sandbox } from './harness.js';
import { fleetSandbox, host, hostDocker, readTestHosts, type TestHost } from './fleetHarness.js';

const COUNT = 10;

interface Seen {
  name: string;
  state: string;
  exitCode: number;
}

/** Every container of this sandbox on an engine, with its state. */
async function containersOf(prefix: string, on: (args: string[]) => Promise<Run>): Promise<Seen[]> {
  const ps = await on(['ps', '-a', '--filter', 'label=msm.name', '--format', '{{.Label "msm.name"}} {{.ID}}']);
  const seen: Seen[] = [];
  for (const line of ps.stdout.split('\n').filter((l) => l.startsWith(prefix))) {
    const [name = '', id = ''] = line.split(' ');
    const inspect = await on(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', id]);
    const [state = '', exitCode = ''] = inspect.stdout.trim().split(' ');
    seen.push({ name, state, exitCode: Number(exitCode) });
  }
  return seen.sort((a, b) => a.name.localeCompare(b.name));
}

/** The names printed after "not started:" / "started:" in the interrupted summary. */
function group(output: string, label: 'started' | 'not started'): string[] {
  const line = output.split('\n').find((l) => l.startsWith(`${label}:`));
  return line ? line.slice(label.length + 1).split(',').map((s) => s.trim()).filter((s) => s && s !== '(none)').sort() : [];
}

async function interruptedStart(
  sandbox: Sandbox,
  names: string[],
  signal: NodeJS.Signals,
  on: (args: string[]) => Promise<Run>,
  env: NodeJS.ProcessEnv = {},
): Promise<{ result: Run; seen: Seen[] }> {
  const { child, done } = sandbox.spawnMcp(['start', '--all'], env);
  // The moment the first container exists, docker calls are in flight and some servers wait for a slot.
  let exited: Run | undefined;
  void done.then((result) => (exited = result));
  // Signal the moment the first container exists: docker calls are in flight, some servers still
  // wait for a slot (8 per host at once).
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`mcp exited before any container existed: ${JSON.stringify(exited)}`);
    if (Date.now() > deadline) throw new Error('no container appeared within 30 s');
    const ps = await on(['ps', '-aq', '--filter', `label=msm.name`, '--filter', `name=${sandbox.prefix}`]);
    if (ps.stdout.trim() !== '') break;
  }
  process.kill(-(child.pid as number), signal);
  const result = await done;
  const seen = await containersOf(sandbox.prefix, on);
  expect(names.length).toBe(COUNT);
  return { result, seen };
}

function expectNothingHarmed(result: Run, seen: Seen[], names: string[]): void {
  const existing = seen.map((s) => s.name);
  const absent = names.filter((n) => !existing.includes(n)).sort();
  const observed = {
    exitCode: result.exitCode,
    // Every container that exists runs: none was killed by the signal, none left half-created.
    notRunning: seen.filter((s) => s.state !== 'running'),
    started: group(result.stdout, 'started'),
    notStarted: group(result.stdout, 'not started'),
  };
  const expected = { exitCode: 130, notRunning: [], started: existing, notStarted: absent };
  if (JSON.stringify(observed) !== JSON.stringify(expected)) {
    throw new Error(`expected ${JSON.stringify(expected)}\ngot ${JSON.stringify(observed)}\noutput:\n${result.stdout}${result.stderr}`);
  }
  expect(absent.length).toBeGreaterThan(0);
}

describe('interrupting start --all on the local engine', () => {
  let sandbox: Sandbox;
  let names: string[];

  beforeEach(async () => {
    sandbox = await Sandbox.create();
    names = Array.from({ length: COUNT }, (_, i) => sandbox.name(`i${i}`));
    for (const name of names) expect((await sandbox.mcp(['add', name, '--command', `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 900`])).exitCode).toBe(0);
  });

  afterEach(async () => {
    await sandbox.dispose();
  });

  it('SIGINT to the process group: started ones keep running, the rest are absent, both are named, exit 130', async () => {
    const { result, seen } = await interruptedStart(sandbox, names, 'SIGINT', (args) => docker(args));
    expectNothingHarmed(result, seen, names);
  });

  it('SIGTERM to mcp alone does the same', async () => {
    const { result, seen } = await interruptedStart(sandbox, names, 'SIGTERM', (args) => docker(args));
    expectNothingHarmed(result, seen, names);
  });
});

describe('interrupting start --all on an SSH host', () => {
  let h1: TestHost;
  let sandbox: Sandbox;
  let vars: NodeJS.ProcessEnv;
  let names: string[];

  beforeAll(async () => {
    const env = await readTestHosts();
    h1 = host(env, 'h1');
    ({ sandbox, vars } = await fleetSandbox(env, { trusted: ['h1'], aliases: { alpha: 'h1' } }));
    names = Array.from({ length: COUNT }, (_, i) => sandbox.name(`r${i}`));
    for (const name of names) {
      expect((await sandbox.mcp(['add', name, '--host', 'alpha', '--command', `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 900`], vars)).exitCode).toBe(0);
    }
  });

  afterAll(async () => {
    const leftovers = await containersOf(sandbox.prefix, (args) => hostDocker(h1, args));
    if (leftovers.length > 0) await hostDocker(h1, ['rm', '-f', ...leftovers.map((c) => c.name)]);
    await sandbox.dispose();
  });

  it('SIGINT to the process group leaves no half-created or killed container on the host', async () => {
    const { result, seen } = await interruptedStart(sandbox, names, 'SIGINT', (args) => hostDocker(h1, args), vars);
    expectNothingHarmed(result, seen, names);
  });
});

/**
 * Issue #9 defect 3: each docker command's deadline comes from what it does (a stop: the
 * container's own stop timeout + a margin), `--timeout` bounds it, and a deadline that passes is
 * said as such ("timed out after N s") with the state read again: never "docker failed without a
 * message". Locally and over SSH, where the remote docker command carries on after we stop waiting.
 */
import { BUSYBOX_IMAGE, docker, type Run, Sandbox, waitFor } from './harness.js';
import { fleetSandbox, host, hostDocker, readTestHosts, type TestHost } from './fleetHarness.js';

interface StopRecord {
  ok: boolean;
  action: string | null;
  status: string;
  error: string | null;
}

// busybox sleep as PID 1 ignores SIGTERM: docker stop waits the whole stop timeout, then kills it.
const SLOW_TO_STOP = `docker run --stop-timeout=6 ${BUSYBOX_IMAGE} sleep 900`;

async function stateOf(on: (args: string[]) => Promise<Run>, name: string): Promise<string> {
  return (await on(['inspect', '--format', '{{.State.Status}}', name])).stdout.trim();
}

function describeDeadlines(where: string, setup: () => Promise<{ sandbox: Sandbox; env: NodeJS.ProcessEnv; host: string[]; on: (args: string[]) => Promise<Run> }>) {
  describe(where, () => {
    let sandbox: Sandbox;
    let env: NodeJS.ProcessEnv;
    let hostArgs: string[];
    let on: (args: string[]) => Promise<Run>;

    beforeAll(async () => {
      ({ sandbox, env, host: hostArgs, on } = await setup());
    });

    afterAll(async () => {
      const ids = (await on(['ps', '-aq', '--filter', `name=${sandbox.prefix}`])).stdout.split('\n').filter(Boolean);
      if (ids.length > 0) await on(['rm', '-f', ...ids]);
      await sandbox.dispose();
    });

    it('--timeout bounds a stop: "timed out after 1 s", still running; docker carries on and stops it', async () => {
      const name = sandbox.name('slow');
      expect((await sandbox.mcp(['add', name, ...hostArgs, '--command', SLOW_TO_STOP], env)).exitCode).toBe(0);
      expect((await sandbox.mcp(['start', name, '--settle', '0'], env)).exitCode).toBe(0);

      const result = await sandbox.mcp(['stop', name, '--timeout', '1', '--json'], env);
      expect(result.exitCode).toBe(1);
      const [record] = JSON.parse(result.stdout) as StopRecord[];
      expect(record).toMatchObject({ ok: false, status: 'running' });
      expect(record?.error).toContain('timed out after 1 s');
      expect(record?.error).toContain('it is still running');
      expect(record?.error).not.toContain('without a message');

      // The docker stop we stopped waiting for was not killed half way: the engine finishes it.
      await waitFor('docker to finish the stop', async () => ((await stateOf(on, name)) === 'exited' ? true : undefined), 20_000);
      const [again] = JSON.parse((await sandbox.mcp(['stop', name, '--json'], env)).stdout) as StopRecord[];
      expect(again).toMatchObject({ ok: true, action: 'already stopped', status: 'stopped' });
    });

    it('without --timeout a stop waits out the container\'s own stop timeout and reports it stopped', async () => {
      const name = sandbox.name('patient');
      expect((await sandbox.mcp(['add', name, ...hostArgs, '--command', SLOW_TO_STOP], env)).exitCode).toBe(0);
      expect((await sandbox.mcp(['start', name, '--settle', '0'], env)).exitCode).toBe(0);
      const started = Date.now();
      const [record] = JSON.parse((await sandbox.mcp(['stop', name, '--json'], env)).stdout) as StopRecord[];
      expect(record).toMatchObject({ ok: true, action: 'stopped', status: 'stopped', error: null });
      expect(Date.now() - started).toBeGreaterThanOrEqual(5000);
    });
  });
}

describeDeadlines('on the local engine', async () => {
  const sandbox = await Sandbox.create();
  return { sandbox, env: {}, host: [], on: (args) => docker(args) };
});

describeDeadlines('on an SSH host', async () => {
  const env = await readTestHosts();
  const h1: TestHost = host(env, 'h1');
  const { sandbox, vars } = await fleetSandbox(env, { trusted: ['h1'], aliases: { alpha: 'h1' } });
  return { sandbox, env: vars, host: ['--host', 'alpha'], on: (args) => hostDocker(h1, args) };
});

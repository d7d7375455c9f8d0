/**
 * Property: any argv (quotes, `!`, `$`, backslashes, spaces, newlines, unicode) arrives at the
 * remote process byte-identical, through a real sshd and the remote user's login shell.
 */
import fc from 'fast-check';
import { SshExecutor } from '../../lib/core/exec/ssh.js';
import { readTestHosts } from './fleetHarness.js';

const CASES = 1000;

/** Characters that break naive quoting, plus the rest of unicode (no NUL: argv cannot carry it). */
const nasty = fc.constantFrom("'", '"', '\\', '$', '`', '!', ' ', '\t', '\n', '*', '?', '[', ']', '{', '}', '~', '#', ';', '&', '|', '<', '>', '(', ')', '=', '%', '-', 'é', '日', '😀');
const char = fc.oneof(nasty, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).filter((c) => !c.includes('\0')));
const arg = fc.array(char, { maxLength: 12 }).map((chars) => chars.join(''));

let executor: SshExecutor;

beforeAll(async () => {
  const env = await readTestHosts();
  const h1 = env.hosts.find((h) => h.name === 'h1');
  if (!h1) throw new Error('no test host h1');
  const fs = await import('node:fs/promises');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'msm-quoting-'));
  const knownHosts = path.join(dir, 'known_hosts');
  await fs.writeFile(knownHosts, `${h1.address} ${h1.hostKey}\n`);
  executor = await SshExecutor.connect({
    name: 'h1',
    address: h1.address,
    port: h1.port,
    username: 'root',
    identityFiles: [env.clientKey],
    dockerCommand: ['docker'],
    knownHostsFiles: [knownHosts],
    acceptNewHostKeys: false,
  });
});

afterAll(async () => {
  await executor?.close();
});

it(`${CASES} random argv arrive byte-identical through a real SSH exec`, async () => {
  let runs = 0;
  const mismatches: string[][] = [];
  await fc.assert(
    fc.asyncProperty(fc.array(arg, { minLength: 1, maxLength: 6 }), async (argv) => {
      runs += 1;
      const result = await executor.run(['printf', '%s\\0', ...argv]);
      const received = result.stdout.split('\0').slice(0, -1);
      if (result.exitCode !== 0 || JSON.stringify(received) !== JSON.stringify(argv)) mismatches.push(argv);
      return result.exitCode === 0 && JSON.stringify(received) === JSON.stringify(argv);
    }),
    { numRuns: CASES },
  );
  expect(runs).toBeGreaterThanOrEqual(CASES);
  expect(mismatches).toEqual([]);
});

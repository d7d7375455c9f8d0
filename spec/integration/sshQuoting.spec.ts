/**
 * Property: any argv (quotes, `!`, `$`, backslashes, spaces, newlines, unicode) arrives at the
 * remote process byte-identical, through a real sshd and the remote user's login shell.
 */
import fc from 'fast-check';
import { SshExecutor } from '../../lib/core/exec/ssh.js';
import { mapBounded } from '../../lib/core/pool.js';
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
    username: h1.user,
    identityFiles: [env.clientKey],
    dockerCommand: ['docker'],
    knownHostsFiles: [knownHosts],
    acceptNewHostKeys: false,
  });
});

afterAll(async () => {
  await executor?.close();
});

/** Several exec channels at once on the one connection (sshd allows 10 sessions per connection). */
const CHANNELS = 6;

it(`${CASES} random argv arrive byte-identical through a real SSH exec`, async () => {
  const cases = fc.sample(fc.array(arg, { minLength: 1, maxLength: 6 }), { numRuns: CASES, seed: Date.now() % 100_000 });
  const mismatches = (
    await mapBounded(cases, CHANNELS, async (argv) => {
      const result = await executor.run(['printf', '%s\\0', ...argv]);
      const received = result.stdout.split('\0').slice(0, -1);
      return result.exitCode === 0 && JSON.stringify(received) === JSON.stringify(argv) ? undefined : { argv, received, stderr: result.stderr };
    })
  ).filter(Boolean);
  expect(cases).toHaveLength(CASES);
  expect(mismatches).toEqual([]);
}, 300_000);

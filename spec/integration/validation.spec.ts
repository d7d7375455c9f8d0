/** Bad input changes nothing: exit 2, a message naming the problem, registry byte-identical. */
import { docker, Sandbox } from './harness.js';

let sandbox: Sandbox;
let before: string | undefined;

beforeAll(async () => {
  sandbox = await Sandbox.create();
  expect((await sandbox.mcp(['add', sandbox.name('keep'), '--command', 'docker run msm-busybox:latest sleep 1'])).exitCode).toBe(0);
  before = await sandbox.readRegistry();
});

afterAll(async () => {
  await sandbox.dispose();
});

/**
 * Containers named like the attempted server, by name or by msm label. Only those: other suites
 * create containers on the same engine at the same time.
 */
const containersNamed = async (name: string) => {
  const byName = await docker(['ps', '-aq', '--filter', `name=^/${name.replace(/[^a-zA-Z0-9_.-]/g, '.')}$`]);
  const byLabel = await docker(['ps', '-aq', '--filter', `label=msm.name=${name}`]);
  return `${byName.stdout}${byLabel.stdout}`;
};

describe.each([
  ['a shell operator', ['add', 'evil', '--command', 'docker run -d img; touch /tmp/x'], /;/],
  ['a name with a space', ['add', 'bad name', '--command', 'docker run img'], /invalid server name "bad name"/],
  ['a command that is not docker run', ['add', 'lister', '--command', 'ls -la'], /docker run/],
  ['command substitution', ['add', 'subst', '--command', 'docker run -v $(pwd):/x img'], /\$\(/],
  ['an unquoted placeholder', ['add', 'ph', '--command', 'docker run -e TOKEN=<your-token> img'], /placeholder|</],
  ['a host that is an ssh option', ['add', 'h', '--host', '-oProxyCommand=touch /tmp/p', '--command', 'docker run img'], /host/],
  ['an unknown docker flag', ['add', 'uf', '--command', 'docker run --no-such-flag img'], /--no-such-flag/],
  ['a port out of range', ['add', 'pr', '--port', '70000', '--command', 'docker run img'], /port/],
  ['an unknown mcp flag', ['list', '--bogus'], /bogus/],
])('rejects %s', (_what, args, message) => {
  it('exits 2 with a one-line message and changes nothing', async () => {
    const attempted = (args as string[])[1] ?? '';
    const containers = await containersNamed(attempted);
    const result = await sandbox.mcp(args as string[]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n')[0]).toMatch(/^error: /);
    expect(await sandbox.readRegistry()).toBe(before);
    expect(await containersNamed(attempted)).toBe(containers);
  });
});

it('refuses to start an unknown server, naming it', async () => {
  const result = await sandbox.mcp(['start', 'nosuch']);
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain('"nosuch"');
  expect(await sandbox.readRegistry()).toBe(before);
});

it('reports a corrupt registry with its path and leaves it alone', async () => {
  const other = await Sandbox.create();
  const fs = await import('node:fs/promises');
  const corrupt = 'version: 1\nservers:\n  a: [unclosed\n';
  await fs.writeFile(other.registry, corrupt);
  const result = await other.mcp(['add', 'xx', '--command', 'docker run img']);
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toContain(other.registry);
  expect(await other.readRegistry()).toBe(corrupt);
  await other.dispose();
});

it('an engine that cannot be reached is reported as such and never changes the registry', async () => {
  const down = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
  const list = await sandbox.mcp(['list', '--json'], down);
  expect(list.exitCode).toBe(1);
  const servers = JSON.parse(list.stdout) as Array<{ status: { status: string; error: string } }>;
  expect(servers[0]?.status.status).toBe('unknown');
  expect(servers[0]?.status.error).toMatch(/docker engine is not reachable/);
  const start = await sandbox.mcp(['start', '--all', '--json'], down);
  expect(start.exitCode).toBe(1);
  expect(JSON.parse(start.stdout)[0]).toMatchObject({ ok: false, status: 'unknown' });
  expect(await sandbox.readRegistry()).toBe(before);
});

it('a reader that stops early (| head) is not an error', async () => {
  const { spawn } = await import('node:child_process');
  const { CLI } = await import('./harness.js');
  const fs = await import('node:fs/promises');
  // 300 table rows, written line by line: most writes come after the reader has gone.
  const big = await Sandbox.create();
  const servers = Array.from({ length: 300 }, (_, i) => `  ${big.name(`p${i}`)}:\n    config:\n      name: ${big.name(`p${i}`)}\n      docker_command: docker run msm-busybox:latest true\n      host: localhost\n`);
  await fs.writeFile(big.registry, `version: 1\nservers:\n${servers.join('')}`);
  const child = spawn(process.execPath, [CLI, 'list'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MSM_REGISTRY: big.registry } });
  child.stdout.once('data', () => child.stdout.destroy());
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  await big.dispose();
  expect(stderr).not.toContain('EPIPE');
  expect(code).toBe(0);
});

/** Issue #4 against real sshd + dockerd per namespace host (scripts/test-hosts.sh). */
import fs from 'node:fs/promises';
import type { MCPServerData } from '../../lib/data/models.js';
import { BUSYBOX_IMAGE, docker, freePort, type Sandbox, TEST_IMAGE } from './harness.js';
import { fleetSandbox, host, hostDocker, readTestHosts, type TestHost, type TestHostsEnv } from './fleetHarness.js';

let env: TestHostsEnv;
let sandbox: Sandbox;
let vars: NodeJS.ProcessEnv;
let h1: TestHost;
let h2: TestHost;
let h3: TestHost;

const SLEEP = `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sleep 900`;

async function namesOn(h: TestHost | 'local', prefix: string): Promise<string[]> {
  const args = ['ps', '-a', '--filter', 'label=msm.name', '--format', '{{.Label "msm.name"}}'];
  const result = h === 'local' ? await docker(args) : await hostDocker(h, args);
  return result.stdout.split('\n').filter((name) => name.startsWith(prefix)).sort();
}

async function removeOn(h: TestHost | 'local', prefix: string): Promise<void> {
  for (const name of await namesOn(h, prefix)) {
    if (h === 'local') await docker(['rm', '-f', name]);
    else await hostDocker(h, ['rm', '-f', name]);
  }
}

beforeAll(async () => {
  env = await readTestHosts();
  [h1, h2, h3] = [host(env, 'h1'), host(env, 'h2'), host(env, 'h3')];
  ({ sandbox, vars } = await fleetSandbox(env, { trusted: ['h1', 'h2'], aliases: { alpha: 'h1', gamma: 'h3', dead: env.refused.name }, viaSshConfig: 'h2' }));
});

afterAll(async () => {
  for (const h of [h1, h2, h3]) await removeOn(h, sandbox.prefix);
  await sandbox.dispose();
});

const mcp = (args: string[]) => sandbox.mcp(args, vars);
const mcpJson = <T>(args: string[]) => sandbox.mcpJson<T>(args, vars);

describe('a fleet of two SSH hosts and localhost', () => {
  let r1: string;
  let r2: string;
  let l1: string;

  beforeAll(async () => {
    r1 = sandbox.name('r1');
    r2 = sandbox.name('r2');
    l1 = sandbox.name('l1');
    expect((await mcp(['add', r1, '--host', 'alpha', '--command', `docker run --stop-timeout=1 ${BUSYBOX_IMAGE} sh -c 'echo hello from r1; sleep 900'`])).exitCode).toBe(0);
    expect((await mcp(['add', r2, '--host', h2.address, '--command', SLEEP])).exitCode).toBe(0);
    expect((await mcp(['add', l1, '--command', SLEEP])).exitCode).toBe(0);
  });

  it('start --all runs each server on its own host and nowhere else', async () => {
    const started = await mcpJson<Array<{ name: string; host: string; ok: boolean; status: string }>>(['start', '--all']);
    expect(started.map((r) => [r.name, r.host, r.ok, r.status])).toEqual([
      [r1, 'alpha', true, 'running'],
      [r2, h2.address, true, 'running'],
      [l1, 'localhost', true, 'running'],
    ]);
    expect(await namesOn(h1, sandbox.prefix)).toEqual([r1]);
    expect(await namesOn(h2, sandbox.prefix)).toEqual([r2]);
    expect(await namesOn(h3, sandbox.prefix)).toEqual([]);
    expect(await namesOn('local', sandbox.prefix)).toEqual([l1]);
  });

  it('list --json shows all of them running, with their hosts', async () => {
    const list = await mcpJson<MCPServerData[]>(['list']);
    expect(list.map((s) => [s.config.name, s.config.host, s.status?.status])).toEqual([
      [r1, 'alpha', 'running'],
      [r2, h2.address, 'running'],
      [l1, 'localhost', 'running'],
    ]);
  });

  it('log reads a remote server\'s output', async () => {
    const log = await mcp(['log', r1, '--tail', '10']);
    expect(log.exitCode).toBe(0);
    expect(log.stdout).toContain('hello from r1');
  });

  it('stop --all stops them all', async () => {
    const stopped = await mcpJson<Array<{ ok: boolean; status: string }>>(['stop', '--all']);
    expect(stopped.map((r) => [r.ok, r.status])).toEqual([
      [true, 'stopped'],
      [true, 'stopped'],
      [true, 'stopped'],
    ]);
    const running = await hostDocker(h1, ['ps', '--filter', `label=msm.name=${r1}`, '-q']);
    expect(running.stdout.trim()).toBe('');
  });

  it('restart --all with an untrusted and a refused host exits 3 and touches only the good hosts', async () => {
    const bad1 = sandbox.name('untrusted');
    const bad2 = sandbox.name('refused');
    expect((await mcp(['add', bad1, '--host', 'gamma', '--command', SLEEP])).exitCode).toBe(0);
    expect((await mcp(['add', bad2, '--host', 'dead', '--command', SLEEP])).exitCode).toBe(0);
    const result = await mcp(['restart', '--all', '--json']);
    expect(result.exitCode).toBe(3);
    const records = JSON.parse(result.stdout) as Array<{ name: string; ok: boolean; action: string; status: string; error: string | null }>;
    const byName = new Map(records.map((r) => [r.name, r]));
    for (const name of [r1, r2, l1]) expect(byName.get(name)).toMatchObject({ ok: true, action: 'restarted', status: 'running' });
    expect(byName.get(bad1)?.ok).toBe(false);
    expect(byName.get(bad1)?.error).toContain(h3.fingerprint);
    expect(byName.get(bad1)?.error).toMatch(/not trusted|not in known_hosts/);
    expect(byName.get(bad2)).toMatchObject({ ok: false, status: 'unknown' });
    expect(byName.get(bad2)?.error).toContain('connection refused');
    expect(await namesOn(h3, sandbox.prefix)).toEqual([]);
    // Human output names the fingerprint too, and the registry keeps both servers.
    const human = await mcp(['restart', bad1]);
    expect(human.exitCode).toBe(1);
    expect(human.stdout + human.stderr).toContain(h3.fingerprint);
    const list = await mcpJson<MCPServerData[]>(['list']);
    expect(list.find((s) => s.config.name === bad1)?.status?.status).toBe('unknown');
    await mcp(['remove', bad1, '--yes']);
    await mcp(['remove', bad2, '--yes']);
  });

  it('follows logs of servers on several hosts together, prefixed with host/name', async () => {
    await mcp(['start', '--all']);
    const { spawn } = await import('node:child_process');
    const { CLI } = await import('./harness.js');
    const child = spawn(process.execPath, [CLI, 'log', r1, l1, '-f', '--tail', '5'], {
      env: { ...process.env, ...vars, MSM_REGISTRY: sandbox.registry, MSM_HOSTS: `${sandbox.dir}/hosts.yaml`, NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 20_000;
    while (!output.includes(`alpha/${r1} | hello from r1`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain(`alpha/${r1} | hello from r1`);
  });
});

describe('host keys', () => {
  it('--accept-new-host-keys records an unknown key, and the host is trusted afterwards', async () => {
    const { sandbox: own, home, vars: ownVars } = await fleetSandbox(env, { trusted: [], aliases: { gamma: 'h3' } });
    try {
      const refused = await own.mcp(['hosts', 'check', 'gamma', '--json'], ownVars);
      expect(refused.exitCode).toBe(1);
      expect(JSON.parse(refused.stdout)[0].error).toContain(h3.fingerprint);
      const accepted = await own.mcp(['hosts', 'check', 'gamma', '--accept-new-host-keys', '--json'], ownVars);
      expect(accepted.exitCode).toBe(0);
      expect(JSON.parse(accepted.stdout)[0]).toMatchObject({ host: 'gamma', ok: true });
      const knownHosts = await fs.readFile(`${home}/.ssh/known_hosts`, 'utf8');
      expect(knownHosts).toContain(h3.hostKey.split(' ')[1]);
      const again = await own.mcp(['hosts', 'check', 'gamma', '--json'], ownVars);
      expect(again.exitCode).toBe(0);
    } finally {
      await own.dispose();
    }
  });

  it('a changed key is refused even with --accept-new-host-keys', async () => {
    const { sandbox: own, home, vars: ownVars } = await fleetSandbox(env, { trusted: [], aliases: { alpha: 'h1' } });
    try {
      // known_hosts says h1 has h2's key: exactly what a man in the middle looks like.
      await fs.writeFile(`${home}/.ssh/known_hosts`, `${h1.address} ${h2.hostKey}\n`);
      const result = await own.mcp(['hosts', 'check', 'alpha', '--accept-new-host-keys', '--json'], ownVars);
      expect(result.exitCode).toBe(1);
      expect(JSON.parse(result.stdout)[0].error).toContain('HOST KEY CHANGED');
      expect(await fs.readFile(`${home}/.ssh/known_hosts`, 'utf8')).toBe(`${h1.address} ${h2.hostKey}\n`);
    } finally {
      await own.dispose();
    }
  });

  it('hashed known_hosts entries and [host]:port entries are honoured', async () => {
    const { createHmac, randomBytes } = await import('node:crypto');
    const { sandbox: own, home, vars: ownVars } = await fleetSandbox(env, { trusted: [], aliases: { alpha: 'h1' } });
    try {
      // beta is h2's sshd on its second port, 2222: ssh files such a key as [address]:2222.
      await fs.appendFile(`${own.dir}/hosts.yaml`, `  beta:\n    address: ${h2.address}\n    user: ${h2.user}\n    port: 2222\n`);
      const salt = randomBytes(20);
      const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(h1.address).digest('base64')}`;
      await fs.writeFile(`${home}/.ssh/known_hosts`, `${hashed} ${h1.hostKey}\n[${h2.address}]:2222 ${h2.hostKey}\n`);
      const result = await own.mcp(['hosts', 'check', 'alpha', 'beta', '--json'], ownVars);
      expect(JSON.parse(result.stdout).map((r: { ok: boolean }) => r.ok)).toEqual([true, true]);
      expect(result.exitCode).toBe(0);
      // The same key filed for port 22 does not vouch for port 2222.
      await fs.writeFile(`${home}/.ssh/known_hosts`, `${h2.address} ${h2.hostKey}\n`);
      const other = await own.mcp(['hosts', 'check', 'beta', '--json'], ownVars);
      expect(other.exitCode).toBe(1);
      expect(JSON.parse(other.stdout)[0].error).toContain('not in known_hosts');
    } finally {
      await own.dispose();
    }
  });
});

describe('~/.ssh/config', () => {
  it('follows a ProxyJump: the target is reached through a tunnel opened on the jump host', async () => {
    const { sandbox: own, home, vars: ownVars } = await fleetSandbox(env, { trusted: [], aliases: {} });
    try {
      // "jumped" is h1's sshd on port 2222, reached only through a jump to h1's port 22 (both keys must be known).
      await fs.writeFile(
        `${home}/.ssh/config`,
        `Host jumped\n  HostName ${h1.address}\n  Port 2222\n  User ${h1.user}\n  ProxyJump ${h1.user}@${h1.address}:22\n`,
      );
      await fs.writeFile(`${home}/.ssh/known_hosts`, `${h1.address} ${h1.hostKey}\n[${h1.address}]:2222 ${h1.hostKey}\n`);
      const result = await own.mcp(['hosts', 'check', 'jumped', '--json'], ownVars);
      expect(JSON.parse(result.stdout)[0]).toMatchObject({ host: 'jumped', ok: true });
      // Without the jump host's key the chain is refused at the jump host.
      await fs.writeFile(`${home}/.ssh/known_hosts`, `[${h1.address}]:2222 ${h1.hostKey}\n`);
      const refused = await own.mcp(['hosts', 'check', 'jumped', '--json'], ownVars);
      expect(refused.exitCode).toBe(1);
      expect(JSON.parse(refused.stdout)[0].error).toContain(h1.fingerprint);
    } finally {
      await own.dispose();
    }
  });
});

describe('input that would reach ssh', () => {
  it('--host that looks like an ssh option is rejected and nothing is created', async () => {
    await fs.rm('/tmp/p', { force: true });
    const before = await sandbox.readRegistry();
    for (const args of [
      ['add', sandbox.name('evil'), '--host', '-oProxyCommand=touch /tmp/p', '--command', SLEEP],
      ['add', sandbox.name('evil'), '--host=-oProxyCommand=touch /tmp/p', '--command', SLEEP],
    ]) {
      const result = await mcp(args);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/host|cannot start with "-"/);
    }
    expect(await sandbox.readRegistry()).toBe(before);
    await expect(fs.access('/tmp/p')).rejects.toThrow();
  });
});

describe('images', () => {
  it('pull --all pulls from the local registry on every host that runs a server using it', async () => {
    const { sandbox: own, vars: ownVars } = await fleetSandbox(env, { trusted: ['h1', 'h2'], aliases: { alpha: 'h1', beta: 'h2' } });
    try {
      for (const h of [h1, h2]) await hostDocker(h, ['image', 'rm', '-f', env.registryImage]);
      for (const [i, alias] of [[0, 'alpha'], [1, 'alpha'], [2, 'beta']] as const) {
        const add = await own.mcp(['add', own.name(`p${i}`), '--host', alias, '--command', `docker run ${env.registryImage} sleep 1`], ownVars);
        expect(add.exitCode).toBe(0);
      }
      const result = await own.mcp(['pull', '--all', '--json'], ownVars);
      expect(result.exitCode).toBe(0);
      const records = JSON.parse(result.stdout) as Array<{ host: string; ok: boolean; image: string }>;
      expect(records.map((r) => [r.host, r.ok, r.image])).toEqual([
        ['alpha', true, env.registryImage],
        ['alpha', true, env.registryImage],
        ['beta', true, env.registryImage],
      ]);
      for (const h of [h1, h2]) expect((await hostDocker(h, ['image', 'inspect', env.registryImage])).exitCode).toBe(0);
      expect((await hostDocker(h3, ['image', 'inspect', env.registryImage])).exitCode).not.toBe(0);
    } finally {
      await own.dispose();
    }
  });
});

describe('remote MCP health', () => {
  it('checks a server published only on the remote loopback through an SSH tunnel', async () => {
    const name = sandbox.name('rmcp');
    const port = await freePort();
    const add = await mcp(['add', name, '--host', 'alpha', '--port', String(port), '--command', `docker run -p 127.0.0.1:${port}:8080 ${TEST_IMAGE}`]);
    expect(add.exitCode).toBe(0);
    const start = await mcp(['start', name, '--wait', '--timeout', '30']);
    expect(start.exitCode).toBe(0);
    const health = await mcpJson<Array<{ ok: boolean; status: string; server_name: string; tool_count: number; target: string }>>(['health', name]);
    expect(health[0]).toMatchObject({ ok: true, status: 'healthy', server_name: 'msm-test-mcp', tool_count: 2 });
  });
});

/**
 * Issue #9, defect 4 against a real sshd: a host that has ed25519, ecdsa and rsa host keys, known
 * to the client only by its ecdsa (or rsa) key, is connected to as OpenSSH would, not refused as
 * "HOST KEY CHANGED". The sshd is this test's own, on another port inside test host h1's network
 * namespace (so it reaches h1's engine), with host keys made here.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Sandbox, waitFor } from './harness.js';
import { host, readTestHosts, type TestHost, type TestHostsEnv } from './fleetHarness.js';

const execFileAsync = promisify(execFile);

let env: TestHostsEnv;
let h1: TestHost;
let sandbox: Sandbox;
let home: string;
let sshd: ChildProcess | undefined;
let port: number;
const keys: Record<'ed25519' | 'ecdsa' | 'rsa', string> = { ed25519: '', ecdsa: '', rsa: '' };

function answers(address: string, tcpPort: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port: tcpPort });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function startSshd(dir: string): Promise<void> {
  // A port unused in h1's namespace (its own sshd has 22 and 2222 there).
  port = 20_000 + Math.floor(Math.random() * 20_000);
  const config = path.join(dir, 'sshd_config');
  await fs.writeFile(
    config,
    [
      `ListenAddress ${h1.address}:${port}`,
      ...(['ed25519', 'ecdsa', 'rsa'] as const).map((type) => `HostKey ${path.join(dir, `host_${type}`)}`),
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      'AuthorizedKeysFile /var/lib/msm-test-hosts/h1/authorized_keys',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes yes',
      'UseDNS no',
      `SetEnv DOCKER_HOST=${h1.dockerHost}`,
      '',
    ].join('\n'),
  );
  sshd = spawn('nsenter', ['--net=/var/run/netns/msm-h1', '/usr/sbin/sshd', '-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  sshd.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  await waitFor(`sshd on ${h1.address}:${port}`, async () => {
    if (sshd?.exitCode !== null) throw new Error(`sshd exited: ${log}`);
    return (await answers(h1.address, port)) ? true : undefined;
  });
}

beforeAll(async () => {
  env = await readTestHosts();
  h1 = host(env, 'h1');
  sandbox = await Sandbox.create();
  const sshdDir = path.join(sandbox.dir, 'sshd');
  await fs.mkdir(sshdDir, { mode: 0o700 });
  for (const type of ['ed25519', 'ecdsa', 'rsa'] as const) {
    const file = path.join(sshdDir, `host_${type}`);
    await execFileAsync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-f', file]);
    keys[type] = (await fs.readFile(`${file}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ');
  }
  await startSshd(sshdDir);
  home = path.join(sandbox.dir, 'home');
  await fs.mkdir(path.join(home, '.ssh'), { recursive: true, mode: 0o700 });
  await fs.copyFile(env.clientKey, path.join(home, '.ssh', 'id_ed25519'));
  await fs.chmod(path.join(home, '.ssh', 'id_ed25519'), 0o600);
  await fs.writeFile(path.join(sandbox.dir, 'hosts.yaml'), `hosts:\n  multi:\n    address: ${h1.address}\n    port: ${port}\n    user: ${h1.user}\n`);
}, 60_000);

afterAll(async () => {
  sshd?.kill('SIGTERM');
  await sandbox.dispose();
});

async function check(knownHosts: string): Promise<{ exitCode: number; result: { ok: boolean; error?: string; docker_version?: string } }> {
  await fs.writeFile(path.join(home, '.ssh', 'known_hosts'), knownHosts);
  const run = await sandbox.mcp(['hosts', 'check', 'multi', '--json'], { HOME: home, SSH_AUTH_SOCK: '' });
  return { exitCode: run.exitCode, result: (JSON.parse(run.stdout) as Array<{ ok: boolean; error?: string }>)[0] as { ok: boolean; error?: string } };
}

describe('a host known only by a key type other than its favourite (defect 4)', () => {
  it.each(['ecdsa', 'rsa'] as const)('only its %s key in known_hosts: connects', async (type) => {
    const { exitCode, result } = await check(`[${h1.address}]:${port} ${keys[type]}\n`);
    expect(result.error).toBeUndefined();
    expect(exitCode).toBe(0);
    expect(result.ok).toBe(true);
    expect(result.docker_version).toMatch(/^\d+\./);
  });

  it('another key of the same type still is a changed key', async () => {
    const other = path.join(sandbox.dir, 'other_ecdsa');
    await execFileAsync('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-f', other]);
    const otherKey = (await fs.readFile(`${other}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ');
    const { exitCode, result } = await check(`[${h1.address}]:${port} ${otherKey}\n`);
    expect(exitCode).toBe(1);
    expect(result.error).toContain('HOST KEY CHANGED');
  });
});

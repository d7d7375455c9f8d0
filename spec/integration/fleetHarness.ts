/**
 * The namespace test hosts of scripts/test-hosts.sh (each with its own sshd and dockerd), and a
 * private HOME for the CLI with ~/.ssh (client key, known_hosts, config) and hosts.yaml.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { docker, type Run, Sandbox } from './harness.js';

export interface TestHost {
  name: string;
  address: string;
  port: number;
  /** The account tests log in as (not root: see scripts/test-hosts.sh). */
  user: string;
  dockerHost: string;
  hostKey: string;
  fingerprint: string;
}

export interface TestHostsEnv {
  clientKey: string;
  hosts: TestHost[];
  refused: { name: string; address: string; port: number };
  registryImage: string;
}

export async function readTestHosts(): Promise<TestHostsEnv> {
  const text = await fs.readFile('/var/lib/msm-test-hosts/env.json', 'utf8').catch(() => {
    throw new Error('test hosts are not up: run `bash scripts/test-hosts.sh up` (npm test does it)');
  });
  return JSON.parse(text) as TestHostsEnv;
}

export function host(env: TestHostsEnv, name: string): TestHost {
  const found = env.hosts.find((h) => h.name === name);
  if (!found) throw new Error(`no test host ${name}`);
  return found;
}

/** docker on one namespace host's own engine (not through mcp). */
export function hostDocker(h: TestHost, args: readonly string[]): Promise<Run> {
  return docker(args, { DOCKER_HOST: h.dockerHost });
}

/**
 * A sandbox whose HOME trusts `trusted` hosts' keys, reaches the bare address of `viaSshConfig`
 * through ~/.ssh/config, and whose hosts.yaml names the other hosts by alias.
 */
export async function fleetSandbox(env: TestHostsEnv, options: { trusted: string[]; aliases: Record<string, string>; viaSshConfig?: string }): Promise<{ sandbox: Sandbox; home: string; vars: NodeJS.ProcessEnv }> {
  const sandbox = await Sandbox.create();
  const home = path.join(sandbox.dir, 'home');
  const ssh = path.join(home, '.ssh');
  await fs.mkdir(ssh, { recursive: true, mode: 0o700 });
  await fs.copyFile(env.clientKey, path.join(ssh, 'id_ed25519'));
  await fs.chmod(path.join(ssh, 'id_ed25519'), 0o600);
  const known = options.trusted.map((name) => `${host(env, name).address} ${host(env, name).hostKey}`);
  await fs.writeFile(path.join(ssh, 'known_hosts'), `${known.join('\n')}\n`);
  if (options.viaSshConfig) {
    const target = host(env, options.viaSshConfig);
    await fs.writeFile(path.join(ssh, 'config'), `Host ${target.address}\n  User ${target.user}\n  IdentityFile ~/.ssh/id_ed25519\n`);
  }
  const lines = [Object.keys(options.aliases).length > 0 ? 'hosts:' : 'hosts: {}'];
  for (const [alias, name] of Object.entries(options.aliases)) {
    const address = name === env.refused.name ? env.refused.address : host(env, name).address;
    lines.push(`  ${alias}:`, `    address: ${address}`, `    user: ${env.hosts[0]?.user ?? 'root'}`);
  }
  await fs.writeFile(path.join(sandbox.dir, 'hosts.yaml'), `${lines.join('\n')}\n`);
  return { sandbox, home, vars: { HOME: home, SSH_AUTH_SOCK: '' } };
}

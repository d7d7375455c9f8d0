/**
 * How to reach a host over SSH: the hosts.yaml entry (by alias) or the bare address, completed by
 * ~/.ssh/config (HostName, User, Port, IdentityFile, ProxyJump) as `ssh` would, then defaults.
 * hosts.yaml wins over ~/.ssh/config, which wins over defaults. Pure: the files' texts are passed in.
 */
import path from 'node:path';
import SSHConfig from 'ssh-config';
import type { HostEntry, HostsFile } from '../../data/models.js';
import { expandTilde } from '../../data/paths.js';
import { ValidationError } from '../../errors.js';
import { validateHostRef } from '../hostRef.js';

export interface SshTarget {
  /** The name the registry uses for the host (alias or address). */
  name: string;
  /** What to connect to. */
  address: string;
  port: number;
  username: string;
  identityFiles: string[];
  /** Jump host, as `[user@]host[:port]`, from ~/.ssh/config ProxyJump. */
  proxyJump?: string;
  dockerCommand: string[];
  knownHostsFiles: string[];
  acceptNewHostKeys: boolean;
}

export interface SshEnvironment {
  home: string;
  username: string;
  /** Text of ~/.ssh/config, or '' when absent. */
  sshConfig: string;
  /** Identity files that exist among ssh's defaults (~/.ssh/id_ed25519, id_ecdsa, id_rsa). */
  defaultIdentities: string[];
  /** --accept-new-host-keys */
  acceptNewHostKeys?: boolean;
}

/** Words allowed in a docker command prefix: no shell metacharacters, no leading dash word. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function parseDockerPrefix(value: string | undefined, host: string): string[] {
  if (value === undefined) return ['docker'];
  const words = value.trim().split(/\s+/);
  if (words.length === 0 || words.some((word) => !SAFE_WORD.test(word)) || words[0]?.startsWith('-')) {
    throw new ValidationError(`host "${host}": docker must be a plain command such as "docker" or "sudo -n docker", got "${value}"`, 'INVALID_HOST');
  }
  return words;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function portOf(value: string | number | undefined, host: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ValidationError(`host "${host}": invalid port "${value}"`, 'INVALID_HOST');
  return port;
}

export function resolveSshTarget(host: string, hosts: HostsFile, env: SshEnvironment): SshTarget {
  const entry: HostEntry | undefined = Object.hasOwn(hosts.hosts, host) ? hosts.hosts[host] : undefined;
  const address = validateHostRef(entry?.address ?? host);
  const computed = SSHConfig.parse(env.sshConfig).compute(address, { ignoreCase: true, matchExec: false });
  const hostName = first(computed.hostname);
  const connectTo = validateHostRef(hostName ? hostName.replace(/%h/g, address) : address);
  const identityFiles = entry?.identity_file ? [entry.identity_file] : list(computed.identityfile);
  const knownHostsFiles = [path.join(env.home, '.ssh', 'known_hosts')];
  if (entry?.known_hosts_file) knownHostsFiles.unshift(expandTilde(entry.known_hosts_file, env.home));
  const proxyJump = first(computed.proxyjump);
  const target: SshTarget = {
    name: host,
    address: connectTo,
    port: portOf(entry?.port, host) ?? portOf(first(computed.port), host) ?? 22,
    username: entry?.user ?? first(computed.user) ?? env.username,
    identityFiles: (identityFiles.length > 0 ? identityFiles : env.defaultIdentities).map((file) => expandTilde(file, env.home)),
    dockerCommand: parseDockerPrefix(entry?.docker, host),
    knownHostsFiles,
    acceptNewHostKeys: Boolean(env.acceptNewHostKeys || entry?.accept_new_host_keys),
  };
  if (proxyJump && proxyJump !== 'none') target.proxyJump = proxyJump;
  return target;
}

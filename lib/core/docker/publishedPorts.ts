/**
 * The host ports a `docker run` command publishes (`-p [ip:][hostPort:]containerPort[/proto]`),
 * read from the parsed command: what `add` compares with --port and with the other servers on the
 * same host. Values with `$VAR` references are only known at start time and are left out.
 */
import type { ParsedRun } from './parseRun.js';

export interface PublishedPort {
  /** Empty when docker binds every address. */
  hostIp: string;
  hostPort: number;
  protocol: string;
}

/** Host ports a -p value binds; none when docker picks them (`-p 80`, `-p 127.0.0.1::80`). */
export function parsePublish(value: string): PublishedPort[] {
  if (value.includes('$')) return [];
  const [spec = '', protocol = 'tcp'] = value.split('/');
  // An IPv6 address is bracketed: [::1]:8080:80.
  const bracketed = /^\[([^\]]+)\]:(.*)$/.exec(spec);
  const parts = bracketed ? [bracketed[1] ?? '', ...(bracketed[2] ?? '').split(':')] : spec.split(':');
  if (parts.length < 2) return [];
  const [hostIp, hostPorts] = parts.length === 2 ? ['', parts[0] ?? ''] : [parts[0] ?? '', parts[1] ?? ''];
  const range = /^(\d+)(?:-(\d+))?$/.exec(hostPorts);
  if (!range) return [];
  const first = Number(range[1]);
  const last = Math.min(Number(range[2] ?? range[1]), first + 1024);
  const ip = hostIp === '0.0.0.0' || hostIp === '::' ? '' : hostIp;
  return Array.from({ length: last - first + 1 }, (_, i) => ({ hostIp: ip, hostPort: first + i, protocol }));
}

export function publishedPorts(parsed: ParsedRun): PublishedPort[] {
  return parsed.options.filter((option) => option.long === 'publish' && option.value !== undefined).flatMap((option) => parsePublish(option.value ?? ''));
}

/** Two bindings collide when they share port and protocol and one of them takes every address or both take the same one. */
export function collides(a: PublishedPort, b: PublishedPort): boolean {
  return a.hostPort === b.hostPort && a.protocol === b.protocol && (a.hostIp === '' || b.hostIp === '' || a.hostIp === b.hostIp);
}

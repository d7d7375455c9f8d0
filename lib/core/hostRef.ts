/**
 * What `--host` may name: `localhost` (this machine, no SSH), an alias from hosts.yaml, or a bare
 * hostname / IPv4 / IPv6 address. Anything else, in particular values that start with `-` (they
 * would be read as ssh options) or carry shell metacharacters, is refused before anything is stored.
 */
import net from 'node:net';
import { LOCALHOST } from '../data/models.js';
import { ValidationError } from '../errors.js';

const HOSTNAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})$/;

export function isLocalHost(host: string): boolean {
  return host === LOCALHOST;
}

export function validateHostRef(host: string): string {
  if (host.startsWith('-')) {
    throw new ValidationError(`invalid host "${host}": a host cannot start with "-" (it would be read as an option)`, 'INVALID_HOST');
  }
  const bare = /^\[.*\]$/.test(host) ? host.slice(1, -1) : host;
  // Zone ids (`fe80::1%eth0`) are refused with the rest: `%` has no business in an inventory.
  if (!HOSTNAME.test(host) && !(net.isIPv6(bare) && !bare.includes('%'))) {
    throw new ValidationError(
      `invalid host "${host}": use "localhost", an alias from hosts.yaml, or a hostname or IP address (user and port go in hosts.yaml or ~/.ssh/config)`,
      'INVALID_HOST',
    );
  }
  return bare;
}

/**
 * OpenSSH known_hosts: parsing, matching a host's key, and the lines to record a new one.
 *
 * Supports what ssh itself writes and reads in practice: plain and comma-separated host patterns,
 * `[host]:port` for non-22 ports, hashed entries (`|1|salt|hmac`, HashKnownHosts), `*`/`?`
 * wildcards, `!` negation, and the `@revoked` marker. `@cert-authority` lines are skipped: host
 * certificates are not supported, so such a host counts as unknown.
 */
import { createHash, createHmac } from 'node:crypto';

export interface KnownHostEntry {
  marker?: '@revoked' | '@cert-authority';
  patterns: string[];
  keyType: string;
  /** base64 of the key blob */
  key: string;
}

export type HostKeyVerdict =
  | { kind: 'known' }
  | { kind: 'unknown' }
  /** known_hosts has a key of the offered type for this host, and it is another key. */
  | { kind: 'changed'; knownTypes: string[] }
  /** known_hosts has keys for this host, but none of the type offered: not a changed key. */
  | { kind: 'other-type'; knownTypes: string[] }
  | { kind: 'revoked' };

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() as KnownHostEntry['marker'];
    const [patterns, keyType, key] = fields;
    if (!patterns || !keyType || !key) continue;
    entries.push({ ...(marker ? { marker } : {}), patterns: patterns.split(','), keyType, key });
  }
  return entries;
}

/** The name ssh looks up: `host` on port 22, `[host]:port` otherwise. */
export function hostKeyName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function wildcardToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  return wildcardToRegExp(pattern).test(name);
}

/** A line matches when one of its positive patterns matches and none of its negated ones does. */
export function entryMatches(entry: KnownHostEntry, names: readonly string[]): boolean {
  let matched = false;
  for (const pattern of entry.patterns) {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    if (names.some((name) => patternMatches(body, name))) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** The key type named inside an SSH public key blob (a length-prefixed string). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('ascii');
}

/** `SHA256:...` as ssh prints it. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * What known_hosts says about `blob` for a host known under any of `names` (the alias, the
 * address, as `hostKeyName` spells them). Only a different key of the SAME type is a changed key
 * (as OpenSSH decides); a host known only with other key types offered a key not yet trusted.
 */
export function verifyHostKey(entries: readonly KnownHostEntry[], names: readonly string[], blob: Buffer): HostKeyVerdict {
  const key = blob.toString('base64');
  const matching = entries.filter((entry) => entry.marker !== '@cert-authority' && entryMatches(entry, names));
  if (matching.some((entry) => entry.marker === '@revoked' && entry.key === key)) return { kind: 'revoked' };
  const candidates = matching.filter((entry) => entry.marker === undefined);
  if (candidates.some((entry) => entry.key === key)) return { kind: 'known' };
  if (candidates.length === 0) return { kind: 'unknown' };
  const knownTypes = [...new Set(candidates.map((entry) => entry.keyType))];
  return knownTypes.includes(keyTypeOf(blob)) ? { kind: 'changed', knownTypes } : { kind: 'other-type', knownTypes };
}

/** Host key algorithms for each key type known_hosts can hold (an RSA key signs with any of three). */
const ALGORITHMS_OF_KEY_TYPE: Record<string, readonly string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/**
 * The host key algorithms to offer first for a host, from the key types known_hosts already has
 * for it (as OpenSSH orders them): the server then proves itself with a key we can check, instead
 * of with its favourite type, which we may not know. Types ssh2 cannot speak are left out.
 */
export function preferredHostKeyAlgorithms(entries: readonly KnownHostEntry[], names: readonly string[]): string[] {
  const known = entries.filter((entry) => entry.marker === undefined && entryMatches(entry, names)).map((entry) => entry.keyType);
  return [...new Set(known.flatMap((type) => ALGORITHMS_OF_KEY_TYPE[type] ?? []))];
}

export function knownHostsLine(name: string, blob: Buffer): string {
  return `${name} ${keyTypeOf(blob)} ${blob.toString('base64')}`;
}

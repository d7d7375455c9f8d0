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

export type HostKeyVerdict = { kind: 'known' } | { kind: 'unknown' } | { kind: 'changed'; knownTypes: string[] } | { kind: 'revoked' };

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
 * address, as `hostKeyName` spells them). A different key of the SAME type is a changed key; a
 * host known only with other key types is treated as changed too (ssh warns likewise), because
 * accepting a new type silently would defeat the check.
 */
export function verifyHostKey(entries: readonly KnownHostEntry[], names: readonly string[], blob: Buffer): HostKeyVerdict {
  const key = blob.toString('base64');
  const matching = entries.filter((entry) => entry.marker !== '@cert-authority' && entryMatches(entry, names));
  if (matching.some((entry) => entry.marker === '@revoked' && entry.key === key)) return { kind: 'revoked' };
  const candidates = matching.filter((entry) => entry.marker === undefined);
  if (candidates.some((entry) => entry.key === key)) return { kind: 'known' };
  if (candidates.length === 0) return { kind: 'unknown' };
  return { kind: 'changed', knownTypes: [...new Set(candidates.map((entry) => entry.keyType))] };
}

export function knownHostsLine(name: string, blob: Buffer): string {
  return `${name} ${keyTypeOf(blob)} ${blob.toString('base64')}`;
}

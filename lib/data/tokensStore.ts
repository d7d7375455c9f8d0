/**
 * tokens.yaml: the API tokens `mcp serve` accepts, by name, as hashes only (mode 0600, written
 * under the same lock and atomic replace as the registry). The service asks on every request, so
 * the parsed file is kept until the file changes (inode, size or mtime): a token revoked or
 * created by `mcp token` applies to the next request, without a restart.
 */
import { NotFoundError, ValidationError } from '../errors.js';
import type { TokenEntry, TokenRole, TokensFile } from './models.js';
import { SERVER_NAME_PATTERN, TOKEN_NAME_PATTERN } from './schemas.js';
import { hashTokenSecret, newTokenSecret, secretMatches } from './tokenSecret.js';
import { validateTokensFile } from './validate.js';
import { YamlFile } from './yamlFile.js';

export interface TokenRequest {
  name: string;
  role: TokenRole;
  /** Lifetime from now, in ms; none: the token does not expire. */
  expiresInMs?: number | undefined;
  servers?: readonly string[] | undefined;
}

/** What a token is allowed: its name (for the audit log), role and server limit. */
export interface Principal {
  name: string;
  role: TokenRole;
  servers?: readonly string[];
}

/** A token as listed: everything but the hash. */
export interface TokenSummary {
  name: string;
  role: TokenRole;
  created_at: string;
  expires_at?: string;
  servers?: string[];
  expired: boolean;
}

export type Authentication = { ok: true; principal: Principal } | { ok: false; reason: 'unknown' | 'expired' };

const NAME = new RegExp(TOKEN_NAME_PATTERN);
const SERVER_NAME = new RegExp(SERVER_NAME_PATTERN);

export class TokensStore {
  private readonly yaml: YamlFile<TokensFile>;

  constructor(readonly file: string) {
    // Hashes only, but still never readable by others: the mode is forced on every write. The
    // service reads it on every request, so the parsed file is kept until it changes.
    this.yaml = new YamlFile(file, validateTokensFile, () => ({ tokens: {} }), { mode: 0o600, cacheReads: true });
  }

  /** Make a token; the secret is returned here once and stored nowhere. */
  async create(request: TokenRequest, now = new Date()): Promise<{ secret: string; summary: TokenSummary }> {
    if (!NAME.test(request.name) || request.name.length > 64) {
      throw new ValidationError(`invalid token name "${request.name}": use letters, digits, "_", "." and "-", starting with a letter or digit`, 'INVALID_NAME');
    }
    const badServer = request.servers?.find((server) => !SERVER_NAME.test(server));
    if (badServer !== undefined) throw new ValidationError(`invalid server name "${badServer}" in --servers`, 'INVALID_NAME');
    const secret = newTokenSecret();
    const entry: TokenEntry = { hash: hashTokenSecret(secret), role: request.role, created_at: now.toISOString() };
    if (request.expiresInMs !== undefined) entry.expires_at = new Date(now.getTime() + request.expiresInMs).toISOString();
    if (request.servers && request.servers.length > 0) entry.servers = [...new Set(request.servers)];
    await this.yaml.update((doc, current) => {
      if (Object.hasOwn(current.tokens, request.name)) {
        throw new ValidationError(`a token named "${request.name}" already exists (revoke it first, or pick another name)`, 'ALREADY_EXISTS');
      }
      doc.setIn(['tokens', request.name], doc.createNode(entry));
    });
    return { secret, summary: summarize(request.name, entry, now) };
  }

  async list(now = new Date()): Promise<TokenSummary[]> {
    const { tokens } = await this.yaml.read();
    return Object.entries(tokens).map(([name, entry]) => summarize(name, entry, now));
  }

  revoke(name: string): Promise<void> {
    return this.yaml.update((doc, current) => {
      if (!Object.hasOwn(current.tokens, name)) throw new NotFoundError(`no token named "${name}" (see \`mcp token list\`)`);
      doc.deleteIn(['tokens', name]);
    });
  }

  /** Who presents `secret`, if anyone. Every stored hash is compared, each in constant time. */
  async authenticate(secret: string, now = new Date()): Promise<Authentication> {
    const { tokens } = await this.yaml.read();
    let found: [string, TokenEntry] | undefined;
    for (const [name, entry] of Object.entries(tokens)) {
      if (secretMatches(secret, entry.hash) && !found) found = [name, entry];
    }
    if (!found) return { ok: false, reason: 'unknown' };
    const [name, entry] = found;
    if (entry.expires_at && Date.parse(entry.expires_at) <= now.getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, principal: { name, role: entry.role, ...(entry.servers ? { servers: entry.servers } : {}) } };
  }
}

function summarize(name: string, entry: TokenEntry, now: Date): TokenSummary {
  return {
    name,
    role: entry.role,
    created_at: entry.created_at,
    ...(entry.expires_at ? { expires_at: entry.expires_at } : {}),
    ...(entry.servers ? { servers: [...entry.servers] } : {}),
    expired: entry.expires_at !== undefined && Date.parse(entry.expires_at) <= now.getTime(),
  };
}

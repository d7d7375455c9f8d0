/**
 * Who may call what. Every route declares, in its route config, either the weakest role it needs
 * (`config: { role: 'viewer' }`) or that it is public (`config: { public: true }`: the health check
 * and the static documentation, which a browser loads without a header). Roles are ordered
 * client < viewer < operator < admin and a stronger role passes every check of a weaker one, so a
 * route that declares `client` (the MCP gateway) is open to every token. Handlers never test roles.
 */
import type { MCPServerManager } from '../../core/mcpServerManager.js';
import type { HostsStore } from '../../data/hostsStore.js';
import type { TokenRole } from '../../data/models.js';
import { TOKEN_ROLES } from '../../data/schemas.js';
import type { Principal, TokensStore } from '../../data/tokensStore.js';
import type { AuditLog } from './audit.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The weakest role allowed to call the route. */
    role?: TokenRole;
    /** No token needed (health check, static pages). */
    public?: boolean;
    /**
     * Whether a call is written to the audit log. Default: every method but GET and HEAD; a POST
     * that changes nothing (a health check) says `audit: false`.
     */
    audit?: boolean;
  }
  interface FastifyRequest {
    /** The token's name, role and server limit; set by the auth hook on every non-public route. */
    principal?: Principal;
  }
  interface FastifyInstance {
    /** What routes and extensions work with: the same facade the CLI uses, and the token store. */
    msm: ServerServices;
  }
}

export interface ServerServices {
  manager: MCPServerManager;
  hosts: HostsStore;
  tokens: TokensStore;
  audit: AuditLog;
  /** Aborted when the service shuts down: long-lived responses (SSE) end on it. */
  shutdown: AbortSignal;
  /** Log follows open at once, over all clients (each holds a `docker logs` on its host). */
  maxFollows: number;
}

const RANK: Record<TokenRole, number> = Object.fromEntries(TOKEN_ROLES.map((role, index) => [role, index])) as Record<TokenRole, number>;

export function roleAllows(have: TokenRole, need: TokenRole): boolean {
  return RANK[have] >= RANK[need];
}

/** Whether a token limited with `--servers` may see `name` (an unlimited token sees everything). */
export function mayAccessServer(principal: Principal | undefined, name: string): boolean {
  return !principal?.servers || principal.servers.includes(name);
}

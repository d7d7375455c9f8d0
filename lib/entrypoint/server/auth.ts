/**
 * The one authentication and authorization hook. onRequest: a public route passes; any other
 * needs `Authorization: Bearer <token>` naming a live token (401 with `WWW-Authenticate: Bearer`
 * otherwise) whose role is at least the route's (403 otherwise). preHandler (after the params are
 * parsed): a token limited to some servers meets the others as absent (404), wherever a route has
 * a `:name` parameter, which by convention always names a server.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../errors.js';
import { mayAccessServer, roleAllows } from './access.js';
import { HttpError } from './httpErrors.js';

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]+)$/;

export function installAuth(app: FastifyInstance): void {
  app.decorateRequest('principal', undefined);

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const config = request.routeOptions.config;
    if (config.public) return;
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    if (!match) throw unauthorized(reply, header === undefined ? 'missing bearer token (send Authorization: Bearer <token>; see `mcp token create`)' : 'malformed Authorization header (expected: Bearer <token>)');
    const result = await app.msm.tokens.authenticate(match[1] as string);
    if (!result.ok) throw unauthorized(reply, result.reason === 'expired' ? 'the token has expired' : 'unknown or revoked token');
    request.principal = result.principal;
    // A route that declares nothing is treated as admin-only: forgetting a role never opens a route.
    // An unknown URL needs only a valid token, so every caller gets the same 404.
    const need = request.is404 ? 'client' : (config.role ?? 'admin');
    if (!roleAllows(result.principal.role, need)) {
      throw new HttpError(403, `the token "${result.principal.name}" has the role ${result.principal.role}; this needs ${need} or above`, 'FORBIDDEN');
    }
  });

  app.addHook('preHandler', async (request: FastifyRequest) => {
    const name = (request.params as { name?: unknown } | undefined)?.name;
    if (typeof name === 'string' && !mayAccessServer(request.principal, name)) {
      throw new NotFoundError(`no server named "${name}" is registered`);
    }
  });
}

function unauthorized(reply: FastifyReply, message: string): HttpError {
  reply.header('www-authenticate', 'Bearer realm="msm"');
  return new HttpError(401, message, 'UNAUTHORIZED');
}

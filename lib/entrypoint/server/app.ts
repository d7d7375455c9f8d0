/**
 * The `mcp serve` fastify app: the management API under /api/v1 over the same MCPServerManager
 * as the CLI, one auth hook, one error mapping, schema validation from lib/data/schemas.ts.
 *
 * Extending it (the MCP gateway, the dashboard): write a fastify plugin and add it to
 * `extensions` in ./extensions.ts. Inside the plugin:
 *   - declare each route's weakest role in its config, e.g.
 *       app.post('/mcp/:name', { config: { role: 'client' } }, handler)
 *     (client < viewer < operator < admin; a stronger token passes a weaker route's check), or
 *     `config: { public: true }` for what a browser loads without a token (static pages);
 *     a route that declares nothing is admin-only;
 *   - a `:name` path parameter always names a server: tokens limited with `--servers` get 404 for
 *     the others before the handler runs;
 *   - `request.principal` is the caller's token ({ name, role, servers? });
 *   - `app.msm.manager` is the facade (list, get, start, logs, ...), `app.msm.tokens` the token
 *     store, and `app.msm.shutdown` aborts when the service stops (end long-lived streams on it);
 *   - throw the tool's errors (lib/errors.ts): they become `{error: {message, code}}` with the
 *     right status (httpErrors.ts).
 */
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { ServerServices } from './access.js';
import { installAudit } from './audit.js';
import { installAuth } from './auth.js';
import { extensions as registeredExtensions, type ServerExtension } from './extensions.js';
import { clientError, frameworkError, installErrorHandling } from './httpErrors.js';
import { registerDocs, registerOpenApi } from './openapi.js';
import { installRequestLog } from './requestLog.js';
import { healthRoutes } from './routes/health.js';
import { hostRoutes } from './routes/hosts.js';
import { lifecycleRoutes } from './routes/lifecycle.js';
import { logRoutes } from './routes/logs.js';
import { serverRoutes } from './routes/servers.js';
import { whoamiRoutes } from './routes/whoami.js';
import { installValidation } from './validation.js';

export const API_PREFIX = '/api/v1';

/** Request bodies above this are refused with 413: the largest real one (an add) is a few KiB. */
export const BODY_LIMIT = 64 * 1024;

export interface AppOptions {
  services: ServerServices;
  logger?: FastifyServerOptions['logger'];
  https?: { key: Buffer; cert: Buffer };
  extensions?: readonly ServerExtension[];
  /** Run when the app closes, after the audit log: release what the services hold (connections). */
  onClose?: () => Promise<void>;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    // One line per request, written by requestLog.ts, instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    // Bound how long a slow or stuck client may hold a connection before its request is read.
    requestTimeout: 30_000,
    frameworkErrors: frameworkError,
    clientErrorHandler: clientError,
    ...(options.https ? { https: options.https } : {}),
  }) as unknown as FastifyInstance;
  app.decorate('msm', options.services);
  installValidation(app);
  installErrorHandling(app);
  installAuth(app);
  installAudit(app);
  installRequestLog(app);
  app.addHook('onClose', async () => {
    await options.services.audit.close();
    await options.onClose?.();
  });

  await registerOpenApi(app);
  await app.register(healthRoutes);
  await app.register(serverRoutes, { prefix: API_PREFIX });
  await app.register(lifecycleRoutes, { prefix: API_PREFIX });
  await app.register(logRoutes, { prefix: API_PREFIX });
  await app.register(hostRoutes, { prefix: API_PREFIX });
  await app.register(whoamiRoutes, { prefix: API_PREFIX });
  for (const extension of options.extensions ?? registeredExtensions) {
    await app.register(extension.plugin, { prefix: extension.prefix ?? '' });
  }
  await registerDocs(app);
  await app.ready();
  return app;
}

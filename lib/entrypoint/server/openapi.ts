/**
 * The API describes itself: @fastify/swagger builds an OpenAPI 3.1 document from the routes'
 * schemas (the models keep their names as components), served as /openapi.json, and
 * @fastify/swagger-ui serves an interactive page at /docs from node_modules (no CDN). Both are
 * public: they hold no data, and a browser cannot attach a bearer token to a page load. The
 * document is committed as docs/openapi.json (scripts/openapi.mjs writes it; a test compares).
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { packageVersion } from '../cli/version.js';

/** Must be registered before the routes it describes. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'msm management API',
        version: packageVersion(),
        description:
          'Manage MCP servers running as Docker containers, as `mcp` does on the command line. Every route but /healthz needs `Authorization: Bearer <token>` (see `mcp token create`); roles: viewer (reads), operator (lifecycle), admin (configuration).',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'a token from `mcp token create`' } },
      },
      security: [{ bearer: [] }],
      tags: [
        { name: 'servers', description: 'registered servers' },
        { name: 'lifecycle', description: 'start, stop, restart, pull, up' },
        { name: 'logs', description: 'container output' },
        { name: 'hosts', description: 'the hosts inventory' },
        { name: 'service', description: 'the service itself' },
      ],
    },
    refResolver: {
      // Components named after the models' $id (ServerData, Error, ...) instead of def-0, def-1.
      buildLocalReference: (json, _baseUri, _fragment, index) => (typeof json.$id === 'string' ? json.$id : `def-${index}`),
    },
  });
}

export async function registerDocs(app: FastifyInstance): Promise<void> {
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  await app.register(async (docs) => {
    // Every route the UI plugin adds (the page, its assets, its copy of the document) is public.
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    await docs.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  });
}

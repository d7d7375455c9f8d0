/** `GET /healthz`: the one route without a token, for load balancers and systemd watchdogs. */
import type { FastifyPluginAsync } from 'fastify';
import { packageVersion } from '../../cli/version.js';

export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        summary: 'Liveness of the service (no token needed)',
        tags: ['service'],
        security: [],
        response: {
          200: {
            type: 'object',
            required: ['status', 'version'],
            properties: { status: { type: 'string', const: 'ok' }, version: { type: 'string' } },
          },
        },
      },
    },
    async () => ({ status: 'ok', version: packageVersion() }),
  );
};

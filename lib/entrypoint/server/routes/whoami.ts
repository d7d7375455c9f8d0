/**
 * `GET /whoami`: the caller's token name, role and server limit, so a client (the dashboard)
 * can offer only what the token may do. Open to every role, `client` included.
 */
import type { FastifyPluginAsync } from 'fastify';
import { ref } from '../apiSchemas.js';

export const whoamiRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/whoami',
    {
      config: { role: 'client' },
      schema: {
        summary: 'The calling token: name, role and the servers it is limited to',
        tags: ['service'],
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'role', 'servers'],
            properties: {
              name: { type: 'string' },
              role: ref('TokenRole'),
              servers: { anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'null' }], description: 'null: every server' },
            },
          },
          401: ref('Error'),
        },
      },
    },
    async (request) => ({ name: request.principal?.name, role: request.principal?.role, servers: request.principal?.servers ?? null }),
  );
};

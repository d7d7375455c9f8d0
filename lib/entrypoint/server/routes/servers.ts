/** `/servers`: list, get, add and remove registered servers. */
import type { FastifyPluginAsync } from 'fastify';
import { toRecord } from '../../cli/results.js';
import { mayAccessServer } from '../access.js';
import { addServerBody, errorResponses, ref, serverNameParams } from '../apiSchemas.js';
import { errorBody, HttpError } from '../httpErrors.js';
import { failureStatus } from '../results.js';

const tags = ['servers'];

export const serverRoutes: FastifyPluginAsync = async (app) => {
  const { manager } = app.msm;

  app.get<{ Querystring: { host?: string; stats?: boolean; health?: boolean } }>(
    '/servers',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Every registered server with its live status (as `mcp list --json`)',
        tags,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            host: { type: 'string', minLength: 1, maxLength: 255, description: 'only servers on this host' },
            stats: { type: 'boolean', description: 'add CPU, memory and pids (one docker stats sample per host, about 2 s)' },
            health: { type: 'boolean', description: 'run each running server\'s health check (for MCP: latency, server name, tool count), as the dashboard shows' },
          },
        },
        response: { 200: { type: 'array', items: ref('ServerData') }, ...errorResponses },
      },
    },
    async (request) => {
      const { host, stats, health } = request.query;
      const servers = await manager.list({ all: true, ...(host ? { host } : {}) }, { stats: Boolean(stats), health: Boolean(health) });
      return servers.filter((server) => mayAccessServer(request.principal, server.config.name));
    },
  );

  app.get<{ Params: { name: string }; Querystring: { lines?: number } }>(
    '/servers/:name',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'One server: config, live status, resources, health and its last log lines (as `mcp get --json`)',
        tags,
        params: serverNameParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { lines: { type: 'integer', minimum: 0, maximum: 1000, default: 20, description: 'recent log lines to include' } },
        },
        response: { 200: ref('ServerData'), ...errorResponses, 502: ref('Error'), 504: ref('Error') },
      },
    },
    async (request) => manager.get(request.params.name, { logLines: request.query.lines ?? 20 }),
  );

  app.post<{ Body: Parameters<typeof manager.add>[0] }>(
    '/servers',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Register a server from its docker run command (as `mcp add`); does not start it',
        tags,
        body: addServerBody,
        response: { 201: ref('ServerData'), ...errorResponses, 409: ref('Error'), 422: ref('Error') },
      },
    },
    async (request, reply) => {
      const input = request.body;
      if (!mayAccessServer(request.principal, input.name)) {
        throw new HttpError(403, `the token "${request.principal?.name}" is limited to other servers`, 'FORBIDDEN');
      }
      const entry = await manager.add(input);
      return reply.status(201).send(entry);
    },
  );

  app.delete<{ Params: { name: string }; Querystring: { purge?: boolean } }>(
    '/servers/:name',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Unregister a server (as `mcp remove`); with purge=true its container is removed first',
        tags,
        params: serverNameParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { purge: { type: 'boolean', default: false, description: 'also remove the container' } },
        },
        response: { 200: ref('TargetResult'), ...errorResponses, 409: ref('Error'), 502: ref('Error'), 504: ref('Error') },
      },
    },
    async (request, reply) => {
      const result = await manager.remove(request.params.name, { purge: Boolean(request.query.purge) });
      const record = toRecord(result);
      if (result.ok) return record;
      // The container could not be removed, so the entry was kept.
      return reply.status(failureStatus(result)).send(errorBody(record.error ?? 'the container could not be removed', result.error?.code ?? 'ERROR'));
    },
  );
};

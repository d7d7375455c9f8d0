/** `/hosts`: the inventory (hosts.yaml) and whether each host answers. */
import type { FastifyPluginAsync } from 'fastify';
import type { HostEntry } from '../../../data/models.js';
import { HOST_ALIAS_PATTERN, hostEntrySchema } from '../../../data/schemas.js';
import { errorResponses, hostCheckSchema } from '../apiSchemas.js';
import { optionalBody } from '../validation.js';

const tags = ['hosts'];
const hostItem = { type: 'object', additionalProperties: false, required: ['alias', 'address'], properties: { alias: { type: 'string' }, ...hostEntrySchema.properties } } as const;
const aliasParams = { type: 'object', additionalProperties: false, required: ['alias'], properties: { alias: { type: 'string', pattern: HOST_ALIAS_PATTERN, maxLength: 255 } } } as const;

export const hostRoutes: FastifyPluginAsync = async (app) => {
  const { manager, hosts } = app.msm;

  app.get(
    '/hosts',
    {
      config: { role: 'viewer' },
      schema: { summary: 'The hosts inventory (as `mcp hosts list --json`)', tags, response: { 200: { type: 'array', items: hostItem }, ...errorResponses } },
    },
    async () => Object.entries((await hosts.read()).hosts).map(([alias, entry]) => ({ alias, ...entry })),
  );

  app.post<{ Body: { hosts?: string[] } | undefined }>(
    '/hosts/check',
    {
      config: { role: 'viewer', audit: false },
      preValidation: optionalBody,
      schema: {
        summary: 'Connect to hosts and run `docker version` (every host in use when none named), as `mcp hosts check`',
        tags,
        body: { type: 'object', additionalProperties: false, properties: { hosts: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', pattern: HOST_ALIAS_PATTERN, maxLength: 255 } } } },
        response: { 200: { type: 'array', items: hostCheckSchema }, ...errorResponses },
      },
    },
    async (request) => manager.checkHosts(request.body?.hosts),
  );

  app.post<{ Body: HostEntry & { alias: string } }>(
    '/hosts',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Add a host to the inventory (as `mcp hosts add`)',
        tags,
        body: { ...hostItem, properties: { ...hostItem.properties, alias: aliasParams.properties.alias } },
        response: { 201: hostItem, ...errorResponses, 409: errorResponses[400] },
      },
    },
    async (request, reply) => {
      const { alias, ...entry } = request.body;
      return reply.status(201).send({ alias, ...(await manager.addHost(alias, entry)) });
    },
  );

  app.delete<{ Params: { alias: string } }>(
    '/hosts/:alias',
    {
      config: { role: 'admin' },
      schema: { summary: 'Remove a host from the inventory (refused while servers use it)', tags, params: aliasParams, response: { 200: hostItem, ...errorResponses, 409: errorResponses[400] } },
    },
    async (request) => ({ alias: request.params.alias, ...(await manager.removeHost(request.params.alias)) }),
  );
};

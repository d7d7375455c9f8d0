/** `/hosts`: the inventory (hosts.yaml) and whether each host answers. */
import type { FastifyPluginAsync } from 'fastify';
import { validateHostRef } from '../../../core/hostRef.js';
import { parseDockerPrefix } from '../../../core/exec/sshTarget.js';
import type { HostEntry } from '../../../data/models.js';
import { hostEntrySchema } from '../../../data/schemas.js';
import { ValidationError } from '../../../errors.js';
import { errorResponses, hostCheckSchema } from '../apiSchemas.js';
import { optionalBody } from '../validation.js';

const tags = ['hosts'];
const ALIAS = '^[a-zA-Z0-9][a-zA-Z0-9_.-]*$';
const hostItem = { type: 'object', additionalProperties: false, required: ['alias', 'address'], properties: { alias: { type: 'string' }, ...hostEntrySchema.properties } } as const;
const aliasParams = { type: 'object', additionalProperties: false, required: ['alias'], properties: { alias: { type: 'string', pattern: ALIAS, maxLength: 255 } } } as const;

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
        summary: 'Connect to hosts and ask each engine for its version (`docker info`; every host in use when none named), as `mcp hosts check`',
        tags,
        body: { type: 'object', additionalProperties: false, properties: { hosts: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', pattern: ALIAS, maxLength: 255 } } } },
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
      if (alias === 'localhost') throw new ValidationError('"localhost" is this machine and cannot be an alias', 'INVALID_HOST');
      entry.address = validateHostRef(entry.address);
      if (entry.docker !== undefined) parseDockerPrefix(entry.docker, alias);
      await hosts.add(alias, entry);
      return reply.status(201).send({ alias, ...entry });
    },
  );

  app.delete<{ Params: { alias: string } }>(
    '/hosts/:alias',
    {
      config: { role: 'admin' },
      schema: { summary: 'Remove a host from the inventory (refused while servers use it)', tags, params: aliasParams, response: { 200: hostItem, ...errorResponses, 409: errorResponses[400] } },
    },
    async (request) => {
      const { alias } = request.params;
      const users = (await manager.resolve({ all: true })).filter((s) => s.config.host === alias).map((s) => s.config.name);
      if (users.length > 0) throw new ValidationError(`host "${alias}" is used by ${users.join(', ')}; remove or move those servers first`, 'HOST_IN_USE');
      return { alias, ...(await hosts.remove(alias)) };
    },
  );
};

/**
 * Lifecycle: `POST /servers/{name}/start|stop|restart|pull|health` for one server and
 * `POST /servers/start|stop|restart|pull|up` for many (`{names}`, `{all: true}` or `{host}`).
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Selector } from '../../../core/mcpServerManager.js';
import type { TargetResult } from '../../../core/target.js';
import { NotFoundError } from '../../../errors.js';
import type { HealthResult } from '../../../data/models.js';
import { pullRecord, toRecord, type ResultRecord } from '../../cli/results.js';
import { mayAccessServer } from '../access.js';
import { bulkSelectorBody, errorResponses, ref, serverNameParams, startOptionsBody } from '../apiSchemas.js';
import { bulkStatus, failureStatus } from '../results.js';
import { optionalBody } from '../validation.js';

type Action = 'start' | 'stop' | 'restart' | 'pull' | 'up';
type BulkBody = { names?: string[]; all?: boolean; host?: string; recreate?: boolean };

const tags = ['lifecycle'];
const ACTIONS: readonly Action[] = ['start', 'stop', 'restart', 'pull'];
/** `up` converges a set of servers; for one server, start or stop says what is wanted. */
const BULK_ACTIONS: readonly Action[] = [...ACTIONS, 'up'];
const SUMMARY: Record<Action, string> = {
  start: 'create, start or recreate as needed (as `mcp start`)',
  stop: 'stop, keeping the container (as `mcp stop`)',
  restart: 'restart, recreating when the command changed (as `mcp restart`)',
  pull: 'pull the image on the server\'s host (as `mcp pull`)',
  up: 'bring to the desired state, what start/stop last asked or auto_start (as `mcp up`)',
};

export const lifecycleRoutes: FastifyPluginAsync = async (app) => {
  const { manager } = app.msm;

  /** Runs the action; each result comes with its --json record. */
  const run = async (action: Action, selector: Selector, recreate: boolean): Promise<{ result: TargetResult; record: ResultRecord }[]> => {
    if (action === 'pull') return (await manager.pull(selector)).map((result) => ({ result, record: pullRecord(result) }));
    const act = { start: () => manager.start(selector, { recreate }), stop: () => manager.stop(selector), restart: () => manager.restart(selector), up: () => manager.up(selector) };
    const results = await act[action]();
    return results.map((result) => ({ result, record: toRecord(result) }));
  };

  /**
   * The selector a request may act on. A token limited to some servers meets the others as absent:
   * names outside its list are 404, and `all`/`host` mean all of its own servers.
   */
  const scoped = async (request: FastifyRequest<{ Body: BulkBody }>): Promise<Selector | undefined> => {
    const { names, all, host } = request.body ?? {};
    const limit = request.principal?.servers;
    const hidden = names?.filter((name) => !mayAccessServer(request.principal, name)) ?? [];
    if (hidden.length > 0) throw new NotFoundError(`no server named ${hidden.map((n) => `"${n}"`).join(', ')} is registered`);
    const selector: Selector = { ...(names ? { names } : {}), ...(all || (host && !names) ? { all: true } : {}), ...(host ? { host } : {}) };
    if (!limit || names) return selector;
    const own = (await manager.resolve({ all: true })).map((entry) => entry.config.name).filter((name) => limit.includes(name));
    return own.length > 0 ? { names: own, ...(host ? { host } : {}) } : undefined;
  };

  for (const action of ACTIONS) {
    app.post<{ Params: { name: string }; Body: { recreate?: boolean } | undefined }>(
      `/servers/:name/${action}`,
      {
        config: { role: 'operator' },
        preValidation: optionalBody,
        schema: {
          summary: `One server: ${SUMMARY[action]}`,
          tags,
          params: serverNameParams,
          body: action === 'start' || action === 'restart' ? startOptionsBody : { type: 'object', additionalProperties: false, properties: {} },
          response: { 200: ref('TargetResult'), ...errorResponses, 409: ref('Error'), 422: ref('Error'), 502: ref('Error'), 504: ref('Error') },
        },
      },
      async (request, reply) => {
        const [done] = await run(action, { names: [request.params.name] }, Boolean(request.body?.recreate));
        if (!done) throw new NotFoundError(`no server named "${request.params.name}" is registered`);
        if (done.result.ok) return done.record;
        return reply.status(failureStatus(done.result)).send({ error: done.result.error ?? { message: 'failed', code: 'ERROR' } });
      },
    );

  }

  for (const action of BULK_ACTIONS) {
    app.post<{ Body: BulkBody }>(
      `/servers/${action}`,
      {
        config: { role: 'operator' },
        schema: {
          summary: `Many servers: ${SUMMARY[action]}; 200 when all succeeded, 207 when some failed`,
          tags,
          body: bulkSelectorBody,
          response: { 200: { type: 'array', items: ref('TargetResult') }, 207: { type: 'array', items: ref('TargetResult') }, ...errorResponses },
        },
      },
      async (request, reply) => {
        const selector = await scoped(request);
        const records = selector ? (await run(action, selector, Boolean(request.body.recreate))).map((done) => done.record) : [];
        return reply.status(bulkStatus(records)).send(records);
      },
    );
  }

  app.post<{ Params: { name: string } }>(
    '/servers/:name/health',
    {
      config: { role: 'viewer', audit: false },
      schema: {
        summary: 'Run the server\'s health check now (as `mcp health`)',
        tags,
        params: serverNameParams,
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'host', 'ok', 'health'],
            properties: { name: { type: 'string' }, host: { type: 'string' }, ok: { type: 'boolean' }, health: ref('HealthResult') },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const [result] = (await manager.health({ names: [request.params.name] })) as TargetResult<HealthResult>[];
      return { name: result?.name, host: result?.host, ok: Boolean(result?.ok), health: result?.value ?? { status: 'unchecked', error: result?.error?.message ?? 'not checked' } };
    },
  );
};

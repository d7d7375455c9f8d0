/**
 * `GET /servers/{name}/logs`: recent lines as a JSON array, or with `follow=true` a
 * text/event-stream of one event per new line until the client goes away (or the service stops),
 * which ends the `docker logs --follow` on the host too.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { LogQuery } from '../../../core/logManager.js';
import { SINCE_PATTERN } from '../../../data/since.js';
import { errorResponses, logLineSchema, ref, serverNameParams } from '../apiSchemas.js';
import { HttpError } from '../httpErrors.js';

interface LogsQuery {
  tail?: number;
  since?: string;
  grep?: string;
  errors?: boolean;
  follow?: boolean;
}

/** A comment line now and then keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

export const logRoutes: FastifyPluginAsync = async (app) => {
  const { manager } = app.msm;
  let following = 0;

  app.get<{ Params: { name: string }; Querystring: LogsQuery }>(
    '/servers/:name/logs',
    {
      config: { role: 'viewer' },
      schema: {
        summary: "A server's output, stdout and stderr in order (as `mcp log`); follow=true streams server-sent events",
        tags: ['logs'],
        params: serverNameParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            tail: { type: 'integer', minimum: 0, maximum: 100_000, default: 100, description: 'last N lines (counted before filtering)' },
            since: { type: 'string', maxLength: 40, pattern: SINCE_PATTERN, description: 'only lines since a time or a duration (10m, 1h30m)' },
            grep: { type: 'string', minLength: 1, maxLength: 1000, description: 'only lines containing this text' },
            errors: { type: 'boolean', description: 'only stderr lines and lines that look like errors' },
            follow: { type: 'boolean', description: 'stream new lines as text/event-stream, one `data:` event (a JSON log line) each' },
          },
        },
        response: {
          200: {
            description: 'JSON: the lines; with follow=true: an event stream, each event\'s data one line as JSON',
            content: {
              'application/json': { schema: { type: 'array', items: logLineSchema } },
              'text/event-stream': { schema: { type: 'string' } },
            },
          },
          ...errorResponses,
          429: ref('Error'),
          502: ref('Error'),
          504: ref('Error'),
        },
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      const { tail = 100, since, grep, errors, follow } = request.query;
      const query: LogQuery = { tail, ...(since ? { since } : {}), ...(grep !== undefined ? { grep } : {}), ...(errors ? { errorsOnly: true } : {}) };
      if (!follow) return manager.logs(name, query);
      // Each follow holds a `docker logs` process on its host: past the limit, callers wait their turn.
      const limit = app.msm.maxFollows;
      if (following >= limit) throw new HttpError(429, `${limit} log follows are open already (--max-follows); close one or try again later`, 'TOO_MANY_FOLLOWS');

      following += 1;
      try {
        // Before any header goes out: an unknown server or one without a container is a plain 404.
        await manager.logs(name, { tail: 0 });
      } catch (err) {
        following -= 1;
        throw err;
      }
      const stop = new AbortController();
      const end = () => stop.abort();
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
      raw.write(': following\n\n');
      raw.on('close', end);
      app.msm.shutdown.addEventListener('abort', end, { once: true });
      const heartbeat = setInterval(() => raw.write(': keepalive\n\n'), HEARTBEAT_MS);
      try {
        const [result] = await manager.followLogs({ names: [name] }, query, (_target, line) => raw.write(`data: ${JSON.stringify(line)}\n\n`), stop.signal);
        if (result && !result.ok && !raw.destroyed) raw.write(`event: error\ndata: ${JSON.stringify({ error: result.error })}\n\n`);
      } finally {
        following -= 1;
        clearInterval(heartbeat);
        app.msm.shutdown.removeEventListener('abort', end);
        raw.off('close', end);
        raw.end();
        request.log.info({ method: request.method, url: request.url, status: 200, ms: Math.round(reply.elapsedTime), token: request.principal?.name }, 'request');
      }
    },
  );
};

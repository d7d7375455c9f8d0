/**
 * The MCP gateway: `/mcp/<name>` is a Streamable HTTP MCP endpoint for every registered server,
 * wherever it runs. Role `client` and up; a token limited with `--servers` meets other servers as
 * absent (404, by the auth hook's `:name` rule).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import os from 'node:os';
import { serviceUrl } from '../listen.js';
import { proxyHttp } from './httpProxy.js';
import { StdioSessions } from './stdioSessions.js';

const WILDCARDS = new Set(['0.0.0.0', '::']);

export const gatewayPlugin: FastifyPluginAsync = async (app) => {
  const hub = app.msm.manager.createGatewayHub((line) => app.log.info(line));
  // MSM_GATEWAY_IDLE_MS: a shorter idle limit, for tests of abandoned sessions.
  const idleMs = Number(process.env.MSM_GATEWAY_IDLE_MS) || undefined;
  const stdio = new StdioSessions(idleMs ? { idleMs, sweepMs: Math.max(100, Math.min(idleMs, 60_000) / 2) } : {});
  // Each server's endpoint (get, list, the API) names this gateway: $MSM_GATEWAY when set (the
  // address clients use, e.g. behind a proxy), else the address the service listens on.
  app.addHook('onListen', async () => {
    const bound = app.server.address();
    if (!bound || typeof bound === 'string') return;
    const host = WILDCARDS.has(bound.address) ? os.hostname() : bound.address;
    const tls = Boolean((app.initialConfig as { https?: unknown }).https);
    app.msm.manager.advertiseGateway(process.env.MSM_GATEWAY || serviceUrl({ host, port: bound.port }, tls));
  });
  app.addHook('onClose', async () => {
    await stdio.close();
    await hub.close();
  });

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const { name } = request.params as { name: string };
    const route = await hub.route(name);
    if (route.kind === 'http') await proxyHttp(route, request, reply);
    else await stdio.handle(route, request, reply);
  };

  const options = {
    config: { role: 'client' as const, audit: false },
    schema: {
      tags: ['gateway'],
      summary: 'MCP (Streamable HTTP) endpoint of a registered server',
      description: 'POST JSON-RPC messages, GET an SSE stream, DELETE to end the session (Mcp-Session-Id header). stdio servers are bridged to their container; HTTP servers are proxied.',
      params: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    },
  };
  app.post('/mcp/:name', options, handler);
  app.get('/mcp/:name', options, handler);
  app.delete('/mcp/:name', options, handler);
};

/**
 * The MCP gateway: `/mcp/<name>` is a Streamable HTTP MCP endpoint for every registered server,
 * wherever it runs. Role `client` and up; a token limited with `--servers` meets other servers as
 * absent (404, by the auth hook's `:name` rule).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { proxyHttp } from './httpProxy.js';
import { StdioSessions } from './stdioSessions.js';

export const gatewayPlugin: FastifyPluginAsync = async (app) => {
  const hub = app.msm.manager.createGatewayHub((line) => app.log.info(line));
  const stdio = new StdioSessions();
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

/**
 * The fleet dashboard: a static page at `/` and its files under `/dashboard/`, all public (a
 * browser cannot send a bearer token when it loads a page). The page holds no data: it signs in
 * with a token the user pastes and then calls the same /api/v1 routes as any other client.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../../errors.js';
import type { ServerExtension } from '../extensions.js';
import { etagMatches, prepareAssets, type StaticAsset } from './assets.js';
import { SECURITY_HEADERS } from './securityHeaders.js';
import { readStaticFiles } from './staticFiles.js';

/** Browsers revalidate every time (a 304 costs one small round trip), so an upgrade shows at once. */
const CACHE_CONTROL = 'no-cache';

const assetParams = {
  type: 'object',
  additionalProperties: false,
  required: ['file'],
  properties: { file: { type: 'string', pattern: '^[a-zA-Z0-9_-]+\\.[a-z]+$', maxLength: 64 } },
} as const;

const dashboardPlugin: FastifyPluginAsync = async (app) => {
  const assets = prepareAssets(await readStaticFiles());
  const page = assets.get('index.html');
  if (!page) throw new Error('dashboard: index.html is missing from the package');

  // Encapsulated in this plugin: only the dashboard's responses carry these.
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });

  const send = (request: FastifyRequest, reply: FastifyReply, asset: StaticAsset) => {
    reply.header('etag', asset.etag).header('cache-control', CACHE_CONTROL);
    if (etagMatches(request.headers['if-none-match'], asset.etag)) return reply.status(304).send();
    return reply.type(asset.contentType).send(asset.body);
  };

  app.get('/', { config: { public: true }, schema: { hide: true } }, (request, reply) => send(request, reply, page));

  app.get<{ Params: { file: string } }>('/dashboard/:file', { config: { public: true }, schema: { hide: true, params: assetParams } }, (request, reply) => {
    const asset = request.params.file === 'index.html' ? undefined : assets.get(request.params.file);
    if (!asset) throw new NotFoundError(`no dashboard file ${request.params.file}`, 'NO_ROUTE');
    return send(request, reply, asset);
  });
};

export const dashboardExtension: ServerExtension = { name: 'dashboard', plugin: dashboardPlugin };

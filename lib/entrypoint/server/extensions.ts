/**
 * Parts of `mcp serve` beyond the management API register here: the MCP gateway
 * (lib/entrypoint/server/gateway/, routes /mcp/{name}) and the dashboard
 * (lib/entrypoint/server/dashboard/, the page at /). Add one entry each; app.ts registers them
 * after the API, with the auth hook, error handling and validators already in place.
 */
import type { FastifyPluginAsync } from 'fastify';
import { dashboardExtension } from './dashboard/index.js';

export interface ServerExtension {
  /** For logs and errors. */
  name: string;
  plugin: FastifyPluginAsync;
  /** URL prefix for the plugin's routes ('' for the root). */
  prefix?: string;
}

export const extensions: ServerExtension[] = [dashboardExtension];

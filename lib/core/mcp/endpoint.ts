/** Where an MCP client reaches a registered server: what `list --wide` and `get` show. Pure. */
import type { MCPServerConfig, MCPServerStatus } from '../../data/models.js';
import { parseDockerCommand } from '../docker/parseRun.js';
import { gatewayUrl } from './gatewayLink.js';
import { serverKindOf } from './serverKind.js';

export type Endpoint = NonNullable<MCPServerStatus['endpoint']>;

/** undefined for a server that speaks no MCP transport msm can reach (no -i, no port). */
export function endpointOf(config: MCPServerConfig, gatewayBase: string | undefined): Endpoint | undefined {
  let transport;
  try {
    transport = serverKindOf(config, parseDockerCommand(config.docker_command));
  } catch {
    return undefined;
  }
  if (!transport) return undefined;
  let gateway: string | undefined;
  try {
    gateway = gatewayBase ? gatewayUrl(gatewayBase, config.name).toString() : undefined;
  } catch {
    gateway = undefined;
  }
  return { transport, connect: `mcp connect ${config.name}`, ...(gateway ? { gateway_url: gateway } : {}) };
}

/**
 * Which servers `mcp export` writes: only those that answered MCP's `initialize` in their health
 * check just now (the SDK client's initialize + tools/list, over HTTP or, for a stdio server, over
 * an attach to its running container), unless --force.
 */
import type { HealthResult } from '../../data/models.js';
import type { TargetResult } from '../target.js';

export interface GateVerdict {
  name: string;
  ok: boolean;
  reason?: string;
}

export function answersInitialize(result: TargetResult<HealthResult>): GateVerdict {
  const health = result.value;
  if (health?.type === 'mcp' && health.status === 'healthy') return { name: result.name, ok: true };
  if (!health || health.status === 'unchecked' || (health.type !== undefined && health.type !== 'mcp')) {
    const has = health?.type && health.type !== 'mcp' ? `its health check (${health.type}) does not speak MCP` : 'it has no MCP health check';
    return {
      name: result.name,
      ok: false,
      reason: `${has}, so msm cannot tell whether it answers initialize (register it with --health mcp: over HTTP with --port, over docker attach for a stdio command); pass --force to write it anyway`,
    };
  }
  return { name: result.name, ok: false, reason: `did not answer initialize: ${health.error ?? result.error?.message ?? health.status} (start it, or pass --force)` };
}

/** Which MCP transport a registered server speaks, from its registration. Pure. */
import type { MCPServerConfig } from '../../data/models.js';
import { ValidationError } from '../../errors.js';
import { isInteractive, type ParsedRun } from '../docker/parseRun.js';
import type { Target } from '../target.js';

export type ServerKind = 'stdio' | 'http';

/** A stdio server is one registered without a port whose command keeps stdin open (`-i`). */
export function serverKindOf(config: MCPServerConfig, parsed: ParsedRun): ServerKind | undefined {
  if (config.port !== undefined) return 'http';
  return isInteractive(parsed) ? 'stdio' : undefined;
}

export function requireServerKind(target: Target): ServerKind {
  const kind = serverKindOf(target.config, target.parsed);
  if (!kind) {
    throw new ValidationError(
      `server "${target.name}" speaks neither stdio (its command has no -i) nor HTTP (no --port is registered): register its port with \`mcp add ... --port P\` or its stdio command with -i`,
      'NOT_AN_MCP_SERVER',
    );
  }
  return kind;
}

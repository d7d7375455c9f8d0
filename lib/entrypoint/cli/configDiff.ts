/** What `mcp set` and `mcp edit` show before and after changing a server: one line per changed field. */
import type { MCPServerConfig } from '../../data/models.js';
import type { Output } from './output.js';

const shown = (value: unknown) => (value === undefined ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value));

export function printChanges(out: Output, before: MCPServerConfig, after: MCPServerConfig, changed: readonly string[]): void {
  const { colors } = out;
  for (const key of changed) {
    const from = (before as Record<string, unknown>)[key];
    const to = (after as Record<string, unknown>)[key];
    out.line(`  ${key}:`);
    out.line(colors.red(`    - ${shown(from)}`));
    out.line(colors.green(`    + ${shown(to)}`));
  }
}

/** What applying the change takes, said once after it is stored. */
export function nextSteps(out: Output, before: MCPServerConfig, after: MCPServerConfig, changed: readonly string[]): void {
  if (changed.includes('host')) {
    out.warn(`a container on ${before.host} is left as it is; \`mcp move ${after.name} --host ${after.host}\` moves a server with its container`);
  } else if (changed.length > 0) {
    out.line(`  \`mcp start ${after.name}\` recreates its container with the new settings`);
  }
}

export interface ConfigChangeRecord {
  name: string;
  host: string;
  changed: string[];
  config: MCPServerConfig;
}

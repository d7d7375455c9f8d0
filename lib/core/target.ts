/**
 * A registered server made ready for an operation: its config, its parsed docker command and the
 * name its container has. Built once per command from the registry.
 */
import type { MCPServerConfig, MCPServerData } from '../data/models.js';
import { parseDockerCommand, type ParsedRun } from './docker/parseRun.js';
import { containerNameOf, type RunContext } from './docker/runPlan.js';

export interface Target {
  name: string;
  host: string;
  config: MCPServerConfig;
  parsed: ParsedRun;
  containerName: string;
}

export function toTarget(entry: MCPServerData, variables: RunContext['variables']): Target {
  const parsed = parseDockerCommand(entry.config.docker_command);
  let containerName: string;
  try {
    containerName = containerNameOf(entry.config, parsed, { variables, homeDir: '' });
  } catch {
    // A `--name $VAR` whose variable is unset: the label still finds the container.
    containerName = entry.config.name;
  }
  return { name: entry.config.name, host: entry.config.host, config: entry.config, parsed, containerName };
}

/** Per-target outcome of an operation; one failed target never hides the others. */
export interface TargetResult<T = unknown> {
  name: string;
  host: string;
  ok: boolean;
  value?: T;
  error?: { message: string; code: string };
}

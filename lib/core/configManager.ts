/**
 * Registrations: turns `mcp add` input into a validated MCPServerConfig and stores it; removes
 * entries. Everything is checked before the registry is touched, so a refused add changes nothing.
 */
import { LOCALHOST, type HealthCheck, type MCPServerConfig, type MCPServerData } from '../data/models.js';
import type { RegistryStore } from '../data/registryStore.js';
import { describeSchemaErrors, validateServerConfig } from '../data/validate.js';
import { SERVER_NAME_PATTERN } from '../data/schemas.js';
import { parseDockerCommand } from './docker/parseRun.js';
import { checkRunConfig, dropsAutoRemove } from './docker/runPlan.js';
import { ValidationError } from '../errors.js';
import { validateHostRef } from './hostRef.js';

export interface AddInput {
  name: string;
  command: string;
  host?: string | undefined;
  port?: number | undefined;
  description?: string | undefined;
  environment?: Record<string, string> | undefined;
  volumes?: string[] | undefined;
  networks?: string[] | undefined;
  labels?: Record<string, string> | undefined;
  restart_policy?: string | undefined;
  auto_start?: boolean | undefined;
  health_check?: HealthCheck | undefined;
}

const NAME = new RegExp(SERVER_NAME_PATTERN);

export function validateServerName(name: string): string {
  if (!NAME.test(name) || name.length > 128) {
    throw new ValidationError(
      `invalid server name "${name}": use letters, digits, "_", "." and "-", starting with a letter or digit, 2 to 128 characters (docker container name rules)`,
      'INVALID_NAME',
    );
  }
  return name;
}

/** Build the config from input and validate it completely; pure but for the clock. */
export function buildServerConfig(input: AddInput, now = new Date()): MCPServerConfig {
  validateServerName(input.name);
  const host = validateHostRef(input.host ?? LOCALHOST);
  const parsed = parseDockerCommand(input.command);
  const stamp = now.toISOString();
  const config: MCPServerConfig = { name: input.name, docker_command: input.command.trim(), host };
  const optional = {
    port: input.port,
    description: input.description,
    environment: input.environment,
    volumes: input.volumes,
    networks: input.networks,
    labels: input.labels,
    restart_policy: input.restart_policy,
    auto_start: input.auto_start,
    health_check: input.health_check,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) (config as Record<string, unknown>)[key] = value;
  }
  Object.assign(config, { created_at: stamp, updated_at: stamp });
  const validate = validateServerConfig();
  if (!validate(config)) throw new ValidationError(`invalid server config: ${describeSchemaErrors(validate.errors)}`);
  for (const key of Object.keys(config.labels ?? {})) {
    if (key.startsWith('msm.')) throw new ValidationError(`the label "${key}" is reserved for mcp`);
  }
  checkRunConfig(config, parsed);
  return config;
}

/** What a user should know about how mcp will run a registration it accepted. */
export function registrationNotices(config: MCPServerConfig): string[] {
  const notices: string[] = [];
  if (dropsAutoRemove(parseDockerCommand(config.docker_command))) {
    notices.push('--rm is left out when mcp starts this server: a managed container outlives a crash so `mcp get`/`mcp log` can show its exit code and logs');
  }
  return notices;
}

export class ConfigManager {
  constructor(private readonly registry: RegistryStore) {}

  add(input: AddInput): Promise<MCPServerData> {
    return this.registry.add(buildServerConfig(input));
  }

  remove(name: string): Promise<MCPServerData> {
    return this.registry.remove(name);
  }
}

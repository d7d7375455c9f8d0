/**
 * Registrations: turns `mcp add` input into a validated MCPServerConfig and stores it; removes
 * entries. Everything is checked before the registry is touched, so a refused add changes nothing.
 */
import { LOCALHOST, type HealthCheck, type MCPServerConfig, type MCPServerData, type ServerRegistry } from '../data/models.js';
import { requireServer, type RegistryStore } from '../data/registryStore.js';
import { describeSchemaErrors, validateServerConfig } from '../data/validate.js';
import { SERVER_NAME_PATTERN } from '../data/schemas.js';
import { parseDockerCommand } from './docker/parseRun.js';
import { collides, publishedPorts } from './docker/publishedPorts.js';
import { serverKindOf } from './mcp/serverKind.js';
import { checkRunConfig, dropsAutoRemove } from './docker/runPlan.js';
import { ValidationError } from '../errors.js';
import { isLocalHost, validateHostRef } from './hostRef.js';
import type { ParsedRun } from './docker/parseRun.js';

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
  stdio_sessions?: 'shared' | 'per-session' | undefined;
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
    health_check: input.health_check ?? defaultHealthCheck(input, parsed),
    stdio_sessions: input.stdio_sessions,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) (config as Record<string, unknown>)[key] = value;
  }
  Object.assign(config, { created_at: stamp, updated_at: stamp });
  checkServerConfig(config, parsed);
  return config;
}

/** Every rule a stored config keeps: the schema, reserved labels, docker's own limits, paths on remote hosts. */
export function checkServerConfig(config: MCPServerConfig, parsed: ParsedRun = parseDockerCommand(config.docker_command)): void {
  const validate = validateServerConfig();
  if (!validate(config)) throw new ValidationError(`invalid server config: ${describeSchemaErrors(validate.errors)}`);
  for (const key of Object.keys(config.labels ?? {})) {
    if (key.startsWith('msm.')) throw new ValidationError(`the label "${key}" is reserved for mcp`);
  }
  checkRunConfig(config, parsed);
  if (config.stdio_sessions && serverKindOf(config, parsed) !== 'stdio') {
    throw new ValidationError('--stdio-sessions is for stdio servers (a command with -i and no --port)', 'INVALID_INPUT');
  }
  if (!isLocalHost(config.host)) refuseRelativePaths(config, parsed);
}

/** Fields whose value differs between two configs (updated_at aside), in the order of the new one. */
export function changedFields(before: MCPServerConfig, after: MCPServerConfig): string[] {
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])].filter((key) => key !== 'updated_at');
  return keys.filter((key) => JSON.stringify((before as Record<string, unknown>)[key]) !== JSON.stringify((after as Record<string, unknown>)[key]));
}

/**
 * A host port the new server would publish that another server registered on the same host
 * already publishes: both could never run at once, so `add` refuses, naming the other server.
 */
export function portConflict(config: MCPServerConfig, registry: ServerRegistry): string | undefined {
  const mine = publishedPorts(parseDockerCommand(config.docker_command));
  for (const other of Object.values(registry.servers)) {
    if (other.config.host !== config.host || other.config.name === config.name) continue;
    let theirs;
    try {
      theirs = publishedPorts(parseDockerCommand(other.config.docker_command));
    } catch {
      continue;
    }
    const clash = mine.find((port) => theirs.some((their) => collides(port, their)));
    if (clash) return `host port ${clash.hostPort}/${clash.protocol} on ${config.host} is already published by server "${other.config.name}"; pick another port or remove "${other.config.name}"`;
  }
  return undefined;
}

/** Said about a new server whose command has `--rm`, which mcp leaves out when it starts it. */
export function autoRemoveNotice(config: MCPServerConfig): string | undefined {
  if (!dropsAutoRemove(parseDockerCommand(config.docker_command))) return undefined;
  return '--rm is left out when mcp starts this server: a managed container outlives a crash so `mcp get`/`mcp log` can show its exit code and logs';
}

/** Said about a new server that is stored anyway: its --port is not among the ports its command publishes. */
export function unpublishedPortWarning(config: MCPServerConfig): string | undefined {
  if (config.port === undefined) return undefined;
  const ports = publishedPorts(parseDockerCommand(config.docker_command));
  if (ports.some((port) => port.hostPort === config.port)) return undefined;
  const shown = ports.length > 0 ? ports.map((port) => port.hostPort).join(', ') : 'none';
  return `--port ${config.port} is not published by the command (it publishes: ${shown}); health checks and clients will find nothing there unless the server uses the host network`;
}

/** A path that means "from the working directory": no leading `/` or `~`, and not a named volume. */
function isRelativePath(source: string): boolean {
  return source !== '' && !source.startsWith('/') && !source.startsWith('~') && !source.startsWith('$');
}

/**
 * On a remote host the docker client runs in the SSH user's home, not where `mcp` was started:
 * `--env-file vars.env` or `-v ./data:/data` would silently mean another file (or none) there.
 */
function refuseRelativePaths(config: MCPServerConfig, parsed: ParsedRun): void {
  const refuse = (what: string, value: string) => {
    throw new ValidationError(
      `${what} "${value}" is a relative path, which on ${config.host} would be read from the SSH user's home directory, not from here; use an absolute path or one starting with ~/ (the home directory on ${config.host})`,
      'RELATIVE_PATH',
    );
  };
  for (const option of parsed.options) {
    const value = option.value ?? '';
    if ((option.long === 'env-file' || option.long === 'label-file') && isRelativePath(value)) refuse(`--${option.long}`, value);
  }
  const volumes = [...parsed.options.filter((o) => o.long === 'volume').map((o) => o.value ?? ''), ...(config.volumes ?? [])];
  for (const volume of volumes) {
    const source = volume.split(':')[0] ?? '';
    // A source without a slash is a named volume (docker's rule), not a path.
    if ((source.startsWith('.') || source.includes('/')) && isRelativePath(source)) refuse('the volume source', source);
  }
}

/** A stdio server (`-i`, no port) gets the MCP check over an attach by default, as a --port one gets it over HTTP. */
function defaultHealthCheck(input: AddInput, parsed: ParsedRun): HealthCheck | undefined {
  if (input.port !== undefined) return undefined;
  return serverKindOf({ name: input.name, docker_command: input.command, host: LOCALHOST }, parsed) === 'stdio' ? { type: 'mcp' } : undefined;
}

export class ConfigManager {
  constructor(private readonly registry: RegistryStore) {}

  /** Register; the result says what is true of a new registration: no container yet (stopped). */
  async add(input: AddInput): Promise<MCPServerData> {
    const config = buildServerConfig(input);
    const conflict = portConflict(config, await this.registry.read());
    if (conflict) throw new ValidationError(conflict, 'PORT_IN_USE');
    const entry = await this.registry.add(config);
    return { ...entry, status: { status: 'stopped' } };
  }

  remove(names: readonly string[]): Promise<MCPServerData[]> {
    return this.registry.removeAll(names);
  }

  /**
   * Change a registered server's config to `next` (from `mcp set` or `mcp edit`): validated like
   * an add, its name unchanged, no port clash on its host; nothing is written when anything is
   * wrong or nothing changed. Returns the fields that changed.
   *
   * `from` is the config the change was made from (what `set` read, what `edit` showed in the
   * editor): if the entry no longer is that config, someone changed it meanwhile and nothing is
   * written. Without it, the entry as read now.
   */
  async update(name: string, next: MCPServerConfig, from?: MCPServerConfig, now = new Date()): Promise<{ before: MCPServerConfig; after: MCPServerConfig; changed: string[] }> {
    const registry = await this.registry.read();
    const before = from ?? requireServer(registry, name).config;
    if (next.name !== name) throw new ValidationError(`the name cannot be changed here (it is "${name}"); add the server under the new name and remove this one`, 'INVALID_INPUT');
    const after: MCPServerConfig = { ...next, host: validateHostRef(next.host), docker_command: next.docker_command.trim() };
    checkServerConfig(after);
    const changed = changedFields(before, after);
    if (changed.length === 0) return { before, after: before, changed };
    const conflict = portConflict(after, registry);
    if (conflict) throw new ValidationError(conflict, 'PORT_IN_USE');
    const stamped = { ...after, updated_at: now.toISOString() };
    await this.registry.replaceConfig(name, before, stamped);
    return { before, after: stamped, changed };
  }
}

/**
 * Builders for every docker verb the tool runs besides `run` (runPlan.ts): small pure functions
 * returning the argv after the docker binary. One function per verb, so a test can compare the
 * whole command line and the executor never sees anything else.
 */
import { NAME_LABEL, REGISTRY_LABEL } from './runPlan.js';

/**
 * Attach our stdin/stdout to a running container's. Signals to the docker client are not passed to
 * the container: ending the bridge must never stop the server.
 */
export function buildAttach(container: string): string[] {
  return ['attach', '--sig-proxy=false', container];
}

export function buildStart(container: string): string[] {
  return ['start', container];
}

export function buildUnpause(container: string): string[] {
  return ['unpause', container];
}

/** Any number of containers: docker stops them in parallel and prints each one it stopped. */
export function buildStop(containers: string | readonly string[], timeoutSeconds?: number): string[] {
  const refs = typeof containers === 'string' ? [containers] : [...containers];
  return timeoutSeconds === undefined ? ['stop', ...refs] : ['stop', '--time', String(timeoutSeconds), ...refs];
}

export function buildRestart(container: string, timeoutSeconds?: number): string[] {
  return timeoutSeconds === undefined ? ['restart', container] : ['restart', '--time', String(timeoutSeconds), container];
}

export function buildRename(container: string, newName: string): string[] {
  return ['rename', container, newName];
}

/** Join one more network (engines take one `--network` at create: the others come this way). */
export function buildNetworkConnect(network: string, container: string): string[] {
  return ['network', 'connect', network, container];
}

export function buildRemove(container: string, { force = false }: { force?: boolean } = {}): string[] {
  return force ? ['rm', '--force', container] : ['rm', container];
}

/** One call for any number of containers; docker prints a JSON array of those it found. */
export function buildInspect(containers: readonly string[]): string[] {
  return ['container', 'inspect', ...containers];
}

/**
 * Every container on the engine that mcp manages, running or not, found by its label (never by a
 * name: docker reads a bare name as an ID prefix too). One line each: full ID, the server name
 * and registry id labels, and the container's names (parsed by parseManagedList).
 */
export function buildListManaged(): string[] {
  return ['ps', '--all', '--no-trunc', '--filter', `label=${NAME_LABEL}`, '--format', `{{.ID}}\t{{.Label "${NAME_LABEL}"}}\t{{.Label "${REGISTRY_LABEL}"}}\t{{.Names}}`];
}

/**
 * Full IDs of containers named exactly `name` that were created but never started: what a
 * `docker run --detach` whose start failed leaves behind (it prints no ID then).
 */
export function buildFindCreated(name: string): string[] {
  return ['ps', '--all', '--quiet', '--no-trunc', '--filter', `name=^/${name.replace(/\./g, '\\.')}$`, '--filter', 'status=created'];
}

export interface LogsOptions {
  tail?: number | 'all';
  since?: string;
  timestamps?: boolean;
  follow?: boolean;
}

export function buildLogs(container: string, options: LogsOptions = {}): string[] {
  const args = ['logs'];
  if (options.tail !== undefined) args.push('--tail', String(options.tail));
  if (options.since !== undefined) args.push('--since', options.since);
  if (options.timestamps) args.push('--timestamps');
  if (options.follow) args.push('--follow');
  args.push(container);
  return args;
}

/** One sample for any number of containers, one JSON object per line. */
export function buildStats(containers: readonly string[]): string[] {
  return ['stats', '--no-stream', '--no-trunc', '--format', '{{json .}}', ...containers];
}

/**
 * The engine's version and clock in one call, for `mcp hosts check` and `mcp doctor`: two JSON
 * strings on one line; answers only when the client reached the engine.
 */
export function buildEngineFacts(): string[] {
  return ['info', '--format', '{{json .ServerVersion}} {{json .SystemTime}}'];
}

/** The engine's CPU count, to normalise stats' per-core percentages. */
export function buildCpuCount(): string[] {
  return ['info', '--format', '{{.NCPU}}'];
}

export function buildPull(image: string): string[] {
  return ['pull', '--quiet', image];
}

/** Whether the engine has an image: exits 0 with its id, or 1 with "No such image". */
export function buildImagePresent(image: string): string[] {
  return ['image', 'inspect', '--format', '{{.Id}}', image];
}

/**
 * Live status of a host's servers from docker itself, in one docker call whatever their number
 * when every server has its container: one `inspect` by container name, each answer checked to
 * be that server's (its name, and the msm.name and msm.registry labels; docker also reads a bare
 * name as an ID prefix, so `db` alone could have been another container). Only when a server's
 * container is missing or not plainly ours does it take the full look: one `ps` for the msm.name
 * label, then one `inspect` of what that found, by full ID.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { HealthResult, MCPServerStatus, ResourceUsage } from '../data/models.js';
import type { HostConnection } from './exec/connector.js';
import { effectiveHealthCheck, runHealthCheck, runStdioHealthCheck } from './health.js';
import { serverKindOf } from './mcp/serverKind.js';
import { spawnDockerTransport } from './mcp/spawnTransport.js';
import { recentLines } from './logManager.js';
import { mapBounded } from './pool.js';
import { buildAttach, buildCpuCount, buildStats } from './docker/commands.js';
import { parseStats } from './docker/parseStats.js';
import type { DockerClient } from './dockerClient.js';
import type { ContainerSnapshot } from './docker/parseInspect.js';
import type { ManagedContainer } from './docker/parseManagedList.js';
import { HASH_LABEL, NAME_LABEL, REGISTRY_LABEL } from './docker/runPlan.js';
import { HostUnreachableError } from '../errors.js';
import { crashFacts, describeState, formatDuration, toServerStatus, uptimeSecondsOf } from './docker/state.js';
import type { Target, TargetResult } from './target.js';

/**
 * What docker has for one target: ours (made by this registry), nothing, or a container with the
 * target's name that this registry does not own: `owner` is the registry that does, or undefined
 * for a container made by an mcp from before registries had ids.
 */
export type Found =
  | { kind: 'ours'; container: ContainerSnapshot }
  | { kind: 'absent' }
  | { kind: 'foreign'; container: ContainerSnapshot; owner: string | undefined };

export async function findContainers(docker: DockerClient, targets: readonly Target[], registryId: string): Promise<Map<string, Found>> {
  const named = await inspectByName(docker, targets);
  const plain = everyOneOurs(named, targets, registryId);
  if (plain) return plain;
  const managed = await docker.listManaged();
  const chosen = new Map<string, { row: ManagedContainer; ours: boolean }>();
  for (const target of targets) {
    const pick = ownedBy(managed, target, registryId);
    if (pick) chosen.set(target.name, pick);
  }
  // What the look by name already brought back is not asked for again.
  const snapshots = new Map(named.map((c) => [c.id, c]));
  const missing = [...new Set([...chosen.values()].map((c) => c.row.id))].filter((id) => !snapshots.has(id));
  for (const container of await docker.inspect(missing)) snapshots.set(container.id, container);
  const found = new Map<string, Found>();
  for (const target of targets) {
    const pick = chosen.get(target.name);
    const container = pick ? snapshots.get(pick.row.id) : undefined;
    if (!pick || !container) found.set(target.name, { kind: 'absent' });
    else if (pick.ours) found.set(target.name, { kind: 'ours', container });
    else found.set(target.name, { kind: 'foreign', container, owner: pick.row.registry || undefined });
  }
  return found;
}

/**
 * The targets' containers asked for by name in one inspect. Whatever docker cannot answer plainly
 * (a name that is also an ambiguous ID prefix, a container removed meanwhile) leaves it to the
 * full look; an engine that cannot be reached is an answer.
 */
async function inspectByName(docker: DockerClient, targets: readonly Target[]): Promise<ContainerSnapshot[]> {
  try {
    return await docker.inspect([...new Set(targets.map((target) => target.containerName))]);
  } catch (err) {
    if (err instanceof HostUnreachableError) throw err;
    return [];
  }
}

/**
 * Every target's container, when each one is found under its container name and carries that
 * server's name and this registry's id: exactly what the full look would choose (ownedBy prefers
 * our container holding the name). Otherwise undefined.
 */
function everyOneOurs(snapshots: readonly ContainerSnapshot[], targets: readonly Target[], registryId: string): Map<string, Found> | undefined {
  const byName = new Map(snapshots.map((container) => [container.name, container]));
  const found = new Map<string, Found>();
  for (const target of targets) {
    const container = byName.get(target.containerName);
    if (!container || container.labels[NAME_LABEL] !== target.name || container.labels[REGISTRY_LABEL] !== registryId) return undefined;
    found.set(target.name, { kind: 'ours', container });
  }
  return found;
}

/**
 * Ours: labelled with the server's name and this registry's id. Otherwise, an mcp container
 * that holds the container name we need (another registry's, or one without a registry id), or
 * one without a registry id made for this server name and renamed since.
 *
 * A container from before registries had ids (msm.name, no msm.registry) is NOT taken as ours:
 * nothing says which registry made it, and two registries sharing an engine is exactly the case
 * where guessing destroys someone's server. It is shown with its real state and a message, its
 * logs can be read, and `start --adopt` takes it over with one explicit step per server.
 */
function ownedBy(managed: readonly ManagedContainer[], target: Target, registryId: string): { row: ManagedContainer; ours: boolean } | undefined {
  // During a recreate the old container, renamed aside, carries the same labels: the one with the
  // server's container name is the server.
  const mine = managed.filter((row) => row.server === target.name && row.registry === registryId);
  const ours = mine.find((row) => row.names.includes(target.containerName)) ?? mine[0];
  if (ours) return { row: ours, ours: true };
  const holder =
    managed.find((row) => row.names.includes(target.containerName)) ?? managed.find((row) => row.server === target.name && row.registry === '');
  return holder ? { row: holder, ours: false } : undefined;
}

export function foreignContainerMessage(target: Target, owner: string | undefined): string {
  const where = `container "${target.containerName}" on ${target.host}`;
  if (owner === undefined) {
    return `${where} was made by an older mcp without a registry id, so it is not known to be this registry's; \`mcp start ${target.name} --adopt\` takes it over (recreating it)`;
  }
  return `${where} belongs to another registry (msm.registry=${owner}); it is left alone: give this server another name, or take the container over with \`mcp start ${target.name} --adopt\``;
}

/** The status model for one target from what docker said. `expectedHash` flags drift. */
export function statusFromFound(target: Target, found: Found | undefined, now: Date, expectedHash?: string): MCPServerStatus {
  const last_check = now.toISOString();
  if (!found || found.kind === 'absent') return { status: 'stopped', state: 'absent', last_check };
  const { container } = found;
  const status: MCPServerStatus = {
    // Another registry's container is not this server's state; a pre-id one most likely is (and
    // says how to adopt it in `error`).
    status: found.kind === 'foreign' && found.owner !== undefined ? 'error' : toServerStatus(container),
    state: describeState(container),
    container_info: {
      container_id: container.id,
      container_name: container.name,
      image: container.image,
      image_id: container.imageId,
      ports: container.ports,
      mounts: container.mounts,
    },
    last_check,
  };
  if (found.kind === 'foreign') status.error = foreignContainerMessage(target, found.owner);
  Object.assign(status, crashFacts(container));
  const uptimeSeconds = uptimeSecondsOf(container, now);
  if (uptimeSeconds !== undefined) {
    status.uptime = formatDuration(uptimeSeconds);
    status.uptime_seconds = uptimeSeconds;
  }
  if (container.startedAt) status.started_at = container.startedAt;
  if (container.health) status.health_status = container.health;
  if (expectedHash && found.kind === 'ours') status.drift = container.labels[HASH_LABEL] !== expectedHash;
  return status;
}

export function unknownStatus(message: string, now: Date): MCPServerStatus {
  return { status: 'unknown', state: 'unknown', error: message, last_check: now.toISOString() };
}

/**
 * One `docker stats` sample for all the given running containers (plus the engine's CPU count to
 * normalise CPU), keyed by container id. Stopped containers are not sampled.
 */
export async function sampleResources(docker: DockerClient, containers: readonly ContainerSnapshot[]): Promise<Map<string, ResourceUsage>> {
  const running = containers.filter((container) => container.state === 'running');
  if (running.length === 0) return new Map();
  const [statsOut, cpuOut] = await Promise.all([
    docker.check(buildStats(running.map((container) => container.id))),
    docker.check(buildCpuCount()),
  ]);
  const cpus = Number.parseInt(cpuOut.trim(), 10) || 1;
  const byId = new Map<string, ResourceUsage>();
  for (const sample of parseStats(statsOut, cpus)) {
    const container = running.find((c) => c.id === sample.id || c.id.startsWith(sample.id) || c.name === sample.name);
    if (container) byId.set(container.id, sample.usage);
  }
  return byId;
}

/**
 * A connection to a stdio server through a bridge that already owns its container's attach, or
 * undefined when there is none (then the check attaches itself).
 */
export type StdioHealthBridge = (target: Target) => Promise<Transport & { readonly lastError?: string }> | undefined;

export interface ObserveOptions {
  /** Sample CPU, memory, network, block I/O and pids (one `docker stats` per host). */
  stats?: boolean;
  /** Run each server's configured health check (running servers only). */
  health?: boolean;
  /** Include this many recent log lines. */
  logLines?: number;
}

/**
 * The live status of one host's servers: one inspect, then as asked one stats sample, the health
 * checks (through the host's connection when needed) and recent logs.
 */
export class StatusMonitor {
  constructor(
    private readonly docker: DockerClient,
    private readonly connection: HostConnection,
    /** In `mcp serve`: a session of the gateway's shared bridge, where it owns the container's attach. */
    private readonly stdioBridge?: StdioHealthBridge,
  ) {}

  async observe(targets: readonly Target[], options: ObserveOptions, registryId: string, expectedHash: (target: Target) => string | undefined): Promise<TargetResult<MCPServerStatus>[]> {
    const found = await findContainers(this.docker, targets, registryId);
    const ours = [...found.values()].flatMap((f) => (f.kind === 'ours' ? [f.container] : []));
    const usage = options.stats ? await sampleResources(this.docker, ours).catch(() => new Map<string, ResourceUsage>()) : new Map<string, ResourceUsage>();
    const now = new Date();
    return mapBounded(targets, 8, async (target) => {
      const seen = found.get(target.name);
      const status = statusFromFound(target, seen, now, expectedHash(target));
      const container = seen?.kind === 'ours' ? seen.container : undefined;
      const sample = container ? usage.get(container.id) : undefined;
      if (sample) status.resource_usage = sample;
      if (options.health) {
        // health_status stays docker's own HEALTHCHECK verdict: copying this result there too
        // would say the same thing twice in every document.
        status.health = await this.checkHealth(target, container);
      }
      if (container && options.logLines) {
        const lines = await recentLines(this.docker, container.id, { tail: options.logLines }).catch(() => []);
        status.container_logs = { logs: lines.map((line) => line.text) };
      }
      return { name: target.name, host: target.host, ok: true, value: status };
    });
  }

  private async checkHealth(target: Target, container: ContainerSnapshot | undefined): Promise<HealthResult> {
    const check = effectiveHealthCheck(target.config);
    if (!check) return { status: 'unchecked', error: 'no health check configured (mcp add ... --port P --health mcp)' };
    if (!container || container.state !== 'running') {
      return { status: 'unhealthy', type: check.type, error: `the container is not running (${describeState(container)})` };
    }
    const port = target.config.port;
    if (port === undefined && check.type === 'mcp' && serverKindOf(target.config, target.parsed) === 'stdio') {
      const bridged = this.stdioBridge?.(target);
      if (bridged) return runStdioHealthCheck(check, `stdio: the gateway's bridge to ${container.name}`, () => bridged);
      return runStdioHealthCheck(check, `stdio: docker attach ${container.name}`, () => spawnDockerTransport(this.docker, buildAttach(container.id)));
    }
    if (port === undefined) return { status: 'unchecked', type: check.type, error: 'no --port registered to check' };
    const bind = container.ports.find((binding) => binding.host_port === port)?.host_ip;
    return runHealthCheck(check, await this.connection.endpoint(bind, port));
  }
}

type Readiness = 'ready' | 'waiting' | 'failed';

export function readiness(status: MCPServerStatus | undefined): Readiness {
  if (!status) return 'waiting';
  if (status.status === 'running') {
    const health = status.health?.status ?? 'unchecked';
    if (health === 'healthy' || (health === 'unchecked' && status.health_status !== 'unhealthy' && status.health_status !== 'starting')) return 'ready';
    return 'waiting';
  }
  // Still coming up, or crash-looping under a restart policy: give it until the deadline.
  if (status.status === 'starting' || status.state === 'restarting' || status.status === 'unknown') return 'waiting';
  return 'failed';
}

export function readinessReason(status: MCPServerStatus | undefined): string {
  if (!status) return 'no status';
  if (status.status !== 'running') return `the container is ${status.state ?? status.status}${status.error ? `: ${status.error}` : ''}`;
  return `health check: ${status.health?.error ?? status.health_status ?? 'not healthy'}`;
}

/**
 * Live status of a host's servers from docker itself, in as few docker calls as possible: one
 * `inspect` of every expected container name; only when some are missing (renamed, or the stored
 * name is stale), one `ps` for the msm.name label and one more `inspect` of what it found.
 */
import type { HealthResult, MCPServerStatus, ResourceUsage } from '../data/models.js';
import type { HostConnection } from './exec/connector.js';
import { effectiveHealthCheck, runHealthCheck } from './health.js';
import { LogManager } from './logManager.js';
import { mapBounded } from './pool.js';
import { buildCpuCount, buildStats } from './docker/commands.js';
import { parseStats } from './docker/parseStats.js';
import type { DockerClient } from './dockerClient.js';
import type { ContainerSnapshot } from './docker/parseInspect.js';
import { HASH_LABEL, NAME_LABEL } from './docker/runPlan.js';
import { crashFacts, describeState, toServerStatus, uptimeOf } from './docker/state.js';
import type { Target, TargetResult } from './target.js';

/** What docker has for one target: ours, nothing, or a container of that name that is not ours. */
export type Found = { kind: 'ours'; container: ContainerSnapshot } | { kind: 'absent' } | { kind: 'foreign'; container: ContainerSnapshot };

export async function findContainers(docker: DockerClient, targets: readonly Target[]): Promise<Map<string, Found>> {
  const found = new Map<string, Found>();
  const byName = new Map((await docker.inspect(targets.map((t) => t.containerName))).map((c) => [c.name, c]));
  const missing: Target[] = [];
  for (const target of targets) {
    const container = byName.get(target.containerName);
    if (!container) missing.push(target);
    else if (container.labels[NAME_LABEL] === target.name) found.set(target.name, { kind: 'ours', container });
    else found.set(target.name, { kind: 'foreign', container });
  }
  if (missing.length > 0) {
    const seen = new Set([...byName.values()].map((c) => c.id));
    const others = (await docker.listManaged()).filter((id) => !seen.has(id));
    const byLabel = new Map((await docker.inspect(others)).map((c) => [c.labels[NAME_LABEL], c]));
    for (const target of missing) {
      const container = byLabel.get(target.name);
      found.set(target.name, container ? { kind: 'ours', container } : { kind: 'absent' });
    }
  }
  return found;
}

export function foreignContainerMessage(target: Target): string {
  return `a container named "${target.containerName}" exists on ${target.host} but was not created by mcp; rename or remove it, or give the server another name`;
}

/** The status model for one target from what docker said. `expectedHash` flags drift. */
export function statusFromFound(target: Target, found: Found | undefined, now: Date, expectedHash?: string): MCPServerStatus {
  const last_check = now.toISOString();
  if (!found || found.kind === 'absent') return { status: 'stopped', state: 'absent', last_check };
  const { container } = found;
  const status: MCPServerStatus = {
    status: found.kind === 'foreign' ? 'error' : toServerStatus(container),
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
  if (found.kind === 'foreign') status.error = foreignContainerMessage(target);
  Object.assign(status, crashFacts(container));
  const uptime = uptimeOf(container, now);
  if (uptime) status.uptime = uptime;
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
  ) {}

  async observe(targets: readonly Target[], options: ObserveOptions, expectedHash: (target: Target) => string | undefined): Promise<TargetResult<MCPServerStatus>[]> {
    const found = await findContainers(this.docker, targets);
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
        status.health = await this.checkHealth(target, container);
        if (status.health.status !== 'unchecked') status.health_status = status.health.status;
      }
      if (container && options.logLines) {
        const lines = await new LogManager(this.docker).recent(target, { tail: options.logLines }, container.id).catch(() => []);
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

/**
 * Live status of a host's servers from docker itself, in as few docker calls as possible: one
 * `inspect` of every expected container name; only when some are missing (renamed, or the stored
 * name is stale), one `ps` for the msm.name label and one more `inspect` of what it found.
 */
import type { MCPServerStatus, ResourceUsage } from '../data/models.js';
import { buildCpuCount, buildStats } from './docker/commands.js';
import { parseStats } from './docker/parseStats.js';
import type { DockerClient } from './dockerClient.js';
import type { ContainerSnapshot } from './docker/parseInspect.js';
import { HASH_LABEL, NAME_LABEL } from './docker/runPlan.js';
import { describeState, toServerStatus, uptimeOf } from './docker/state.js';
import type { Target } from './target.js';

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
  if (container.state === 'exited') status.exit_code = container.exitCode;
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

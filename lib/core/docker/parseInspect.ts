/**
 * `docker container inspect` JSON -> ContainerSnapshot. Docker's raw shapes stop here: the rest of
 * the tool sees only the snapshot and the models.
 */
import type { Mount, PortBinding } from '../../data/models.js';

/** docker's states; `unknown` for one this version does not know (docker may add states). */
export type DockerState = 'created' | 'running' | 'restarting' | 'paused' | 'exited' | 'dead' | 'removing' | 'unknown';

export interface ContainerSnapshot {
  id: string;
  name: string;
  image: string;
  imageId: string;
  labels: Record<string, string>;
  state: DockerState;
  exitCode: number;
  oomKilled: boolean;
  startedAt?: string;
  finishedAt?: string;
  /** docker's HEALTHCHECK verdict (starting, healthy, unhealthy) when the image defines one. */
  health?: string;
  error?: string;
  restartCount: number;
  /** The container's own --stop-timeout in seconds, when it has one (docker's default otherwise). */
  stopTimeout?: number;
  ports: PortBinding[];
  mounts: Mount[];
}

interface RawInspect {
  Id?: string;
  Name?: string;
  Image?: string;
  RestartCount?: number;
  State?: {
    Status?: string;
    ExitCode?: number;
    OOMKilled?: boolean;
    StartedAt?: string;
    FinishedAt?: string;
    Error?: string;
    Health?: { Status?: string };
  };
  Config?: { Image?: string; Labels?: Record<string, string> | null; StopTimeout?: number | null };
  NetworkSettings?: { Ports?: Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | null };
  Mounts?: Array<{ Type?: string; Source?: string; Destination?: string; RW?: boolean }> | null;
}

const KNOWN_STATES = new Set<DockerState>(['created', 'running', 'restarting', 'paused', 'exited', 'dead', 'removing']);

/** docker's zero time means "never". */
function realTime(value: string | undefined): string | undefined {
  return value && !value.startsWith('0001-01-01') ? value : undefined;
}

export function parsePorts(ports: NonNullable<RawInspect['NetworkSettings']>['Ports']): PortBinding[] {
  const bindings: PortBinding[] = [];
  for (const [key, hostBindings] of Object.entries(ports ?? {})) {
    const [portText, protocol = 'tcp'] = key.split('/');
    const container_port = Number(portText);
    if (!hostBindings || hostBindings.length === 0) {
      bindings.push({ container_port, protocol });
      continue;
    }
    for (const binding of hostBindings) {
      const port: PortBinding = { container_port, protocol };
      if (binding.HostIp !== undefined) port.host_ip = binding.HostIp;
      if (binding.HostPort) port.host_port = Number(binding.HostPort);
      bindings.push(port);
    }
  }
  return bindings.sort((a, b) => a.container_port - b.container_port || (a.host_port ?? 0) - (b.host_port ?? 0));
}

function parseMounts(mounts: RawInspect['Mounts']): Mount[] {
  return (mounts ?? []).map((mount) => {
    const parsed: Mount = { type: mount.Type ?? 'unknown', destination: mount.Destination ?? '' };
    if (mount.Source) parsed.source = mount.Source;
    if (mount.RW !== undefined) parsed.read_only = !mount.RW;
    return parsed;
  });
}

export function parseInspectEntry(raw: RawInspect): ContainerSnapshot {
  const state = raw.State ?? {};
  const status = (state.Status ?? '') as DockerState;
  const snapshot: ContainerSnapshot = {
    id: raw.Id ?? '',
    name: (raw.Name ?? '').replace(/^\//, ''),
    image: raw.Config?.Image ?? '',
    imageId: raw.Image ?? '',
    labels: raw.Config?.Labels ?? {},
    state: KNOWN_STATES.has(status) ? status : 'unknown',
    exitCode: state.ExitCode ?? 0,
    oomKilled: state.OOMKilled ?? false,
    restartCount: raw.RestartCount ?? 0,
    ports: parsePorts(raw.NetworkSettings?.Ports),
    mounts: parseMounts(raw.Mounts),
  };
  const startedAt = realTime(state.StartedAt);
  if (startedAt) snapshot.startedAt = startedAt;
  const finishedAt = realTime(state.FinishedAt);
  if (finishedAt) snapshot.finishedAt = finishedAt;
  if (state.Health?.Status) snapshot.health = state.Health.Status;
  if (state.Error) snapshot.error = state.Error;
  if (typeof raw.Config?.StopTimeout === 'number') snapshot.stopTimeout = raw.Config.StopTimeout;
  return snapshot;
}

/** The whole stdout of one inspect call (a JSON array, possibly empty when nothing was found). */
export function parseInspect(stdout: string): ContainerSnapshot[] {
  const text = stdout.trim();
  if (text === '') return [];
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error('docker inspect did not print a JSON array');
  return parsed.map((entry) => parseInspectEntry(entry as RawInspect));
}

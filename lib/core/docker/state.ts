/**
 * The one table from docker's container state to ServerStatus (design.md §4). `unknown` is the
 * fallback, and what a server gets when its host's engine could not be asked.
 */
import type { ServerStatus } from '../../data/models.js';
import type { ContainerSnapshot } from './parseInspect.js';

/** Exit codes of a process that was asked to stop (SIGTERM 143, SIGINT 130, SIGKILL after the grace period 137). */
const STOPPED_EXIT_CODES = new Set([0, 130, 137, 143]);

export function toServerStatus(container: ContainerSnapshot | undefined): ServerStatus {
  if (!container) return 'stopped';
  switch (container.state) {
    case 'running':
      return 'running';
    case 'created':
      // docker tried to start it and could not (its error says why): a failed start, not a stop.
      return container.error ? 'error' : 'stopped';
    case 'paused':
      return 'stopped';
    case 'exited':
      return STOPPED_EXIT_CODES.has(container.exitCode) && !container.oomKilled ? 'stopped' : 'error';
    case 'restarting':
    case 'dead':
      return 'error';
    case 'removing':
      return 'stopping';
    default:
      return 'unknown';
  }
}

/** Human word for the state, with the exit code where it says something. */
export function describeState(container: ContainerSnapshot | undefined): string {
  if (!container) return 'absent';
  if (container.state === 'exited') return `exited (${container.exitCode})${container.oomKilled ? ' OOM-killed' : ''}`;
  if (container.state === 'created' && container.error) return `start failed (${container.exitCode})`;
  return container.state;
}

/** What a crash leaves behind, in the status model's words: for `get` and `list`. */
export interface CrashFacts {
  exit_code?: number;
  finished_at?: string;
  oom_killed?: boolean;
  restart_count: number;
  docker_error?: string;
}

/**
 * The last exit (code, time, OOM kill) once the container has exited at least once or docker
 * failed to start it; the restart count always; docker's own error when it has one.
 */
export function crashFacts(container: ContainerSnapshot): CrashFacts {
  const facts: CrashFacts = { restart_count: container.restartCount };
  const hasExited = container.finishedAt !== undefined || container.state === 'exited' || container.state === 'dead' || container.error !== undefined;
  if (hasExited) {
    facts.exit_code = container.exitCode;
    if (container.finishedAt) facts.finished_at = container.finishedAt;
    facts.oom_killed = container.oomKilled;
  }
  if (container.error) facts.docker_error = container.error;
  return facts;
}

/** Whole seconds since docker's StartedAt, for running containers only. */
export function uptimeSecondsOf(container: ContainerSnapshot | undefined, now: Date): number | undefined {
  if (!container || container.state !== 'running' || !container.startedAt) return undefined;
  return Math.max(0, Math.floor((now.getTime() - Date.parse(container.startedAt)) / 1000));
}


export function formatDuration(totalSeconds: number): string {
  const days = Math.floor(totalSeconds / 86400);
  const hours = Math.floor((totalSeconds % 86400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m ${seconds}s`;
  return `${seconds}s`;
}

/**
 * The settle window: a container that `docker start` reported started may die a moment later (a
 * bad flag, a missing token). Starting is only a success once the container still runs when the
 * window has passed; one that exited is a failure reported with its exit code and last log lines.
 */
import type { DockerClient } from './dockerClient.js';
import type { ContainerSnapshot } from './docker/parseInspect.js';
import { MsmError } from '../errors.js';
import { recentLines } from './logManager.js';
import type { Target } from './target.js';

export const DEFAULT_SETTLE_MS = 2000;

/** How many of its last log lines a crash report shows. */
const CRASH_LOG_LINES = 5;

export class ContainerExitedError extends MsmError {
  constructor(
    message: string,
    readonly exitStatus: number,
    readonly lastLines: readonly string[],
  ) {
    super(message, 'EXITED_AFTER_START', 1);
  }
}

/** Up, and not caught running between two restarts of its policy (a just-started container has none). */
function stillUp(container: ContainerSnapshot | undefined): boolean {
  return container !== undefined && (container.state === 'running' || container.state === 'paused') && container.restartCount === 0;
}

/** A container that stopped (or is being restarted by its policy) within the window. */
async function crashReport(docker: DockerClient, container: ContainerSnapshot | undefined, windowMs: number): Promise<ContainerExitedError> {
  const seconds = Math.round(windowMs / 100) / 10;
  if (!container) return new ContainerExitedError(`the container vanished within ${seconds} s of starting`, -1, []);
  const lines = (await recentLines(docker, container.id, { tail: CRASH_LOG_LINES }).catch(() => [])).map((line) => line.text);
  const what = container.restartCount > 0 ? `keeps exiting (exit code ${container.exitCode}, restarted ${container.restartCount}×)` : `exited with exit code ${container.exitCode}${container.oomKilled ? ' (OOM-killed)' : ''}`;
  const log = lines.length > 0 ? `; last log lines: ${lines.join(' | ')}` : '; it logged nothing';
  return new ContainerExitedError(`${what} within ${seconds} s of starting${log}`, container.exitCode, lines);
}

/** Wait until `windowMs` has passed since `startedAt` (ms since epoch). */
export async function settleWindow(startedAt: number, windowMs: number): Promise<void> {
  const wait = startedAt + windowMs - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/**
 * Judge the started containers from a state read after the window (`snapshots`, by container id;
 * one missing there has vanished). Returns the failure of each one that is no longer up, by id.
 */
export async function judgeSettled(
  docker: DockerClient,
  started: ReadonlyArray<{ id: string }>,
  snapshots: ReadonlyMap<string, ContainerSnapshot>,
  windowMs: number,
): Promise<Map<string, ContainerExitedError>> {
  const failures = new Map<string, ContainerExitedError>();
  if (windowMs <= 0) return failures;
  for (const { id } of started) {
    const container = snapshots.get(id);
    if (!stillUp(container)) failures.set(id, await crashReport(docker, container, windowMs));
  }
  return failures;
}

/** The window and the judgement for containers nobody reads afterwards: one inspect of just them. */
export async function watchSettle(
  docker: DockerClient,
  started: ReadonlyArray<{ target: Target; id: string }>,
  startedAt: number,
  windowMs: number,
): Promise<Map<string, ContainerExitedError>> {
  if (started.length === 0 || windowMs <= 0) return new Map();
  await settleWindow(startedAt, windowMs);
  const byId = new Map((await docker.inspect(started.map((s) => s.id))).map((c) => [c.id, c]));
  return judgeSettled(docker, started, byId, windowMs);
}

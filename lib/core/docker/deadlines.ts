/**
 * How long each docker command may take, from what it does: a stop waits for the container's own
 * stop timeout before docker kills it, a create may pull an image first, the rest answer at once.
 * A user's --timeout bounds every one of them. Pure.
 */

/** docker's own default when a container sets no --stop-timeout. */
export const DOCKER_DEFAULT_STOP_TIMEOUT_S = 10;
/** Beyond the stop timeout: the kill, and an engine busy with other containers. */
export const STOP_MARGIN_S = 30;
/** A create that pulls a large image over a slow link. */
export const CREATE_DEADLINE_S = 30 * 60;
/** start, rm, rename, network connect, inspect: the engine answers at once. */
export const QUICK_DEADLINE_S = 60;

export interface Deadlines {
  /** For stopping (or restarting) containers with these stop timeouts (undefined: docker's default). */
  stop(stopTimeouts: ReadonlyArray<number | undefined>): number;
  create(): number;
  quick(): number;
}

/** Deadlines in ms; `boundS` (the user's --timeout, in seconds) caps each of them. */
export function deadlines(boundS?: number): Deadlines {
  const capped = (seconds: number) => Math.round((boundS === undefined ? seconds : Math.min(seconds, boundS)) * 1000);
  return {
    stop: (stopTimeouts) => capped(Math.max(0, ...stopTimeouts.map((t) => t ?? DOCKER_DEFAULT_STOP_TIMEOUT_S)) + STOP_MARGIN_S),
    create: () => capped(CREATE_DEADLINE_S),
    quick: () => capped(QUICK_DEADLINE_S),
  };
}

/** What a passed deadline is called in messages: "timed out after 45 s". */
export function timedOutAfter(ms: number): string {
  return `timed out after ${Math.round(ms / 100) / 10} s`;
}

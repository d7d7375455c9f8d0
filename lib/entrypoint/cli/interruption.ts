/**
 * Ctrl-C and SIGTERM while a command changes hosts. The docker commands run in their own process
 * groups (core/exec/local.ts), so the signal reaches only us: we stop beginning new work, let what
 * is in flight finish (for a bounded time), and report what was and was not done. A second signal,
 * or the bound passing, leaves at once; docker commands still running then carry on to their end.
 */
import type { Output } from './output.js';

/** How long in-flight docker commands get after an interrupt before we leave without them. */
export const DRAIN_TIMEOUT_MS = 20_000;

export const INTERRUPTED_EXIT_CODE = 130;

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * For commands that run until told to stop (list --watch, log --follow, connect): `work` is given
 * a signal that aborts when one of `signals` arrives, and ends on its own then. Returns what
 * `work` returns. Listeners are `on`, not `once`: execa's exit hook (signal-exit) re-raises a
 * signal that it sees no other listener for, and a `once` listener is already gone when it looks.
 */
export async function untilSignalled<T>(signals: readonly NodeJS.Signals[], work: (stopped: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  for (const signal of signals) process.on(signal, stop);
  try {
    return await work(controller.signal);
  } finally {
    for (const signal of signals) process.off(signal, stop);
  }
}

/**
 * Watch for the signals while `work` runs; the first aborts `controller`, a second leaves at once.
 * Returns what `work` returns. Listeners are `on`, not `once`, as in `untilSignalled`.
 */
export async function interruptible<T>(controller: AbortController, out: Output, work: () => Promise<T>): Promise<T> {
  let drainTimer: NodeJS.Timeout | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      out.warn(`${signal} again: leaving now; docker commands in flight carry on`);
      process.exit(INTERRUPTED_EXIT_CODE);
    }
    controller.abort();
    out.warn(`${signal}: beginning nothing new; waiting for the docker commands in flight (up to ${DRAIN_TIMEOUT_MS / 1000} s, press Ctrl-C again to leave now)`);
    drainTimer = setTimeout(() => {
      out.warn(`gave up waiting after ${DRAIN_TIMEOUT_MS / 1000} s; docker commands in flight carry on (check with \`mcp list\`)`);
      process.exit(INTERRUPTED_EXIT_CODE);
    }, DRAIN_TIMEOUT_MS);
    drainTimer.unref();
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  try {
    return await work();
  } finally {
    if (drainTimer) clearTimeout(drainTimer);
    for (const signal of SIGNALS) process.off(signal, onSignal);
  }
}

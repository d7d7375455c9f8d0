/**
 * One lock per server, so that two mcp processes never work on the same server's container at
 * once (two `mcp start s` would both create it, and one fail with docker's raw "name already in
 * use"). The second waits for the first, then sees what the first did. Locks are directories
 * (proper-lockfile) beside the registry's state file; a holder that died leaves a stale lock that
 * is taken over after 10 s.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { LOCK_OPTIONS, lockFile } from './fileWrites.js';

/** How long to wait for another process to finish with a server before reporting it busy. */
export const LOCK_WAIT_MS = 120_000;

const POLL_MS = 100;

export interface HeldLocks {
  /** Servers whose lock another process held for the whole wait (or until the wait was abandoned). */
  busy: string[];
  release(): Promise<void>;
}

export class ServerLocks {
  constructor(readonly dir: string) {}

  /** The locks of a registry whose state file is `stateFile`. */
  static besideStateFile(stateFile: string): ServerLocks {
    return new ServerLocks(path.join(path.dirname(stateFile), `${path.basename(stateFile, '.json')}.locks`));
  }

  /**
   * Take each server's lock, in name order (two processes never each hold what the other waits
   * for), waiting up to `waitMs` for each; stop waiting when `signal` aborts.
   */
  async acquire(names: readonly string[], { waitMs = LOCK_WAIT_MS, signal }: { waitMs?: number; signal?: AbortSignal | undefined } = {}): Promise<HeldLocks> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const releases: Array<() => Promise<void>> = [];
    const busy: string[] = [];
    for (const name of [...new Set(names)].sort()) {
      const release = await this.lockOne(name, waitMs, signal);
      if (release) releases.push(release);
      else busy.push(name);
    }
    return {
      busy,
      release: async () => {
        await Promise.all(releases.map((release) => release().catch(() => undefined)));
      },
    };
  }

  private async lockOne(name: string, waitMs: number, signal: AbortSignal | undefined): Promise<(() => Promise<void>) | undefined> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        return await lockFile(path.join(this.dir, name), {
          ...LOCK_OPTIONS,
          // This loop waits (and can stop waiting); a lock is held for a whole operation, kept fresh.
          retries: 0,
          update: 2_000,
          // A lock we could not keep fresh (a frozen machine) is not worth crashing over.
          onCompromised: () => undefined,
        });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
      }
      if (Date.now() >= deadline || signal?.aborted) return undefined;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

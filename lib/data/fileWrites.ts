/**
 * How msm changes a file it keeps (registry, hosts, tokens, state, `.env`, a client's config):
 * under an inter-process lock (`<file>.lock`, proper-lockfile, so a crashed writer's lock goes
 * stale instead of blocking forever), re-reading the current content, and replacing the file
 * whole or not at all (write-file-atomic: temp file, fsync, rename).
 *
 * The two libraries are loaded on the first write: commands that only read (`list`, `get`, `log`)
 * never load them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { LockOptions } from 'proper-lockfile';
import type { Options as WriteOptions } from 'write-file-atomic';
import { FileError, MsmError } from '../errors.js';

export const LOCK_OPTIONS = {
  realpath: false,
  stale: 10_000,
  // 50 processes adding at once each hold the lock for a few ms; back off with jitter.
  retries: { retries: 200, factor: 1.2, minTimeout: 5, maxTimeout: 100, randomize: true },
};

/** Takes the lock on `file` (a directory beside it); resolves to its release. */
export async function lockFile(file: string, options: LockOptions): Promise<() => Promise<void>> {
  const { default: lockfile } = await import('proper-lockfile');
  return lockfile.lock(file, options);
}

/** Writes `file` whole or not at all (a temporary file renamed over it). */
export async function writeFileAtomically(file: string, data: string, options: WriteOptions): Promise<void> {
  const { default: writeFileAtomic } = await import('write-file-atomic');
  await writeFileAtomic(file, data, options);
}

/** The file's text, or undefined when there is no file. */
export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new FileError(`${file}: cannot read: ${(err as Error).message}`, 'FILE_UNREADABLE');
  }
}

export interface UpdateFileOptions {
  /** A mode every write sets (files that must stay private); by default the file keeps its own. */
  mode?: number | undefined;
  /** Keep the version a write replaces as `<file>.bak`. */
  backup?: boolean;
}

/**
 * Changes `file` under its lock: `change` gets the current text (undefined: no file yet) and
 * returns the new text, undefined to leave the file as it is, or null to remove it. `change` may
 * throw to abort; nothing is written then. A new file is readable by its owner only.
 */
export async function updateFile(
  file: string,
  change: (current: string | undefined) => string | undefined | null | Promise<string | undefined | null>,
  { mode, backup = false }: UpdateFileOptions = {},
): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const release = await lockFile(file, LOCK_OPTIONS).catch((err: Error) => {
    throw new FileError(`${file}: cannot take the lock: ${err.message}`, 'FILE_LOCKED');
  });
  try {
    const current = await readTextIfExists(file);
    const next = await change(current);
    if (next === undefined) return;
    if (backup && current !== undefined) await fs.copyFile(file, `${file}.bak`);
    if (next === null) {
      await fs.rm(file, { force: true });
      return;
    }
    // Without `mode`, write-file-atomic gives the new file the mode of the one it replaces.
    const writeMode = mode ?? (current === undefined ? 0o600 : undefined);
    await writeFileAtomically(file, next, { fsync: true, ...(writeMode !== undefined ? { mode: writeMode } : {}) });
  } catch (err) {
    if (err instanceof MsmError) throw err;
    throw new FileError(`${file}: cannot write: ${(err as Error).message}`, 'FILE_UNWRITABLE', { cause: err });
  } finally {
    await release().catch(() => undefined);
  }
}

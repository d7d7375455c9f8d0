/**
 * The two libraries our writes go through, proper-lockfile and write-file-atomic, loaded on the
 * first write: commands that only read (`list`, `get`, `log`) never load them.
 */
import type { LockOptions } from 'proper-lockfile';
import type { Options as WriteOptions } from 'write-file-atomic';

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

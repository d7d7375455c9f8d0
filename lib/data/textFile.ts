/**
 * A text file msm edits but does not own (an MCP client's config): changed under an inter-process
 * lock, the previous version kept as `<file>.bak`, replaced atomically with its mode kept.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { lockFile, writeFileAtomically } from './fileWrites.js';
import { FileError } from '../errors.js';
import { LOCK_OPTIONS } from './yamlFile.js';

export async function readTextFile(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new FileError(`${file}: cannot read: ${(err as Error).message}`, 'FILE_UNREADABLE');
  }
}

/**
 * Re-reads the file under the lock and writes what `change` makes of it (undefined: no file yet).
 * `change` may throw to abort; nothing is written then. Unchanged text is not rewritten.
 */
export async function updateTextFile(file: string, change: (current: string | undefined) => string): Promise<{ before: string | undefined; after: string }> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const release = await lockFile(file, LOCK_OPTIONS).catch((err: Error) => {
    throw new FileError(`${file}: cannot take the lock: ${err.message}`, 'FILE_LOCKED');
  });
  try {
    const before = await readTextFile(file);
    const after = change(before);
    if (after !== before) {
      if (before !== undefined) await fs.copyFile(file, `${file}.bak`);
      // A file msm creates is private to its owner; an existing one keeps its mode.
      await writeFileAtomically(file, after, { fsync: true, ...(before === undefined ? { mode: 0o600 } : {}) });
    }
    return { before, after };
  } finally {
    await release().catch(() => undefined);
  }
}

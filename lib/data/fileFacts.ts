/**
 * Who may write a file: what `mcp doctor` says about the registry and hosts files, and what a
 * cache must be before it is trusted (the launcher's compiled code, a parsed registry).
 */
import fs from 'node:fs/promises';

/** Group or others may write. */
const WRITABLE_BY_OTHERS = 0o022;

export interface FileFacts {
  exists: boolean;
  mode?: number;
  /** Writable by group or others: anyone who can write it decides what runs. */
  writableByOthers?: boolean;
  /** Readable by group or others: what ssh refuses for a private key. */
  readableByOthers?: boolean;
}

export async function fileFacts(file: string): Promise<FileFacts> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat) return { exists: false };
  return { exists: true, mode: stat.mode & 0o777, writableByOthers: (stat.mode & WRITABLE_BY_OTHERS) !== 0, readableByOthers: (stat.mode & 0o044) !== 0 };
}

/** A regular file of this process's user that no one else may write: only such a cache is read. */
export function isOwnPrivateFile(stat: { isFile(): boolean; uid: number; mode: number }): boolean {
  return stat.isFile() && (!process.getuid || stat.uid === process.getuid()) && (stat.mode & WRITABLE_BY_OTHERS) === 0;
}

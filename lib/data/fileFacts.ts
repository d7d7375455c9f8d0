/** What `mcp doctor` says about the registry and hosts files: there or not, who may write them. */
import fs from 'node:fs/promises';

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
  return { exists: true, mode: stat.mode & 0o777, writableByOthers: (stat.mode & 0o022) !== 0, readableByOthers: (stat.mode & 0o044) !== 0 };
}

/**
 * A YAML file's parsed content kept between processes, in the user's cache directory: reading a
 * registry of 50 servers with the yaml library costs a short command like `mcp list` about 20 ms,
 * which is more than the rest of its own work. The copy is used only while the file is exactly
 * the version it was made from (device, inode, size, and modification and change times to the
 * nanosecond), and it is validated again on every use; anything else reads the YAML.
 *
 * A file changed in the last two seconds is not copied (git's "racily clean" rule): another change
 * within the same timestamp tick, of the same size, would otherwise go unseen. The copy belongs to
 * the user alone (directory 0700, file 0600) and is not used if anyone else could have written it.
 * It is only a cache: failing to read or write it is never an error.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isOwnPrivateFile } from './fileFacts.js';
import { writeFileAtomically } from './fileWrites.js';

/** One version of a file, as its metadata tells it. */
export interface FileVersion {
  key: string;
  mtimeMs: number;
}

const SETTLED_MS = 2000;

export async function fileVersion(file: string): Promise<FileVersion | undefined> {
  try {
    const stat = await fs.stat(file, { bigint: true });
    return { key: `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`, mtimeMs: Number(stat.mtimeMs) };
  } catch {
    return undefined;
  }
}

interface SavedCopy {
  tag: string;
  source: string;
  version: string;
  data: unknown;
}

/** The content saved for exactly this version of `source` (and this `tag`), else undefined. */
export async function loadParsedCopy(copyFile: string, source: string, version: FileVersion, tag: string): Promise<unknown> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(copyFile, 'r');
    const stat = await handle.stat();
    if (!isOwnPrivateFile(stat)) return undefined;
    const saved = JSON.parse(await handle.readFile('utf8')) as Partial<SavedCopy> | null;
    return saved?.tag === tag && saved.source === source && saved.version === version.key ? saved.data : undefined;
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Saves `data` as the content of this version of `source`, when that version has settled. */
export async function storeParsedCopy(copyFile: string, source: string, version: FileVersion, tag: string, data: unknown): Promise<void> {
  if (Date.now() - version.mtimeMs < SETTLED_MS) return;
  const text = JSON.stringify({ tag, source, version: version.key, data } satisfies SavedCopy);
  // A value JSON cannot carry as it is (YAML's .inf, say) is never cached: it would come back changed.
  if (!isDeepStrictEqual((JSON.parse(text) as SavedCopy).data, data)) return;
  try {
    await fs.mkdir(path.dirname(copyFile), { recursive: true, mode: 0o700 });
    await writeFileAtomically(copyFile, text, { mode: 0o600, fsync: false });
  } catch {
    // Only a cache: the next read parses the YAML again.
  }
}

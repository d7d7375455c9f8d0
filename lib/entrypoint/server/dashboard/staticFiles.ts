/**
 * The dashboard's files (./static), by file name. Running from source they are read from the
 * directory beside this module; `npm run build` replaces this module with one that holds the same
 * files inline (scripts/build.mjs), so the bundle in dist/ carries them and needs no asset folder.
 */
import { readdir, readFile } from 'node:fs/promises';

export async function readStaticFiles(): Promise<Record<string, string>> {
  const dir = new URL('./static/', import.meta.url);
  const names = (await readdir(dir)).sort();
  const files: Record<string, string> = {};
  for (const name of names) files[name] = await readFile(new URL(name, dir), 'utf8');
  return files;
}

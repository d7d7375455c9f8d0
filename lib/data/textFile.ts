/**
 * A text file msm edits but does not own (an MCP client's config): changed under an inter-process
 * lock, the previous version kept as `<file>.bak`, replaced atomically with its mode kept.
 */
import { readTextIfExists, updateFile } from './fileWrites.js';

export const readTextFile = readTextIfExists;

/**
 * Re-reads the file under the lock and writes what `change` makes of it (undefined: no file yet).
 * `change` may throw to abort; nothing is written then. Unchanged text is not rewritten.
 */
export async function updateTextFile(file: string, change: (current: string | undefined) => string): Promise<{ before: string | undefined; after: string }> {
  let before: string | undefined;
  let after = '';
  await updateFile(
    file,
    (current) => {
      before = current;
      after = change(current);
      return after === current ? undefined : after;
    },
    { backup: true },
  );
  return { before, after };
}

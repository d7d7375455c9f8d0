/** Reading an MCP client's config file for import/export: a missing file is the user's mistake. */
import fs from 'node:fs/promises';
import { ValidationError } from '../../errors.js';

export async function readClientFile(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new ValidationError(`${file}: cannot read: ${reason}`, 'FILE_UNREADABLE');
  }
}

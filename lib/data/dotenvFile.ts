/** The `.env` file beside the registry: variables for `$VAR` references in docker commands. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'dotenv';

export function dotenvPathFor(registryFile: string): string {
  return path.join(path.dirname(registryFile), '.env');
}

export async function readDotenv(file: string): Promise<Record<string, string>> {
  try {
    return parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
}

/** As Compose: a variable set in the environment wins over the same one in `.env`. */
export function mergeVariables(
  dotenv: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  return { ...dotenv, ...env };
}

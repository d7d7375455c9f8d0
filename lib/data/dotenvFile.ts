/** The `.env` file beside the registry: variables for `$VAR` references in docker commands. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { updateFile } from './fileWrites.js';
import { FileError, ValidationError } from '../errors.js';

/** It holds secrets: only its owner may read it. */
const DOTENV_MODE = 0o600;

export function dotenvPathFor(registryFile: string): string {
  return path.join(path.dirname(registryFile), '.env');
}

/** A missing file holds no variables; any other read error is thrown as it is (its errno code kept). */
export async function readDotenv(file: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  return parse(text);
}

/** dotenv's parser, loaded only where there is a `.env` file to read. */
async function parse(text: string): Promise<Record<string, string>> {
  const dotenv = await import('dotenv');
  return dotenv.parse(text);
}

/** As Compose: a variable set in the environment wins over the same one in `.env`. */
export function mergeVariables(
  dotenv: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  return { ...dotenv, ...env };
}

/**
 * One `NAME='value'` line that dotenv reads back as exactly `value`: single quotes keep everything
 * literal; a value holding one uses backticks, then double quotes (where dotenv would turn a
 * written `\n` into a line break, so such a value is refused).
 */
export function formatDotenvLine(name: string, value: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ValidationError(`"${name}" is not a valid variable name for the .env file`);
  if (/[\r\n\0]/.test(value)) throw new ValidationError(`the value of ${name} spans lines (or holds NUL): the .env file cannot hold it; set ${name} in the environment instead`);
  const quote = ["'", '`', '"'].find((mark) => !value.includes(mark) && (mark !== '"' || !/\\[nr]/.test(value)));
  if (!quote) throw new ValidationError(`the value of ${name} mixes all three quote characters: the .env file cannot hold it; set ${name} in the environment instead`);
  return `${name}=${quote}${value}${quote}`;
}

/**
 * Adds variables to the `.env` file under its lock, atomically, mode 0600; lines already there are
 * kept as they are. Returns the names it added (a name already holding the same value is not),
 * for removeDotenvValues if what follows fails. A name that meanwhile got a different value is
 * refused, and nothing is changed.
 */
export async function addDotenvValues(file: string, values: Readonly<Record<string, string>>): Promise<string[]> {
  const added: string[] = [];
  await updateFile(
    file,
    async (previous) => {
      const current = previous === undefined ? {} : await parse(previous);
      const lines: string[] = [];
      for (const [name, value] of Object.entries(values)) {
        if (current[name] === value) continue;
        if (current[name] !== undefined) throw new FileError(`${file}: ${name} was set to another value meanwhile; nothing was changed`, 'FILE_CHANGED');
        lines.push(formatDotenvLine(name, value));
        added.push(name);
      }
      if (lines.length === 0) return undefined;
      const head = previous === undefined || previous === '' || previous.endsWith('\n') ? previous ?? '' : `${previous}\n`;
      return `${head}${lines.join('\n')}\n`;
    },
    { mode: DOTENV_MODE },
  );
  return added;
}

/**
 * Takes back what addDotenvValues added: under the lock, removes the line it wrote for each of
 * `names` that still holds the value from `values`, and nothing else, so lines another process
 * added meanwhile stay. A `.env` left empty is removed (it was one this import created).
 */
export async function removeDotenvValues(file: string, names: readonly string[], values: Readonly<Record<string, string>>): Promise<void> {
  if (names.length === 0) return;
  await updateFile(
    file,
    async (text) => {
      if (text === undefined) return undefined;
      const current = await parse(text);
      const ours = new Set(names.filter((name) => current[name] === values[name]).map((name) => formatDotenvLine(name, values[name] as string)));
      const kept = text.split('\n').filter((line) => !ours.has(line)).join('\n');
      if (kept === text) return undefined;
      return kept === '' ? null : kept;
    },
    { mode: DOTENV_MODE },
  );
}

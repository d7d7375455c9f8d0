/**
 * A YAML document on disk, validated by a schema, changed only under an inter-process lock.
 *
 * Reads never lock. A write takes the lock (`<file>.lock`, proper-lockfile, so a crashed writer's
 * lock goes stale instead of blocking forever), re-reads the current content, applies the change,
 * keeps the previous version as `<file>.bak`, and replaces the file atomically (temp file, fsync,
 * rename). A file that does not parse or validate is reported with its path and never written.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { parseDocument, stringify } from 'yaml';
import type { ValidateFunction } from 'ajv';
import { FileError } from '../errors.js';
import { describeSchemaErrors } from './validate.js';

export const LOCK_OPTIONS = {
  realpath: false,
  stale: 10_000,
  // 50 processes adding at once each hold the lock for a few ms; back off with jitter.
  retries: { retries: 200, factor: 1.2, minTimeout: 5, maxTimeout: 100, randomize: true },
};

export class YamlFile<T> {
  constructor(
    readonly file: string,
    private readonly validate: () => ValidateFunction<T>,
    private readonly empty: () => T,
  ) {}

  /** The current content, or the empty document when the file does not exist yet. */
  async read(): Promise<T> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return this.empty();
      throw new FileError(`${this.file}: cannot read: ${(err as Error).message}`, 'FILE_UNREADABLE');
    }
    return this.parse(text);
  }

  parse(text: string): T {
    if (text.trim() === '') return this.empty();
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    const first = doc.errors[0];
    if (first) {
      const line = first.linePos?.[0];
      const where = line ? `:${line.line}:${line.col}` : '';
      const reason = (first.message.split('\n')[0] ?? '').replace(/:\s*$/, '');
      throw new FileError(`${this.file}${where}: not valid YAML: ${reason}`, 'FILE_CORRUPT');
    }
    // A file of comments only is an empty document, as an empty file is; a top-level key left
    // empty (`servers:`) or out takes its value from the empty document.
    const data: unknown = withDefaults(doc.toJS(), this.empty());
    const validate = this.validate();
    if (!validate(data)) {
      throw new FileError(`${this.file}: ${describeSchemaErrors(validate.errors)}`, 'FILE_INVALID');
    }
    return data;
  }

  /**
   * Apply `change` to the current content under the lock and write the result. `change` may throw
   * to abort; nothing is written then. Returns what `change` returned.
   */
  async update<R>(change: (current: T) => { next: T; result: R } | Promise<{ next: T; result: R }>): Promise<R> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(this.file, LOCK_OPTIONS);
    } catch (err) {
      throw new FileError(`${this.file}: cannot take the lock: ${(err as Error).message}`, 'FILE_LOCKED');
    }
    try {
      const current = await this.read();
      const { next, result } = await change(current);
      const validate = this.validate();
      if (!validate(next)) {
        throw new FileError(`${this.file}: refusing to write: ${describeSchemaErrors(validate.errors)}`, 'FILE_INVALID');
      }
      await this.keepBackup();
      await writeFileAtomic(this.file, stringify(next, { lineWidth: 0 }), { fsync: true, mode: 0o600 });
      return result;
    } finally {
      await release().catch(() => undefined);
    }
  }

  private async keepBackup(): Promise<void> {
    try {
      await fs.copyFile(this.file, `${this.file}.bak`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

function withDefaults<T>(data: unknown, empty: T): unknown {
  if (data === null || data === undefined) return empty;
  if (typeof data !== 'object' || Array.isArray(data)) return data;
  const filled: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  for (const [key, value] of Object.entries(empty as Record<string, unknown>)) {
    if (filled[key] === null || filled[key] === undefined) filled[key] = value;
  }
  return filled;
}

/**
 * A YAML document on disk, validated by a schema, changed only under an inter-process lock.
 *
 * Reads never lock. A write (fileWrites.ts updateFile) takes the lock, re-reads the current content,
 * applies the change, keeps the previous version as `<file>.bak`, and replaces the file atomically.
 * A file that does not parse or validate is reported with its path and never written.
 *
 * Changes are edits of the parsed yaml Document, not a re-serialised object: the user's comments,
 * key order and formatting survive, and only the nodes an edit touches are written anew. The
 * file keeps its mode (a new file is created readable by its owner only).
 */
import { readTextIfExists, updateFile } from './fileWrites.js';
import { Document, isMap, parseDocument } from 'yaml';
import type { ValidateFunction } from 'ajv';
import { FileError } from '../errors.js';
import { describeSchemaErrors } from './validate.js';
import { fileVersion, loadParsedCopy, storeParsedCopy } from './parsedCopy.js';

export interface YamlFileOptions<T> {
  /** Rules the schema cannot say (e.g. a map key that must equal a field); returns a message. */
  check?: (data: T) => string | undefined;
  /** A mode every write sets (for files that must stay private); by default the file keeps its own. */
  mode?: number;
  /**
   * Keep the parsed content until the file changes (its version: parsedCopy.ts), for a long-running
   * service that reads on every request; each read gets its own copy. Writes always re-read.
   */
  cacheReads?: boolean;
  /**
   * Keep the parsed content between processes in this file (parsedCopy.ts), for short commands
   * that read a large file; `tag` (the version that wrote it) must match too.
   */
  parsedCopy?: { file: string; tag: string };
}

export class YamlFile<T> {
  private cached: { key: string; data: T } | undefined;

  constructor(
    readonly file: string,
    private readonly validate: () => ValidateFunction<T>,
    private readonly empty: () => T,
    private readonly options: YamlFileOptions<T> = {},
  ) {}

  /** The current content, or the empty document when the file does not exist yet. */
  async read(): Promise<T> {
    if (this.options.parsedCopy) return this.readThroughCopy(this.options.parsedCopy);
    if (!this.options.cacheReads) return this.readFresh();
    const key = (await fileVersion(this.file))?.key;
    if (key === undefined) return this.readFresh();
    if (this.cached?.key !== key) this.cached = { key, data: await this.readFresh() };
    return structuredClone(this.cached.data);
  }

  private async readThroughCopy(copy: { file: string; tag: string }): Promise<T> {
    const version = await fileVersion(this.file);
    if (!version) return this.readFresh();
    const saved = await loadParsedCopy(copy.file, this.file, version, copy.tag);
    if (saved !== undefined && this.problemWith(saved) === undefined) return saved as T;
    const data = await this.readFresh();
    // Stored only when the file did not change while it was read.
    if ((await fileVersion(this.file))?.key === version.key) await storeParsedCopy(copy.file, this.file, version, copy.tag, data);
    return data;
  }

  private async readFresh(): Promise<T> {
    const text = await readTextIfExists(this.file);
    return text === undefined ? this.empty() : this.parse(text);
  }

  parse(text: string): T {
    return this.toData(this.parseText(text));
  }

  private parseText(text: string): Document | undefined {
    if (text.trim() === '') return undefined;
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    const first = doc.errors[0];
    if (first) {
      const line = first.linePos?.[0];
      const where = line ? `:${line.line}:${line.col}` : '';
      const reason = (first.message.split('\n')[0] ?? '').replace(/:\s*$/, '');
      throw new FileError(`${this.file}${where}: not valid YAML: ${reason}`, 'FILE_CORRUPT');
    }
    return doc;
  }

  private toData(doc: Document | undefined): T {
    if (!doc) return this.empty();
    let js: unknown;
    try {
      js = doc.toJS();
    } catch (err) {
      // e.g. the yaml library's refusal of an alias bomb ("Excessive alias count ...").
      throw new FileError(`${this.file}: not valid YAML: ${(err as Error).message}`, 'FILE_CORRUPT');
    }
    // A file of comments only is an empty document, as an empty file is; a top-level key left
    // empty (`servers:`) or out takes its value from the empty document.
    return this.checked(withDefaults(js, this.empty()), '');
  }

  /** Content that passes the schema and the rules it cannot say (options.check), else FILE_INVALID. */
  private checked(data: unknown, prefix: string): T {
    const problem = this.problemWith(data);
    if (problem !== undefined) throw new FileError(`${this.file}: ${prefix}${problem}`, 'FILE_INVALID');
    return data as T;
  }

  private problemWith(data: unknown): string | undefined {
    const validate = this.validate();
    if (!validate(data)) return describeSchemaErrors(validate.errors);
    return this.options.check?.(data as T);
  }

  /**
   * Apply `change` to the current document under the lock and write the result. `change` edits
   * the Document in place (it is also given the validated content to decide from) and may throw
   * to abort; nothing is written then. Returns what `change` returned.
   */
  async update<R>(change: (doc: Document, current: T) => R | Promise<R>): Promise<R> {
    let result: R | undefined;
    await updateFile(
      this.file,
      async (text) => {
        const parsed = text === undefined ? undefined : this.parseText(text);
        const current = this.toData(parsed);
        const doc = parsed ?? new Document(current);
        fillEmptyTopLevel(doc, current);
        result = await change(doc, current);
        this.checked(doc.toJS(), 'refusing to write: ');
        return doc.toString({ lineWidth: 0 });
      },
      { backup: true, mode: this.options.mode },
    );
    return result as R;
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

/**
 * Top-level keys the file leaves out or empty (`servers:`) get the empty document's value as a
 * block map, so an edit can go into them (an empty flow map `{}` would stay in flow style).
 */
function fillEmptyTopLevel<T>(doc: Document, current: T): void {
  if (!isMap(doc.contents)) {
    doc.contents = doc.createNode(current) as typeof doc.contents;
    return;
  }
  for (const [key, value] of Object.entries(current as Record<string, unknown>)) {
    const node = doc.get(key, true);
    if (node === undefined || node === null || (node as { value?: unknown }).value === null) doc.set(key, doc.createNode(value));
    const map = doc.get(key, true);
    if (isMap(map) && map.items.length === 0) map.flow = false;
  }
}

/**
 * Client config files are JSON with comments and trailing commas (VS Code's JSONC). Microsoft's
 * jsonc-parser reads them, and edits them in place so that comments, key order and formatting
 * outside the edited entries survive.
 */
import { applyEdits, modify, parse, printParseErrorCode, type FormattingOptions, type ParseError } from 'jsonc-parser';
import { ValidationError } from '../../errors.js';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The document's top-level object; an error naming the file, line and column otherwise. */
export function parseJsoncObject(text: string, file: string): JsonObject {
  if (text.trim() === '') throw new ValidationError(`${file}: the file is empty (expected a JSON object)`, 'BAD_CLIENT_CONFIG');
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  const [first] = errors;
  if (first) {
    const { line, column } = positionOf(text, first.offset);
    throw new ValidationError(`${file}:${line}:${column}: not valid JSON (${printParseErrorCode(first.error)})`, 'BAD_CLIENT_CONFIG');
  }
  if (!isJsonObject(value)) throw new ValidationError(`${file}: expected a JSON object at the top, found ${describeJsonType(value)}`, 'BAD_CLIENT_CONFIG');
  return value;
}

export function valueAt(root: JsonObject, keys: readonly string[]): unknown {
  let current: unknown = root;
  for (const key of keys) {
    if (!isJsonObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/**
 * Sets `keys` to `value` in the text, creating missing objects on the way; the rest is kept. A new
 * key goes at `insertAt` among its siblings: jsonc-parser re-indents the lines around an edit, so
 * inserting before the existing entries (not after the last one) leaves them and their trailing
 * comments as they were.
 */
export function setInText(text: string, keys: readonly string[], value: unknown, insertAt = 0): string {
  const edits = modify(text, [...keys], value, { formattingOptions: formattingOf(text), getInsertionIndex: () => insertAt });
  return applyEdits(text, edits);
}

/** Indentation as the file already has it (the first indented line), two spaces otherwise. */
function formattingOf(text: string): FormattingOptions {
  const indent = /^[ \t]+(?=\S)/m.exec(text)?.[0] ?? '  ';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return indent.startsWith('\t') ? { insertSpaces: false, tabSize: 1, eol } : { insertSpaces: true, tabSize: indent.length, eol };
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

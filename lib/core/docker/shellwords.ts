/**
 * Splits a pasted command line into argv the way POSIX sh would, without running a shell.
 *
 * Quoting follows sh: single quotes keep everything literal; double quotes let a backslash escape
 * only $ ` " \ ; outside quotes a backslash escapes any character; adjacent parts join into one word
 * and '' or "" make an empty word.
 *
 * Variable references are NOT expanded: `$VAR`, `${VAR}` and the `${VAR:-x}` family stay in the
 * word as written, to be interpolated at start time (interpolate.ts). So that the later step can
 * tell a reference from a literal dollar, a literal `$` (single-quoted or escaped) is stored as
 * `$$`, Compose's escape. A leading `~` stays literal: which home it means depends on the host the
 * container runs on, so it is resolved when the run command is built for that host.
 *
 * Anything whose meaning needs a real shell (operators, command substitution, comments, line
 * continuations, `$1`-style parameters) is rejected with a message saying how to fix it.
 */
import { CommandRefusedError } from '../../errors.js';
import { modifierAt, variableNameAt } from './interpolate.js';

const BLANKS = new Set([' ', '\t']);
const OPERATOR_CHARS = new Set([';', '&', '|', '<', '>', '(', ')']);
const TWO_CHAR_OPERATORS = new Set(['&&', '||', '>>', '<<']);
const ESCAPABLE_IN_DOUBLE_QUOTES = new Set(['$', '`', '"', '\\']);
const NAME_CHAR = /^[A-Za-z0-9_]$/;
const SNIPPET_LENGTH = 40;

export function splitCommand(text: string): string[] {
  rejectMultiLine(text);
  const scanner = new Scanner(text);
  const words: string[] = [];
  for (scanner.skipBlanks(); !scanner.atEnd(); scanner.skipBlanks()) {
    words.push(readWord(scanner));
  }
  if (words.length === 0) throw new CommandRefusedError('the docker command is empty: pass a "docker run ..." command');
  return words;
}

function rejectMultiLine(text: string): void {
  if (/[\r\n]/.test(text)) {
    throw new CommandRefusedError(
      'the docker command contains a line break but must be one line: remove the line continuations (\\ at line ends) and join the lines',
    );
  }
  if (text.includes('\0')) throw new CommandRefusedError('the docker command contains a NUL character: remove it');
}

/** A cursor over the command text; charAt() returns '' past the end, which ends every loop. */
class Scanner {
  pos = 0;

  constructor(readonly text: string) {}

  peek(offset = 0): string {
    return this.text.charAt(this.pos + offset);
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  atWordEnd(): boolean {
    return this.atEnd() || BLANKS.has(this.peek());
  }

  skipBlanks(): void {
    while (BLANKS.has(this.peek())) this.pos += 1;
  }

  /** The text from `start`, cut short so that an error message stays on one readable line. */
  snippet(start: number): string {
    const rest = this.text.slice(start);
    return rest.length > SNIPPET_LENGTH ? `${rest.slice(0, SNIPPET_LENGTH)}...` : rest;
  }
}

interface Reference {
  text: string;
  /** Set for an unbraced `$NAME`, whose name a following name character would silently extend. */
  bareName?: string;
}

/** Accumulates one stored word: literals with `$` doubled, references as written. */
class WordBuilder {
  private text = '';
  private trailingBareName: string | undefined;

  addLiteral(chars: string): void {
    if (chars === '') return;
    // "$A"B means $A followed by B, but the stored `$AB` would read as variable AB: brace it.
    if (this.trailingBareName !== undefined && NAME_CHAR.test(chars.charAt(0))) {
      this.text = `${this.text.slice(0, -this.trailingBareName.length - 1)}\${${this.trailingBareName}}`;
    }
    this.text += chars.split('$').join('$$');
    this.trailingBareName = undefined;
  }

  addReference(reference: Reference): void {
    this.text += reference.text;
    this.trailingBareName = reference.bareName;
  }

  toString(): string {
    return this.text;
  }
}

function readWord(scanner: Scanner): string {
  const word = new WordBuilder();
  if (scanner.peek() === '#') {
    throw new CommandRefusedError(
      `"${scanner.snippet(scanner.pos)}" is a shell comment: remove it, or quote the # if it belongs to a value`,
    );
  }
  while (!scanner.atWordEnd()) {
    const char = scanner.peek();
    if (char === "'") word.addLiteral(readSingleQuoted(scanner));
    else if (char === '"') readDoubleQuoted(scanner, word);
    else if (char === '\\') word.addLiteral(readEscaped(scanner));
    else if (char === '$') word.addReference(readReference(scanner));
    else if (char === '`') throw commandSubstitutionError('`...`');
    else if (OPERATOR_CHARS.has(char)) throw operatorError(scanner);
    else {
      word.addLiteral(char);
      scanner.pos += 1;
    }
  }
  return word.toString();
}

function readSingleQuoted(scanner: Scanner): string {
  const start = scanner.pos;
  const end = scanner.text.indexOf("'", start + 1);
  if (end === -1) throw unterminatedQuoteError('single', scanner.snippet(start));
  scanner.pos = end + 1;
  return scanner.text.slice(start + 1, end);
}

function readDoubleQuoted(scanner: Scanner, word: WordBuilder): void {
  const start = scanner.pos;
  scanner.pos += 1;
  for (;;) {
    const char = scanner.peek();
    if (char === '') throw unterminatedQuoteError('double', scanner.snippet(start));
    if (char === '"') {
      scanner.pos += 1;
      // An empty "" still has to make a word, which readWord guarantees by having started one.
      return;
    }
    if (char === '\\' && ESCAPABLE_IN_DOUBLE_QUOTES.has(scanner.peek(1))) {
      word.addLiteral(scanner.peek(1));
      scanner.pos += 2;
    } else if (char === '$') {
      word.addReference(readReference(scanner));
    } else if (char === '`') {
      throw commandSubstitutionError('`...`');
    } else {
      word.addLiteral(char);
      scanner.pos += 1;
    }
  }
}

function readEscaped(scanner: Scanner): string {
  const escaped = scanner.peek(1);
  if (escaped === '') {
    throw new CommandRefusedError(
      'the docker command ends with a lone backslash: remove it (line continuations are not supported; join the lines)',
    );
  }
  scanner.pos += 2;
  return escaped;
}

/** Reads `$NAME` or `${...}` at the cursor, keeping its text; anything else after `$` is rejected. */
function readReference(scanner: Scanner): Reference {
  const next = scanner.peek(1);
  if (next === '(') throw commandSubstitutionError('$(...)');
  if (next === '{') return { text: readBracedReference(scanner) };
  const name = variableNameAt(scanner.text, scanner.pos + 1);
  if (!name) throw invalidDollarError(`$${next}`);
  scanner.pos += 1 + name.length;
  return { text: `$${name}`, bareName: name };
}

function readBracedReference(scanner: Scanner): string {
  const start = scanner.pos;
  const name = variableNameAt(scanner.text, start + 2);
  scanner.pos = start + 2 + name.length;
  const modifier = modifierAt(scanner.text, scanner.pos);
  if (!name || (scanner.peek() !== '}' && !modifier)) throw invalidBracedError(scanner, start);
  scanner.pos += modifier?.length ?? 0;
  for (;;) {
    const char = scanner.peek();
    if (char === '}') break;
    if (char === '') throw invalidBracedError(scanner, start);
    if (char === '$') readReference(scanner);
    else if (char === '`') throw commandSubstitutionError('`...`');
    else if (char === "'" || char === '"' || char === '\\') {
      throw new CommandRefusedError(
        `quotes and backslashes inside "${scanner.snippet(start)}" are not supported: quote the whole word instead`,
      );
    } else scanner.pos += 1;
  }
  scanner.pos += 1;
  // Nested references were validated as they were read and are kept verbatim, as is the rest.
  return scanner.text.slice(start, scanner.pos);
}

function invalidBracedError(scanner: Scanner, start: number): CommandRefusedError {
  const close = scanner.text.indexOf('}', start);
  if (close === -1) {
    return new CommandRefusedError(`unclosed "\${" in "${scanner.snippet(start)}": add the closing }`);
  }
  return invalidDollarError(scanner.text.slice(start, close + 1));
}

function invalidDollarError(text: string): CommandRefusedError {
  return new CommandRefusedError(
    `"${text}" is not a supported variable reference: use $NAME or \${NAME} (also \${NAME:-default}); ` +
      'for a literal $ write \\$ or use single quotes',
  );
}

function commandSubstitutionError(form: string): CommandRefusedError {
  return new CommandRefusedError(
    `command substitution (${form}) is not allowed: the command is run without a shell; put the value in a variable and use \${NAME}`,
  );
}

function unterminatedQuoteError(kind: 'single' | 'double', snippet: string): CommandRefusedError {
  return new CommandRefusedError(`unterminated ${kind} quote in ${snippet}: add the closing quote`);
}

function operatorError(scanner: Scanner): CommandRefusedError {
  const rest = scanner.text.slice(scanner.pos);
  // README placeholders such as <your-token> are the usual reason for a `<` in a pasted command.
  const placeholder = /^<[^<>\s]+>/.exec(rest)?.[0];
  if (placeholder) {
    return new CommandRefusedError(
      `"${placeholder}" looks like a placeholder: replace it with the real value or a \${VARIABLE} reference, or quote it`,
    );
  }
  const twoChars = rest.slice(0, 2);
  const operator = TWO_CHAR_OPERATORS.has(twoChars) ? twoChars : rest.charAt(0);
  return new CommandRefusedError(
    `shell operator "${operator}" is not allowed: the command is run without a shell; remove it, or quote it if it belongs to a value`,
  );
}

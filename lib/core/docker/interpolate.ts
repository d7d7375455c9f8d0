/**
 * Compose-style interpolation of one stored argv word, done at start time so that secrets are
 * never stored expanded (design §5).
 *
 * Stored words use Compose's syntax, which is what splitCommand produces:
 *   $$                 a literal dollar
 *   $NAME, ${NAME}     the variable's value; an unset variable is an error
 *   ${NAME:-default}   default when NAME is unset or empty;   ${NAME-default} only when unset
 *   ${NAME:?message}   error when NAME is unset or empty;     ${NAME?message} only when unset
 *   ${NAME:+alt}       alt when NAME is set and not empty;    ${NAME+alt} when set
 * A default, message or alt may itself contain references and `$$`.
 */
import { ValidationError } from '../../errors.js';

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Longest first, so that `:-` is never read as `:` followed by `-`. */
export const REFERENCE_MODIFIERS = [':-', ':?', ':+', '-', '?', '+'] as const;
type Modifier = (typeof REFERENCE_MODIFIERS)[number];

const NOT_SET_HINT = '(define it in the environment or in the .env file)';

/** The variable name starting at `from` in `text`, or '' when there is none. */
export function variableNameAt(text: string, from: number): string {
  return VARIABLE_NAME.exec(text.slice(from))?.[0] ?? '';
}

/** The modifier starting at `from` in `text`, if any. */
export function modifierAt(text: string, from: number): Modifier | undefined {
  return REFERENCE_MODIFIERS.find((modifier) => text.startsWith(modifier, from));
}

export interface Interpolated {
  /** The word with every reference replaced: what docker receives. */
  value: string;
  /** The word with every reference kept as written and `$$` shown as `$`: safe to print. */
  display: string;
  /** Variables whose values ended up in `value`, in order of first use. */
  usedVars: string[];
}

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'reference'; name: string; source: string; modifier?: { op: Modifier; word: Segment[] } };

export function interpolateWord(
  word: string,
  env: Readonly<Record<string, string | undefined>>,
): Interpolated {
  const segments = new StoredWordParser(word).parseWord();
  const usedVars = new Set<string>();
  return {
    value: evaluate(segments, env, usedVars),
    display: segments.map((segment) => (segment.kind === 'literal' ? segment.text : segment.source)).join(''),
    usedVars: [...usedVars],
  };
}

/** Every variable the word mentions (including in defaults), in order, without duplicates. */
export function referencedVariables(word: string): string[] {
  const names = new Set<string>();
  const collect = (segments: Segment[]): void => {
    for (const segment of segments) {
      if (segment.kind === 'literal') continue;
      names.add(segment.name);
      if (segment.modifier) collect(segment.modifier.word);
    }
  };
  collect(new StoredWordParser(word).parseWord());
  return [...names];
}

function evaluate(segments: Segment[], env: Readonly<Record<string, string | undefined>>, used: Set<string>): string {
  return segments
    .map((segment) => (segment.kind === 'literal' ? segment.text : resolveReference(segment, env, used)))
    .join('');
}

function resolveReference(
  reference: Extract<Segment, { kind: 'reference' }>,
  env: Readonly<Record<string, string | undefined>>,
  used: Set<string>,
): string {
  const { name, modifier } = reference;
  const value = env[name];
  const useValue = (): string => {
    used.add(name);
    return value ?? '';
  };
  if (!modifier) {
    if (value === undefined) throw new ValidationError(`variable ${name} is not set ${NOT_SET_HINT}`);
    return useValue();
  }
  // The colon forms treat an empty value like an unset one, as sh and Compose do.
  const missing = modifier.op.startsWith(':') ? value === undefined || value === '' : value === undefined;
  const alternative = (): string => evaluate(modifier.word, env, used);
  switch (modifier.op) {
    case ':-':
    case '-':
      return missing ? alternative() : useValue();
    case ':+':
    case '+':
      return missing ? '' : alternative();
    case ':?':
    case '?':
      if (missing) throw requiredVariableError(name, modifier.op, modifier.word);
      return useValue();
  }
}

function requiredVariableError(name: string, op: Modifier, message: Segment[]): ValidationError {
  // The message is shown as written, never evaluated: evaluating could put another variable's value in it.
  const text = message.map((segment) => (segment.kind === 'literal' ? segment.text : segment.source)).join('');
  const state = op === ':?' ? 'is not set or is empty' : 'is not set';
  return new ValidationError(`variable ${name} ${state}: ${text || NOT_SET_HINT}`);
}

/** Reads a stored word into literal and reference segments, rejecting anything it cannot interpolate. */
class StoredWordParser {
  private pos = 0;

  constructor(private readonly word: string) {}

  parseWord(): Segment[] {
    return this.parseSegments(false);
  }

  /** Reads up to the end of the word, or (inside `${...}`) up to the closing brace. */
  private parseSegments(insideBraces: boolean): Segment[] {
    const segments: Segment[] = [];
    let literal = '';
    while (this.pos < this.word.length) {
      const char = this.word.charAt(this.pos);
      if (insideBraces && char === '}') break;
      if (char !== '$') {
        literal += char;
        this.pos += 1;
      } else if (this.word.charAt(this.pos + 1) === '$') {
        literal += '$';
        this.pos += 2;
      } else {
        if (literal) segments.push({ kind: 'literal', text: literal });
        literal = '';
        segments.push(this.parseReference());
      }
    }
    if (literal) segments.push({ kind: 'literal', text: literal });
    return segments;
  }

  private parseReference(): Segment {
    const start = this.pos;
    if (this.word.charAt(start + 1) === '{') return this.parseBracedReference();
    const name = variableNameAt(this.word, start + 1);
    if (!name) throw this.invalid(this.word.slice(start, start + 2));
    this.pos = start + 1 + name.length;
    return { kind: 'reference', name, source: this.word.slice(start, this.pos) };
  }

  private parseBracedReference(): Segment {
    const start = this.pos;
    const name = variableNameAt(this.word, start + 2);
    this.pos = start + 2 + name.length;
    const op = modifierAt(this.word, this.pos);
    if (!name || (this.word.charAt(this.pos) !== '}' && !op)) throw this.invalid(this.bracedText(start));
    if (op) {
      this.pos += op.length;
      const word = this.parseSegments(true);
      if (this.word.charAt(this.pos) !== '}') throw this.invalid(this.word.slice(start));
      this.pos += 1;
      return { kind: 'reference', name, source: this.word.slice(start, this.pos), modifier: { op, word } };
    }
    this.pos += 1;
    return { kind: 'reference', name, source: this.word.slice(start, this.pos) };
  }

  /** `${...}` up to its first closing brace, or the rest of the word: the text an error names. */
  private bracedText(start: number): string {
    const close = this.word.indexOf('}', start);
    return close === -1 ? this.word.slice(start) : this.word.slice(start, close + 1);
  }

  private invalid(text: string): ValidationError {
    return new ValidationError(
      `invalid variable reference "${text}": use $NAME or \${NAME} (optionally \${NAME:-default}), and $$ for a literal $`,
    );
  }
}

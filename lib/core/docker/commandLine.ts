/**
 * The inverse of shellwords.ts: writes stored words (Compose syntax: `${NAME}` references, `$$`
 * for a literal dollar) as one command line that splitCommand reads back to exactly those words.
 * Used where msm builds a docker_command itself, from an argv a client config gave.
 *
 * Literal parts are quoted the one way msm quotes any argv element (exec/shellQuote.ts quoteArg).
 * References are written bare, braced, so no following character can extend their name.
 */
import { ValidationError } from '../../errors.js';
import { quoteArg } from '../exec/shellQuote.js';

const STORED_TOKEN = /\$\$|\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^$'"\\`{}]*)?\}/g;

export function commandLineFor(words: readonly string[]): string {
  return words.map(quoteStoredWord).join(' ');
}

function quoteStoredWord(word: string): string {
  if (word === '') return "''";
  let text = '';
  let literal = '';
  let last = 0;
  for (const match of word.matchAll(STORED_TOKEN)) {
    literal += checkLiteral(word.slice(last, match.index), word);
    if (match[0] === '$$') {
      literal += '$';
    } else {
      text += quoteLiteral(literal) + match[0];
      literal = '';
    }
    last = (match.index ?? 0) + match[0].length;
  }
  literal += checkLiteral(word.slice(last), word);
  return text + quoteLiteral(literal);
}

function checkLiteral(part: string, word: string): string {
  if (part.includes('$')) throw new ValidationError(`"${word}" holds a "$" that is neither a \${NAME} reference nor an escaped $$`);
  return part;
}

/** An empty literal between two references is no word of its own, so it stays empty, not `''`. */
function quoteLiteral(literal: string): string {
  return literal === '' ? literal : quoteArg(literal);
}

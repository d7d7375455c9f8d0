/**
 * Variable references in MCP client configs, turned into msm's own (`${NAME}`, filled at start
 * time from the environment and the `.env` file beside the registry).
 *
 * Clients write them differently: VS Code prompts for `${input:id}` (declared under "inputs") and
 * reads `${env:NAME}`; Claude Code and Gemini CLI expand `${NAME}` (Claude Code also
 * `${NAME:-default}`; Gemini CLI also `$NAME`). All become `${NAME}` here; an input's id becomes its variable in upper
 * case (`${input:github_token}` -> `${GITHUB_TOKEN}`). Every other `$` is literal to the client, so
 * it is stored as `$$`, the escape the splitter and interpolation use.
 */
import { ValidationError } from '../../errors.js';

const CLIENT_REFERENCE = /\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `NAME` or `NAME:-default`, the default free of anything that would need quoting or nesting. */
const NAME_WITH_DEFAULT = /^([A-Za-z_][A-Za-z0-9_]*)(:-[^$'"\\`{}]*)?$/;

export type ReferenceSource = 'input' | 'env' | 'variable';

export interface ClientReference {
  /** The msm variable the reference reads. */
  variable: string;
  source: ReferenceSource;
  /** As the client wrote it: `${input:github_token}`. */
  written: string;
}

export interface StoredText {
  /** The text in the stored (Compose) syntax: references as `${NAME}`, a literal `$` as `$$`. */
  stored: string;
  references: ClientReference[];
}

/** The msm variable for a VS Code input id: upper case, anything but letters, digits and _ as _. */
export function variableForInput(id: string): string {
  const name = id.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

export function toStoredText(text: string): StoredText {
  const references: ClientReference[] = [];
  let stored = '';
  let last = 0;
  for (const match of text.matchAll(CLIENT_REFERENCE)) {
    const written = match[0];
    const bare = match[2];
    const { reference, replacement } = bare
      ? { reference: { variable: bare, source: 'variable' as const, written }, replacement: `\${${bare}}` }
      : convertReference(written, match[1] ?? '');
    stored += escapeDollars(text.slice(last, match.index)) + replacement;
    references.push(reference);
    last = (match.index ?? 0) + written.length;
  }
  stored += escapeDollars(text.slice(last));
  return { stored, references };
}

/** The whole text is one reference (`${input:token}`): the variable it names, else undefined. */
export function soleReference(text: string): ClientReference | undefined {
  const { stored, references } = toStoredText(text);
  const [only] = references;
  return references.length === 1 && only && stored === `\${${only.variable}}` ? only : undefined;
}

function escapeDollars(literal: string): string {
  return literal.split('$').join('$$');
}

function convertReference(written: string, body: string): { reference: ClientReference; replacement: string } {
  const colon = body.indexOf(':');
  const prefix = colon > 0 ? body.slice(0, colon) : '';
  if (prefix === 'input') {
    const id = body.slice(colon + 1);
    if (id === '') throw new ValidationError(`"${written}" names no input id`);
    const variable = variableForInput(id);
    return { reference: { variable, source: 'input', written }, replacement: `\${${variable}}` };
  }
  if (prefix === 'env') {
    const variable = body.slice(colon + 1);
    if (!VARIABLE_NAME.test(variable)) throw new ValidationError(`"${written}" is not a valid environment variable reference`);
    return { reference: { variable, source: 'env', written }, replacement: `\${${variable}}` };
  }
  const plain = NAME_WITH_DEFAULT.exec(body);
  if (!plain?.[1]) {
    throw new ValidationError(
      `"${written}" is a client variable msm cannot fill (it knows \${input:id}, \${env:NAME}, \${NAME} and \${NAME:-default}): replace it with a value or one of those`,
    );
  }
  return { reference: { variable: plain[1], source: 'variable', written }, replacement: written };
}

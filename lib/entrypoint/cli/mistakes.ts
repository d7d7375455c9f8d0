/**
 * Turning a mistyped command line into a sentence that says what to do: unknown commands and flags
 * get a suggestion by meaning (words from docker, kubectl and compose) or by spelling, and yargs'
 * own sentences are replaced by ones that name the command.
 */

/**
 * Words people bring from other tools, and the command that does that here. Asked at every level
 * of commands (`mcp hosts ps` means `mcp hosts list`); words that are commands or aliases at the
 * top level and mean nothing below it (up, logs) are never asked about.
 */
const MEANINGS: Record<string, string> = {
  run: 'start',
  create: 'add',
  register: 'add',
  new: 'add',
  down: 'stop',
  kill: 'stop',
  delete: 'remove',
  del: 'remove',
  unregister: 'remove',
  show: 'get',
  describe: 'get',
  inspect: 'get',
  info: 'get',
  ps: 'list',
  status: 'list',
  check: 'health',
  ping: 'health',
};

/** Edit distance counting a swap of two neighbours as one edit ("strat" is one from "start"). */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => rows[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The closest candidate by spelling: a prefix, or at most a third of the word's letters wrong. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const prefixed = candidates.filter((candidate) => word.length >= 2 && candidate.startsWith(word));
  if (prefixed.length === 1) return prefixed[0];
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** A command the user probably meant: by meaning first (only when that command exists), then spelling. */
export function suggestCommand(word: string, commands: readonly string[]): string | undefined {
  const meant = MEANINGS[word.toLowerCase()];
  if (meant && commands.includes(meant)) return meant;
  return closest(word.toLowerCase(), commands);
}

export function unknownCommandMessage(word: string, commands: readonly string[], parent = 'mcp'): string {
  const suggestion = suggestCommand(word, commands);
  return `unknown command "${word}" for "${parent}"${suggestion ? `; did you mean "${parent} ${suggestion}"?` : ''}`;
}

/** "unknown flag --jsn; did you mean --json?" for each flag yargs did not know. */
export function unknownFlagMessage(flag: string, known: readonly string[]): string {
  const bare = flag.replace(/^-+/, '').split('=')[0] ?? '';
  const suggestion = closest(bare, known.filter((name) => name.length > 1));
  const shown = flag.startsWith('-') ? flag.split('=')[0] : `--${bare}`;
  return `unknown flag ${shown}${suggestion ? `; did you mean --${suggestion}?` : ''}`;
}

/** What a missing positional is, in words, by the name the command gives it. */
const POSITIONAL_NOUNS: Record<string, string> = {
  name: 'a server name',
  names: 'a server name',
  alias: 'a host alias',
  command: 'a subcommand',
  shell: 'a shell (bash, zsh or fish)',
};

export interface FailureContext {
  /** The command as typed, canonical: e.g. "mcp get", "mcp hosts add". */
  path: string;
  /** The first required positional of that command, e.g. "name". */
  required?: string | undefined;
  /** The flags (long names and aliases) the command accepts. */
  flags: readonly string[];
  /** The command line as given, to tell a flag from a stray word. */
  argv: readonly string[];
}

/** yargs' sentence rewritten to name the command and what it needs. */
export function translateYargsMessage(message: string, context: FailureContext): string {
  if (/^Not enough non-option arguments/.test(message)) {
    return `${context.path} needs ${POSITIONAL_NOUNS[context.required ?? ''] ?? 'more arguments'}`;
  }
  const missing = /^Missing required arguments?: (.+)$/.exec(message);
  if (missing) {
    const flags = (missing[1] ?? '').split(', ').map((name) => `--${name}`);
    return `${context.path} needs ${flags.join(' and ')}`;
  }
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknown) {
    return (unknown[1] ?? '')
      .split(', ')
      .map((word) => {
        const asFlag = context.argv.find((arg) => arg.startsWith('-') && arg.replace(/^-+/, '').split('=')[0] === word);
        return asFlag ? unknownFlagMessage(asFlag, context.flags) : `${context.path} does not take "${word}"`;
      })
      .join('; ');
  }
  const noValue = /^Not enough arguments following: (.+)$/.exec(message);
  if (noValue) return `--${noValue[1]} needs a value`;
  const tooMany = /^Too many non-option arguments: got (\d+), maximum of (\d+)$/.exec(message);
  if (tooMany) return `${context.path} takes at most ${tooMany[2]} argument${tooMany[2] === '1' ? '' : 's'} (got ${tooMany[1]})`;
  return message;
}

/**
 * Parses the `docker run` command a user registers, finding the image where docker itself would.
 *
 * docker parses run's flags with spf13/pflag, interspersed=false, and this follows it:
 * - options end at the first word that is not an option (or at `--`): that word is the image and
 *   every word after it is the container's command, verbatim, even when it looks like a flag;
 * - `--opt=value` and `--opt value`; `-e value`, `-evalue` and `-e=value`;
 * - a value-taking option takes the next word whatever it looks like (`-e --rm` sets env `--rm`);
 * - short booleans combine (`-dit`) and the cluster may end in a value-taking one (`-itp 80:80`,
 *   `-itp80:80`); booleans also accept an explicit value (`--rm=false`, `-d=true`).
 *
 * A combined cluster becomes one RunOption per option, and each gets the tokens it would have
 * on its own (`-dit` gives ['-d'], ['-i'], ['-t']; `-itp80:80` gives ['-i'], ['-t'], ['-p80:80']).
 * So the concatenated tokens of all options form an argv docker reads exactly like the original,
 * and a single option can be dropped or replaced without disturbing its neighbours.
 */
import { CommandRefusedError } from '../../errors.js';
import { findLongOption, findShortOption, type RunOptionSpec } from './runOptions.js';
import { splitCommand } from './shellwords.js';

export interface RunOption {
  /** Canonical long name without dashes (`env`, `publish`, `detach`); hidden aliases are resolved. */
  long: string;
  /** The option's value; undefined for a boolean given bare. */
  value?: string;
  /** The words that formed the option, as given (see the module comment for short clusters). */
  tokens: string[];
}

export interface ParsedRun {
  options: RunOption[];
  image: string;
  command: string[];
}

/** The spellings Go's strconv.ParseBool accepts, which is what docker takes after `--rm=`. */
const BOOLEAN_VALUES = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Programs whose install lines get pasted instead of a docker command. */
const NON_DOCKER_LAUNCHERS = new Set(['npx', 'uvx', 'uv', 'node', 'python', 'python3', 'pipx', 'bunx', 'deno']);

export function parseDockerCommand(text: string): ParsedRun {
  return parseRunArgs(wordsAfterDockerRun(splitCommand(text)));
}

/** Parses the words after `docker run`. */
export function parseRunArgs(words: string[]): ParsedRun {
  const options: RunOption[] = [];
  let index = 0;
  while (index < words.length) {
    const word = words[index] ?? '';
    if (word === '--') {
      index += 1;
      break;
    }
    // pflag treats '-' alone, like any word not starting with '-', as the first argument.
    if (!word.startsWith('-') || word === '-') break;
    index = word.startsWith('--') ? readLongOption(words, index, options) : readShortCluster(words, index, options);
  }
  const image = words[index];
  if (image === undefined) {
    throw new CommandRefusedError('no image in the docker run command: put the image after the options (docker run [OPTIONS] IMAGE [ARGS...])');
  }
  checkImage(image);
  return { options, image, command: words.slice(index + 1) };
}

/** Strips `docker run` / `docker container run`, explaining the common wrong pastes. */
function wordsAfterDockerRun(words: string[]): string[] {
  const [program = '', verb, subverb] = words;
  if (!isDockerProgram(program)) throw notDockerRunError(program, words[1]);
  if (verb?.startsWith('-')) {
    throw new CommandRefusedError(
      `global docker flags before "run" ("${verb}") are not supported: the host is chosen with --host; start the command with "docker run"`,
    );
  }
  if (verb === 'run') return words.slice(2);
  if (verb === 'container' && subverb === 'run') return words.slice(3);
  const given = [program, verb, verb === 'container' ? subverb : undefined].filter(Boolean).join(' ');
  throw new CommandRefusedError(`the command must start with "docker run" or "docker container run", not "${given}"`);
}

function isDockerProgram(word: string): boolean {
  return word === 'docker' || (word.startsWith('/') && word.endsWith('/docker'));
}

function notDockerRunError(program: string, second: string | undefined): CommandRefusedError {
  if (program === 'claude' && second === 'mcp') {
    return new CommandRefusedError(
      'looks like a "claude mcp add" line: pass only the part from "docker run" on (what follows the --)',
    );
  }
  if (program === 'sudo') {
    return new CommandRefusedError(
      'the command must start with "docker run", not "sudo": to run docker through sudo, set the host\'s docker command in the hosts file (e.g. docker: sudo -n docker)',
    );
  }
  if (NON_DOCKER_LAUNCHERS.has(program)) {
    return new CommandRefusedError(
      `"${program} ..." runs the server without Docker: mcp manages containers, so pass the server's "docker run" command (see its README)`,
    );
  }
  return new CommandRefusedError(`the command must start with "docker run" (or "docker container run"), not "${program}"`);
}

/** `--name`, `--name=value` or `--name value`; returns the index of the next unread word. */
function readLongOption(words: string[], index: number, options: RunOption[]): number {
  const word = words[index] ?? '';
  const body = word.slice(2);
  const equals = body.indexOf('=');
  const name = equals === -1 ? body : body.slice(0, equals);
  if (name === '' || name.startsWith('-')) {
    throw new CommandRefusedError(`bad flag syntax: ${word} (options are written -x or --name)`);
  }
  const spec = findLongOption(name);
  if (!spec) throw new CommandRefusedError(`unknown flag: --${name} (docker run has no such option)`);
  const inlineValue = equals === -1 ? undefined : body.slice(equals + 1);

  if (!spec.takesValue) {
    options.push(booleanOption(spec, inlineValue, word, [word]));
    return index + 1;
  }
  if (inlineValue !== undefined) {
    options.push({ long: spec.long, value: inlineValue, tokens: [word] });
    return index + 1;
  }
  const value = words[index + 1];
  if (value === undefined) throw new CommandRefusedError(`flag needs an argument: ${word}`);
  options.push({ long: spec.long, value, tokens: [word, value] });
  return index + 2;
}

/** `-d`, `-dit`, `-e K=v`, `-eK=v`, `-e=K=v`, `-itp 80:80`; returns the index of the next unread word. */
function readShortCluster(words: string[], index: number, options: RunOption[]): number {
  const word = words[index] ?? '';
  for (let position = 1; position < word.length; position += 1) {
    const char = word.charAt(position);
    const spec = findShortOption(char);
    if (!spec) throw new CommandRefusedError(`unknown shorthand flag: '${char}' in ${word} (docker run has no such option)`);
    const rest = word.slice(position + 1);
    const own = `-${char}${rest}`;
    // pflag reads `-x=value` as an explicit value, but a bare `-x=` as `-x` then a flag named '='.
    const explicitValue = rest.length >= 2 && rest.startsWith('=') ? rest.slice(1) : undefined;

    if (!spec.takesValue) {
      if (explicitValue === undefined) {
        options.push({ long: spec.long, tokens: [`-${char}`] });
        continue;
      }
      options.push(booleanOption(spec, explicitValue, own, [own]));
      return index + 1;
    }
    if (rest !== '') {
      options.push({ long: spec.long, value: explicitValue ?? rest, tokens: [own] });
      return index + 1;
    }
    const value = words[index + 1];
    if (value === undefined) throw new CommandRefusedError(`flag needs an argument: '${char}' in ${word}`);
    options.push({ long: spec.long, value, tokens: [own, value] });
    return index + 2;
  }
  return index + 1;
}

function booleanOption(spec: RunOptionSpec, value: string | undefined, given: string, tokens: string[]): RunOption {
  if (value === undefined) return { long: spec.long, tokens };
  if (!BOOLEAN_VALUES.has(value)) {
    throw new CommandRefusedError(`invalid value "${value}" in ${given}: --${spec.long} takes true or false`);
  }
  return { long: spec.long, value, tokens };
}

/** Loose on purpose: docker validates references itself, and `$IMAGE` is only known at start time. */
function checkImage(image: string): void {
  if (image === '') throw new CommandRefusedError('the image name in the docker run command is empty');
  if (/\s/.test(image)) throw new CommandRefusedError(`the image name "${image}" contains whitespace`);
  // Only reachable after `--` (or as '-'), which make the next word the image whatever it looks like.
  if (image.startsWith('-')) throw new CommandRefusedError(`"${image}" is not an image name: image names cannot start with "-"`);
}

/** Whether the command keeps the container's stdin open (`-i`, `--interactive[=true]`); the last one wins, as in docker. */
export function isInteractive(parsed: ParsedRun): boolean {
  const interactive = parsed.options.filter((option) => option.long === 'interactive').at(-1);
  return interactive !== undefined && (interactive.value === undefined || /^(1|t|true)$/i.test(interactive.value));
}

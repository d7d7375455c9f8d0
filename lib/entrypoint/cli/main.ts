/**
 * yargs root: global flags, one module per command, and one place where errors become messages
 * and exit codes (2 usage/validation, 1 runtime; commands set 0/1/3 themselves).
 */
import yargs, { type Argv } from 'yargs';
import { errorMessage, MsmError } from '../../errors.js';
import { catalogOf, flagsOf, resolvePath, visibleNames, type CommandEntry } from './catalog.js';
import { commands, subcommands } from './commands/index.js';
import { numberFlagProblem } from './flagChecks.js';
import { BUILT_IN_FLAGS, GLOBAL_FLAGS, GLOBAL_OPTIONS } from './globalOptions.js';
import { GLOBAL_FLAGS_HEADING, helpWidth } from './help.js';
import { translateYargsMessage, unknownCommandMessage } from './mistakes.js';
import { createOutput } from './output.js';
import { packageVersion } from './version.js';

class UsageError extends MsmError {
  constructor(message: string) {
    super(message, 'USAGE', 2);
  }
}

/** Options whose value must never be read as a flag (yargs would split `-oX` into flags -o -X). */
const VALUE_OPTIONS = new Set(['--host', '--command', '-c']);

function rejectDashValues(argv: readonly string[]): void {
  argv.forEach((arg, index) => {
    const value = argv[index + 1];
    if (VALUE_OPTIONS.has(arg) && value !== undefined && value.startsWith('-')) {
      throw new UsageError(`${arg} "${value}": a value cannot start with "-" (a host never does; quote the whole command for --command)`);
    }
  });
}

export async function main(argv: string[]): Promise<number> {
  const wantsJson = argv.includes('--json');
  const out = createOutput({ json: wantsJson, verbose: argv.includes('--verbose'), color: !argv.includes('--no-color') });
  const catalog = catalogOf(commands, subcommands);
  if (argv[0] === COMPLETE) return complete(argv.slice(argv.indexOf('--') + 1), catalog);
  const { chain, unknown } = resolvePath(catalog, argv);
  const commandPath = ['mcp', ...chain.map((entry) => entry.name)].join(' ');
  const root = yargs(argv);
  // Types and defaults go in the descriptions, gh-style; yargs' "[boolean]" tags are noise to people.
  // (usageConfiguration exists since yargs 17.7 but is missing from @types/yargs.)
  (root as unknown as { usageConfiguration(config: object): unknown }).usageConfiguration({ 'hide-types': true });
  const parser = root
    .scriptName('mcp')
    .usage('$0 <command> [flags]\n\nRun and manage MCP servers as Docker containers, here and on your hosts.')
    .options(GLOBAL_OPTIONS)
    .command(commands)
    .check((args, options) => numberFlagProblem(args, (options as unknown as { number: string[] }).number, argv) ?? true, true)
    .demandCommand(1, 'name a command (see mcp --help)')
    .strict()
    .version(packageVersion())
    .alias('version', BUILT_IN_FLAGS.version)
    .help()
    .alias('help', BUILT_IN_FLAGS.help)
    .group([...GLOBAL_FLAGS], GLOBAL_FLAGS_HEADING)
    .wrap(helpWidth())
    .exitProcess(false)
    .epilogue('Exit codes: 0 ok, 1 failed, 2 bad usage or input, 3 some targets failed.\nMore: mcp help <command>, README.md')
    .fail((message, err) => {
      // yargs' own complaints (YError, or a message alone) are usage errors; anything else came
      // out of a command handler and keeps its own exit code.
      // (a .check() that returns a string hands that string over as `err`).
      if (err instanceof Error && err.name !== 'YError') throw err;
      const last = chain[chain.length - 1];
      const text = message ?? String(err ?? 'bad usage');
      throw new UsageError(translateYargsMessage(text, { path: commandPath, required: last?.required, flags: flagsOf(last), argv }));
    });
  try {
    rejectDashValues(argv);
    if (unknown !== undefined) {
      const level = chain.length === 0 ? catalog : (chain[chain.length - 1]?.children ?? []);
      throw new UsageError(unknownCommandMessage(unknown, visibleNames(level), commandPath));
    }
    if (chain.length === 0 && !argv.some((arg) => HELP_OR_VERSION.has(arg))) return await bareMcp(parser);
    await parser.parseAsync();
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    const exitCode = err instanceof MsmError ? err.exitCode : 1;
    if (wantsJson) {
      const code = err instanceof MsmError ? err.code : 'ERROR';
      process.stderr.write(`${JSON.stringify({ error: { message: errorMessage(err), code } })}\n`);
    } else {
      out.error(errorMessage(err));
      if (err instanceof MsmError && err.code === 'USAGE') process.stderr.write(`Run \`${commandPath} --help\` for usage.\n`);
    }
    if (out.verbose && err instanceof Error && !(err instanceof MsmError)) process.stderr.write(`${err.stack}\n`);
    return exitCode;
  }
}

/** The hidden command the completion scripts call: `mcp __complete -- <words after mcp>`. */
const COMPLETE = '__complete';

async function complete(words: string[], catalog: CommandEntry[]): Promise<number> {
  const { completeWords, fileSources } = await import('./completion.js');
  const candidates = await completeWords(words.length > 0 ? words : [''], catalog, fileSources(words));
  if (candidates.length > 0) process.stdout.write(`${candidates.join('\n')}\n`);
  return 0;
}

const HELP_OR_VERSION = new Set(['--help', '-h', '--version', '-V']);

/**
 * `mcp` alone: at a terminal a person is asking what the tool does, so the help goes to stdout
 * (exit 0). Without a terminal it is a script that forgot its command: help on stderr, exit 2.
 */
async function bareMcp(parser: Argv): Promise<number> {
  const help = `${await parser.getHelp()}\n`;
  if (process.stdout.isTTY) {
    process.stdout.write(help);
    return 0;
  }
  process.stderr.write(help);
  return 2;
}

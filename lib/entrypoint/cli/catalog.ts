/**
 * What commands exist and what each accepts, read from the command modules themselves: used for
 * suggestions on mistakes, for pointing an error at the right `--help`, and for shell completion.
 */
import yargs, { type CommandModule } from 'yargs';
import { GLOBAL_FLAG_SPELLINGS, GLOBAL_VALUE_FLAGS } from './globalOptions.js';
import { introspect } from './help.js';

export interface CommandEntry {
  name: string;
  aliases: string[];
  /** Positional names in order, from the command string ("get <names..>" -> ["names"]). */
  positionals: string[];
  /** The first positional the command cannot do without. */
  required?: string | undefined;
  hidden: boolean;
  module: CommandModule;
  children: CommandEntry[];
}

export function catalogOf(modules: readonly CommandModule[], children: Record<string, readonly CommandModule[]> = {}): CommandEntry[] {
  return modules.map((module) => {
    const words = String(module.command).split(' ');
    const name = words[0] ?? '';
    const positionals = words.slice(1).map((word) => word.replace(/[<>[\]]|\.\./g, ''));
    const required = words.slice(1).find((word) => word.startsWith('<'))?.replace(/[<>]|\.\./g, '');
    const aliases = module.aliases === undefined ? [] : ([] as string[]).concat(module.aliases);
    return { name, aliases, positionals, required, hidden: module.describe === false, module, children: catalogOf(children[name] ?? []) };
  });
}

export function findCommand(entries: readonly CommandEntry[], word: string): CommandEntry | undefined {
  return entries.find((entry) => entry.name === word || entry.aliases.includes(word));
}

/** Names a user may type at this level (hidden commands excluded). */
export function visibleNames(entries: readonly CommandEntry[]): string[] {
  return entries.filter((entry) => !entry.hidden).flatMap((entry) => [entry.name, ...entry.aliases]);
}

/** The words of argv that are not flags or flag values: the command path and positionals. */
export function nonFlagWords(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') break;
    if (arg.startsWith('-')) {
      if (GLOBAL_VALUE_FLAGS.has(arg)) i++;
      continue;
    }
    words.push(arg);
  }
  return words;
}

/** The command argv names (following subcommands), with the words that named it. */
export function resolvePath(entries: readonly CommandEntry[], argv: readonly string[]): { chain: CommandEntry[]; unknown?: string } {
  const chain: CommandEntry[] = [];
  let level = entries;
  for (const word of nonFlagWords(argv)) {
    const found = findCommand(level, word);
    if (!found) return { chain, unknown: word };
    chain.push(found);
    if (found.children.length === 0) break;
    level = found.children;
  }
  return { chain };
}

/** Every flag of a command (long names and aliases, without dashes), global ones included. */
export function flagsOf(entry: CommandEntry | undefined): string[] {
  const flags = new Set<string>(GLOBAL_FLAG_SPELLINGS);
  if (!entry || typeof entry.module.builder !== 'function') return [...flags];
  const instance = yargs([]);
  (entry.module.builder as (y: typeof instance) => unknown)(instance);
  const { key, alias } = introspect(instance).getOptions();
  for (const name of Object.keys(key)) {
    if (entry.positionals.includes(name)) continue;
    flags.add(name);
    for (const other of alias[name] ?? []) if (!/[A-Z]/.test(other)) flags.add(other);
  }
  return [...flags];
}

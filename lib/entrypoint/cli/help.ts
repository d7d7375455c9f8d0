/**
 * How `--help` is laid out (gh's order): positionals, the command's own flags, then the flags every
 * command inherits under their own heading, then examples, each on lines of their own so a long
 * command is never split across columns. Wrapping is at word boundaries (see scripts/build.mjs).
 */
import type { Argv, CommandModule } from 'yargs';
import { GLOBAL_FLAGS } from './globalOptions.js';

export const OWN_FLAGS_HEADING = 'Flags:';
export const GLOBAL_FLAGS_HEADING = 'Global flags:';

/** What yargs exposes about a built command that its type declarations leave out. */
export interface YargsIntrospection {
  getOptions(): { key: Record<string, unknown>; alias: Record<string, string[]>; number: string[]; boolean: string[]; array: string[] };
  getGroups(): Record<string, string[]>;
}

export function introspect(yargs: Argv<unknown>): YargsIntrospection {
  return yargs as unknown as YargsIntrospection;
}

/** The width help wraps at: the terminal's, else $COLUMNS, else 80 (never under 40). */
export function helpWidth(): number {
  const columns = process.stdout.columns || Number(process.env.COLUMNS) || 80;
  return Math.max(40, columns);
}

/**
 * Lay out a command's help: its own flags grouped ahead of the inherited ones, and examples as a
 * comment line followed by the whole command (yargs' two-column examples wrap long commands at
 * half the width, which breaks copy and paste).
 */
export function withHelpLayout(module: CommandModule): CommandModule {
  const { builder } = module;
  if (typeof builder !== 'function') return module;
  return {
    ...module,
    builder: (yargs: Argv) => {
      const original = yargs.example.bind(yargs);
      const instance = yargs as unknown as { example: (command: string, description?: string) => unknown };
      instance.example = (command: string, description?: string) => {
        if (description) original(`# ${description}`, '');
        return original(command, '');
      };
      const built = (builder as (y: Argv) => Argv)(yargs) ?? yargs;
      delete (instance as { example?: unknown }).example;
      const { key, alias } = introspect(built).getOptions();
      const positionals = new Set(introspect(built).getGroups()['Positionals:'] ?? []);
      // yargs lists an alias (-c) as a key of its own too; the long name stands for both.
      const aliases = new Set(Object.entries(alias).flatMap(([name, others]) => others.filter((other) => other.length < name.length)));
      const own = Object.keys(key).filter((name) => !positionals.has(name) && !aliases.has(name) && !GLOBAL_FLAGS.includes(name));
      if (own.length > 0) built.group(own, OWN_FLAGS_HEADING);
      return built;
    },
  };
}

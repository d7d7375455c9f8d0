/** Pieces several command modules share: the target selector and the lazily built context. */
import type { Argv } from 'yargs';
import { ValidationError } from '../../../errors.js';
import type { Selector } from '../../../core/mcpServerManager.js';
import type { Context, ContextOptions, GlobalArgs } from '../context.js';

export interface SelectorArgs extends GlobalArgs {
  names?: string[];
  all?: boolean;
  host?: string;
}

/** Names or --all (not both); with `allByDefault`, neither means every server. */
export function selectorOptions<T>(yargs: Argv<T>, { allByDefault = false } = {}) {
  return yargs
    .positional('names', { type: 'string', array: true, describe: 'server names' })
    .option('all', { type: 'boolean', describe: 'every registered server' })
    .option('host', { type: 'string', nargs: 1, describe: 'only servers on this host' })
    .check((args) => {
      const names = (args as SelectorArgs).names ?? [];
      if (names.length === 0 && !args.all && !allByDefault) return 'name at least one server, or use --all';
      if (names.length > 0 && args.all) return 'give server names or --all, not both';
      return true;
    });
}

export function toSelector(args: SelectorArgs): Selector {
  return {
    ...(args.names && args.names.length > 0 ? { names: args.names.map(String) } : {}),
    ...(args.all ? { all: true } : {}),
    ...(args.host ? { host: args.host } : {}),
  };
}

/** Built on first use, so `--help` never reads a file or loads the managers. */
export async function context(args: GlobalArgs, options: ContextOptions = {}): Promise<Context> {
  const { createContext } = await import('../context.js');
  return createContext(args, options);
}

/** `K=V` list -> map; a missing `=` is a usage error naming the item. */
export function keyValues(items: readonly string[] | undefined, flag: string): Record<string, string> | undefined {
  if (!items || items.length === 0) return undefined;
  const map: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new ValidationError(`--${flag} takes KEY=VALUE, got "${item}"`, 'USAGE');
    map[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return map;
}

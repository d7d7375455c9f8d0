/** `mcp remove`: unregister servers; `--purge` removes their containers too. */
import { createInterface } from 'node:readline/promises';
import type { CommandModule } from 'yargs';
import { MsmError, ValidationError } from '../../../errors.js';
import { exitCodeFor, toRecord } from '../results.js';
import { context, selectorOptions, toSelector, type SelectorArgs } from './shared.js';

interface RemoveArgs extends SelectorArgs {
  yes?: boolean;
  purge?: boolean;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

export const removeCommand: CommandModule<object, RemoveArgs> = {
  command: 'remove [names..]',
  aliases: ['rm'],
  describe: 'unregister servers (their containers are left alone unless --purge)',
  builder: (yargs) =>
    selectorOptions(yargs)
      .option('yes', { alias: 'y', type: 'boolean', describe: 'do not ask for confirmation (needed for --all without a terminal)' })
      .option('purge', { type: 'boolean', describe: 'also remove the containers (stopping them)' })
      .example('$0 remove github --yes --purge', 'unregister and delete the container')
      .example('$0 remove --all --yes', 'unregister every server') as never,
  handler: async (args) => {
    const ctx = await context(args);
    const entries = await ctx.manager.resolve(toSelector(args));
    if (!args.yes && entries.length > 0) {
      if (ctx.out.interactive) {
        const names = entries.map((entry) => entry.config.name).join(', ');
        const what = args.purge ? `Remove ${names} and their containers?` : `Unregister ${names}?`;
        if (!(await confirm(what))) throw new MsmError('aborted, nothing removed', 'ABORTED', 1);
      } else if (args.all) {
        // Nobody can be asked: emptying a whole registry must be said explicitly.
        throw new ValidationError(`remove --all unregisters ${entries.length} server${entries.length === 1 ? '' : 's'}; add --yes to confirm`, 'USAGE');
      }
    }
    const results = entries.length > 0 ? await ctx.manager.removeMany({ names: entries.map((entry) => entry.config.name) }, { purge: Boolean(args.purge) }) : [];
    const records = results.map((result) => ({ ...toRecord(result), action: result.ok ? 'removed' : null }));
    if (ctx.out.json) ctx.out.printJson(records);
    else
      for (const result of results) {
        if (result.ok) ctx.out.line(`${ctx.out.colors.green('✔')} removed ${ctx.out.colors.bold(result.name)}${args.purge ? ' and its container' : ''}`);
        else ctx.out.error(`${result.name}: ${result.error?.message} (still registered)`);
      }
    process.exitCode = exitCodeFor(results);
  },
};

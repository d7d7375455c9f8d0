/** `mcp remove`: unregister a server; `--purge` removes its container too. */
import { createInterface } from 'node:readline/promises';
import type { CommandModule } from 'yargs';
import { MsmError } from '../../../errors.js';
import { exitCodeFor, toRecord } from '../results.js';
import { context } from './shared.js';
import type { GlobalArgs } from '../context.js';

interface RemoveArgs extends GlobalArgs {
  name: string;
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
  command: 'remove <name>',
  aliases: ['rm'],
  describe: 'unregister a server (its container is left alone unless --purge)',
  builder: (yargs) =>
    yargs
      .positional('name', { type: 'string', demandOption: true })
      .option('yes', { alias: 'y', type: 'boolean', describe: 'do not ask for confirmation' })
      .option('purge', { type: 'boolean', describe: 'also remove the container (stopping it)' })
      .example('$0 remove github --yes --purge', 'unregister and delete the container') as never,
  handler: async (args) => {
    const ctx = await context(args);
    const name = String(args.name);
    // An unknown name fails here (exit 2) before anything is asked.
    const [entry] = await ctx.manager.resolve({ names: [name] });
    if (entry && ctx.out.interactive && !args.yes) {
      const what = args.purge ? `Remove server "${name}" and its container on ${entry.config.host}?` : `Unregister server "${name}"?`;
      if (!(await confirm(what))) throw new MsmError('aborted, nothing removed', 'ABORTED', 1);
    }
    const result = await ctx.manager.remove(name, { purge: Boolean(args.purge) });
    const record = { ...toRecord(result), action: result.ok ? 'removed' : null };
    if (ctx.out.json) ctx.out.printJson([record]);
    else if (result.ok) ctx.out.line(`${ctx.out.colors.green('✔')} removed ${ctx.out.colors.bold(name)}${args.purge ? ' and its container' : ''}`);
    else ctx.out.error(`${name}: ${result.error?.message} (still registered)`);
    process.exitCode = exitCodeFor([result]);
  },
};

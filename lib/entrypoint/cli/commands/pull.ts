/** `mcp pull`: pull each server's image on its own host, once per image per host. */
import type { CommandModule } from 'yargs';
import { pullRecord, runWithProgress } from '../results.js';
import { context, selectorOptions, toSelector, type SelectorArgs } from './shared.js';

export const pullCommand: CommandModule<object, SelectorArgs> = {
  command: 'pull [names..]',
  describe: "pull servers' images on the hosts they run on",
  builder: (yargs) =>
    selectorOptions(yargs)
      .example('$0 pull --all', 'every image on every host, hosts in parallel')
      .example('$0 start --all --pull', 'pull, then start') as never,
  handler: async (args) => {
    const ctx = await context(args);
    const selector = toSelector(args);
    await runWithProgress(ctx, selector, 'pull', () => ctx.manager.pull(selector), pullRecord);
  },
};

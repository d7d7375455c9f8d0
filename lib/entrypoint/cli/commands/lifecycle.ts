/** `mcp start`, `mcp stop`, `mcp restart`: the same selector, different verbs. */
import type { CommandModule } from 'yargs';
import { quoteArgv } from '../../../core/exec/shellQuote.js';
import { runLifecycle } from '../results.js';
import { context, selectorOptions, toSelector, type SelectorArgs } from './shared.js';

interface StartArgs extends SelectorArgs {
  dryRun?: boolean;
  recreate?: boolean;
}

export const startCommand: CommandModule<object, StartArgs> = {
  command: 'start [names..]',
  describe: 'start servers: run the container, start it if stopped, recreate it if the command changed',
  builder: (yargs) =>
    selectorOptions(yargs)
      .option('dry-run', { type: 'boolean', describe: 'print the docker command that would run (secrets redacted); run nothing' })
      .option('recreate', { type: 'boolean', describe: 'remove and run the container again even if unchanged' })
      .example('$0 start github', 'start one server')
      .example('$0 start --all', 'start every registered server')
      .example('$0 start github --dry-run --json', 'show the exact docker argv') as never,
  handler: async (args) => {
    const ctx = await context(args);
    const selector = toSelector(args);
    if (args.dryRun) {
      const plans = await ctx.manager.plan(selector);
      if (ctx.out.json) {
        ctx.out.printJson(plans.map((p) => (p.ok ? { name: p.name, host: p.host, argv: p.value?.argv } : { name: p.name, host: p.host, error: p.error?.message })));
      } else {
        for (const p of plans) ctx.out.line(p.ok ? `${p.name} @${p.host}: ${quoteArgv(p.value?.argv ?? [])}` : `${p.name} @${p.host}: ${ctx.out.colors.red(p.error?.message ?? '')}`);
      }
      process.exitCode = plans.every((p) => p.ok) ? 0 : plans.some((p) => p.ok) ? 3 : 1;
      return;
    }
    await runLifecycle(ctx, selector, 'start', () => ctx.manager.start(selector, { recreate: Boolean(args.recreate) }));
  },
};

export const stopCommand: CommandModule<object, SelectorArgs> = {
  command: 'stop [names..]',
  describe: 'stop servers (the containers are kept)',
  builder: (yargs) => selectorOptions(yargs).example('$0 stop --all', 'stop everything') as never,
  handler: async (args) => {
    const ctx = await context(args);
    const selector = toSelector(args);
    await runLifecycle(ctx, selector, 'stop', () => ctx.manager.stop(selector));
  },
};

export const restartCommand: CommandModule<object, SelectorArgs> = {
  command: 'restart [names..]',
  describe: 'restart servers (recreating any whose command changed)',
  builder: (yargs) => selectorOptions(yargs).example('$0 restart github', 'restart one server') as never,
  handler: async (args) => {
    const ctx = await context(args);
    const selector = toSelector(args);
    await runLifecycle(ctx, selector, 'restart', () => ctx.manager.restart(selector));
  },
};

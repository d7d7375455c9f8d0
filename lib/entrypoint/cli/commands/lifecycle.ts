/** `mcp start`, `mcp stop`, `mcp restart`: the same selector, different verbs. */
import type { Argv, CommandModule } from 'yargs';
import { quoteArgv } from '../../../core/exec/shellQuote.js';
import type { Outcome } from '../../../core/containerManager.js';
import type { TargetResult } from '../../../core/target.js';
import type { Context } from '../context.js';
import { exitCodeFor, runLifecycle } from '../results.js';
import { context, selectorOptions, toSelector, type SelectorArgs } from './shared.js';

interface StartArgs extends SelectorArgs {
  settle?: number;
  dryRun?: boolean;
  recreate?: boolean;
  wait?: boolean;
  timeout?: number;
  pull?: boolean;
  adopt?: boolean;
}

export const startCommand: CommandModule<object, StartArgs> = {
  command: 'start [names..]',
  describe: 'start servers: run the container, start it if stopped, recreate it if the command changed',
  builder: (yargs) =>
    waitOptions(selectorOptions(yargs))
      .option('dry-run', { type: 'boolean', describe: 'print the docker command that would run (secrets redacted); run nothing' })
      .option('recreate', { type: 'boolean', describe: 'remove and run the container again even if unchanged' })
      .option('pull', { type: 'boolean', describe: 'pull the images first (servers whose pull fails are not started)' })
      .option('adopt', { type: 'boolean', describe: "take over a container of the server's name that this registry does not own (it is recreated)" })
      .example('$0 start github', 'start one server')
      .example('$0 start --all', 'start every registered server')
      .example('$0 start github --dry-run --json', 'show the exact docker argv')
      .example('$0 start github --adopt', "take over a container another registry (or an older mcp) made")
      .example('$0 start --all --wait --timeout 120', 'for CI: fail unless everything is up and healthy') as never,
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
      process.exitCode = exitCodeFor(plans);
      return;
    }
    await runLifecycle(ctx, selector, 'start', async () => {
      const pulled = args.pull ? await ctx.manager.pull(selector) : [];
      const pullFailures = pulled.filter((result) => !result.ok);
      const toStart = args.pull ? { names: pulled.filter((result) => result.ok).map((result) => result.name) } : selector;
      const started = toStart.names?.length === 0 ? [] : await ctx.manager.start(toStart, { recreate: Boolean(args.recreate), adopt: Boolean(args.adopt), settleMs: settleMsOf(args), timeoutS: args.timeout });
      const results = [...started, ...pullFailures.map((result) => ({ ...result, value: { status: { status: 'unknown' as const } } }))];
      return args.wait ? waitForStarted(ctx, results, (args.timeout ?? 60) * 1000) : results;
    }, { finalOnly: Boolean(args.wait) });
  },
};

export const stopCommand: CommandModule<object, SelectorArgs & { timeout?: number }> = {
  command: 'stop [names..]',
  describe: 'stop servers (the containers are kept)',
  builder: (yargs) =>
    selectorOptions(yargs)
      .option('timeout', { type: 'number', describe: "seconds to wait at most (default: each container's stop timeout + 30)" })
      .example('$0 stop --all', 'stop everything')
      .example('$0 stop slow --timeout 20', 'give up waiting after 20 s (docker carries on stopping it)') as never,
  handler: async (args) => {
    const ctx = await context(args);
    const selector = toSelector(args);
    await runLifecycle(ctx, selector, 'stop', () => ctx.manager.stop(selector, { timeoutS: args.timeout }));
  },
};

export const restartCommand: CommandModule<object, StartArgs> = {
  command: 'restart [names..]',
  describe: 'restart servers (recreating any whose command changed)',
  builder: (yargs) => waitOptions(selectorOptions(yargs)).example('$0 restart github --wait', 'restart one server and wait until healthy') as never,
  handler: async (args) => {
    const ctx = await context(args);
    const selector = toSelector(args);
    await runLifecycle(ctx, selector, 'restart', async () => {
      const results = await ctx.manager.restart(selector, { settleMs: settleMsOf(args), timeoutS: args.timeout });
      return args.wait ? waitForStarted(ctx, results, (args.timeout ?? 60) * 1000) : results;
    }, { finalOnly: Boolean(args.wait) });
  },
};

function waitOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('settle', { type: 'number', describe: 'seconds a started container must keep running to count as started (default 2; 0: do not watch)' })
    .option('wait', { type: 'boolean', describe: 'return only when the servers run and pass their health check' })
    .option('timeout', {
      type: 'number',
      describe: 'seconds any one docker command may take (default: from what it does, e.g. 30 min for a create that pulls); with --wait, also how long to wait (default 60)',
    });
}

function settleMsOf(args: StartArgs): number | undefined {
  return args.settle === undefined ? undefined : Math.round(args.settle * 1000);
}

/** Fold readiness into the start results: a server that started but never got ready has failed. */
async function waitForStarted(ctx: Context, results: TargetResult<Outcome>[], timeoutMs: number): Promise<TargetResult<Outcome>[]> {
  const started = results.filter((result) => result.ok).map((result) => result.name);
  if (started.length === 0) return results;
  const ready = new Map((await ctx.manager.waitUntilReady(started, timeoutMs)).map((result) => [result.name, result]));
  return results.map((result) => {
    const verdict = ready.get(result.name);
    if (!verdict) return result;
    const status = verdict.value ?? result.value?.status ?? { status: 'unknown' as const };
    const value: Outcome = { ...result.value, status };
    return verdict.ok ? { ...result, value } : { ...result, ok: false, value, ...(verdict.error ? { error: verdict.error } : {}) };
  });
}

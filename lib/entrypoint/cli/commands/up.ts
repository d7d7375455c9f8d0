/** `mcp up`: converge servers to their desired state (what start/stop last asked, or auto_start). */
import type { CommandModule } from 'yargs';
import type { Outcome } from '../../../core/containerManager.js';
import type { TargetResult } from '../../../core/target.js';
import { exitCodeFor, runLifecycle, toRecord } from '../results.js';
import { context, selectorOptions, toSelector, type SelectorArgs } from './shared.js';

interface UpArgs extends SelectorArgs {
  dryRun?: boolean;
}

/** Actions that change nothing: a run made only of these had nothing to do. */
const UNCHANGED = new Set(['already running', 'already stopped', 'no desired state']);

export const upCommand: CommandModule<object, UpArgs> = {
  command: 'up [names..]',
  describe: 'bring servers to their desired state: run those last started (or auto_start), stop those last stopped',
  builder: (yargs) =>
    selectorOptions(yargs, { allByDefault: true })
      .option('dry-run', { type: 'boolean', describe: 'say what would be done; change nothing' })
      .example('$0 up', 'after a reboot or `docker rm -f`: bring back exactly what was running')
      .example('$0 up --host alpha --dry-run', 'what up would change on one host') as never,
  handler: async (args) => {
    const ctx = await context(args);
    const selector = toSelector({ ...args, all: args.all || !(args.names && args.names.length > 0) });
    if (args.dryRun) {
      const plans = await ctx.manager.planUp(selector);
      if (ctx.out.json) ctx.out.printJson(plans.map(toRecord));
      else {
        for (const plan of plans) ctx.out.line(plan.ok ? `${plan.name} @${plan.host}: ${describePlan(plan)}` : `${plan.name} @${plan.host}: ${ctx.out.colors.red(plan.error?.message ?? '')}`);
        if (plans.every((plan) => plan.ok && UNCHANGED.has(plan.value?.action ?? ''))) ctx.out.line('nothing to do');
      }
      process.exitCode = exitCodeFor(plans);
      return;
    }
    let results: TargetResult<Outcome>[] = [];
    await runLifecycle(ctx, selector, 'up', async () => {
      results = await ctx.manager.up(selector);
      return results;
    });
    if (results.every((result) => result.ok && UNCHANGED.has(result.value?.action ?? ''))) ctx.out.line('nothing to do: every server is as desired');
  },
};

function describePlan(plan: TargetResult<Outcome>): string {
  const action = plan.value?.action ?? '';
  return UNCHANGED.has(action) ? `${action} (nothing to do)` : `would be ${action}`;
}

/**
 * Per-server results of start/stop/restart/add/remove: the --json records, the human lines, the
 * progress display, and the exit code (0 all ok, 1 all failed, 3 some failed).
 */
import type { Outcome } from '../../core/containerManager.js';
import type { PullOutcome } from '../../core/imageManager.js';
import type { Selector } from '../../core/mcpServerManager.js';
import type { TargetResult } from '../../core/target.js';
import type { MCPServerStatus, ServerStatus } from '../../data/models.js';
import type { Context } from './context.js';
import { interruptible, INTERRUPTED_EXIT_CODE } from './interruption.js';

export interface ResultRecord {
  name: string;
  host: string;
  ok: boolean;
  action: string | null;
  status: ServerStatus | null;
  container_id?: string | null;
  error: string | null;
  [extra: string]: unknown;
}

export function pullRecord(result: TargetResult<PullOutcome>): ResultRecord {
  return {
    name: result.name,
    host: result.host,
    ok: result.ok,
    action: result.ok ? 'pulled' : null,
    status: null,
    image: result.value?.image ?? null,
    reference: result.value?.reference ?? null,
    error: result.error?.message ?? null,
  };
}

export function toRecord(result: TargetResult<Outcome>): ResultRecord {
  return {
    name: result.name,
    host: result.host,
    ok: result.ok,
    action: result.value?.action ?? null,
    status: result.value?.status.status ?? 'unknown',
    container_id: result.value?.status.container_info?.container_id ?? null,
    error: result.error?.message ?? null,
  };
}

export function exitCodeFor(results: readonly { ok: boolean }[]): number {
  const failed = results.filter((result) => !result.ok).length;
  if (failed === 0) return 0;
  return failed === results.length ? 1 : 3;
}

function humanLine(ctx: Context, record: ResultRecord): string {
  const { colors } = ctx.out;
  return `${record.ok ? colors.green('✔') : colors.red('✖')} ${describeRecord(ctx, record)}`;
}

/** "name @host  action  status", without the mark (listr2 draws its own). */
function describeRecord(ctx: Context, record: ResultRecord): string {
  const { colors } = ctx.out;
  const what = record.ok ? `${record.action ?? ''}${typeof record.reference === 'string' ? ` ${record.reference}` : ''}` : colors.red(record.error ?? 'failed');
  const status = record.status ? `  ${ctx.out.status(record.status)}` : '';
  return `${colors.bold(record.name)} ${colors.dim(`@${record.host}`)}  ${what}${status}`;
}

export function summaryLine(ctx: Context, records: readonly ResultRecord[]): string {
  const failed = records.filter((record) => !record.ok).length;
  const ok = records.length - failed;
  const { colors } = ctx.out;
  const parts = [`${ok} ok`];
  if (failed > 0) parts.push(colors.red(`${failed} failed`));
  return `${records.length} server${records.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/**
 * Run a lifecycle operation with progress: listr2 tasks (one per server) in a terminal, a plain
 * line per server as each host finishes otherwise, nothing but the final document with --json.
 * Sets the exit code; returns nothing.
 */
export async function runLifecycle(
  ctx: Context,
  selector: Selector,
  title: string,
  operation: () => Promise<TargetResult<Outcome>[]>,
  options: ProgressOptions = {},
): Promise<void> {
  return runWithProgress(ctx, selector, title, operation, toRecord, options);
}

export interface ProgressOptions {
  /**
   * Report each server only with its final result (start --wait: "started" is not yet a verdict,
   * and a ✔ followed later by a ✖ for the same server reads as two servers).
   */
  finalOnly?: boolean;
}

export async function runWithProgress<T>(
  ctx: Context,
  selector: Selector,
  title: string,
  operation: () => Promise<TargetResult<T>[]>,
  record: (result: TargetResult<T>) => ResultRecord,
  { finalOnly = false }: ProgressOptions = {},
): Promise<void> {
  const run = () => interruptible(ctx.interrupt, ctx.out, operation);
  let results: TargetResult<T>[];
  if (ctx.out.json) {
    results = await run();
    ctx.out.printJson(results.map(record));
    process.exitCode = ctx.interrupt.signal.aborted ? INTERRUPTED_EXIT_CODE : exitCodeFor(results);
    return;
  }
  // What the progress display has already said about each server, so that a later verdict (e.g.
  // --wait finding it unhealthy) is still printed, and nothing is printed twice.
  const shown = new Map<string, boolean>();
  if (ctx.out.interactive) {
    results = await withListr(ctx, selector, title, run, shown, record, finalOnly);
  } else if (finalOnly) {
    results = await run();
  } else {
    ctx.onHostDone = (_host, hostResults) => {
      for (const result of hostResults) {
        shown.set(result.name, result.ok);
        ctx.out.line(humanLine(ctx, record(result as TargetResult<T>)));
      }
    };
    results = await run();
  }
  for (const result of results) {
    if (shown.get(result.name) !== result.ok) ctx.out.line(humanLine(ctx, record(result)));
  }
  ctx.out.line(summaryLine(ctx, results.map(record)));
  process.exitCode = exitCodeFor(results);
  if (ctx.interrupt.signal.aborted) {
    for (const line of interruptedLines(title, results.map(record), results)) ctx.out.line(line);
    process.exitCode = INTERRUPTED_EXIT_CODE;
  }
}

const PAST_TENSE: Record<string, string> = { start: 'started', stop: 'stopped', restart: 'restarted', pull: 'pulled' };

/**
 * After an interrupt, the two groups a user needs: what was done (its docker command ran, even if
 * it finished after the signal) and what was never begun. Other failures are on their own lines.
 */
function interruptedLines(title: string, records: readonly ResultRecord[], results: readonly TargetResult[]): string[] {
  const verb = PAST_TENSE[title] ?? `${title} done`;
  const done = records.filter((r) => r.action !== null).map((r) => r.name);
  const notBegun = results.filter((r, i) => r.error?.code === 'INTERRUPTED' && records[i]?.action === null).map((r) => r.name);
  return [`interrupted:`, `${verb}: ${done.join(', ') || '(none)'}`, `not ${verb}: ${notBegun.join(', ') || '(none)'}`];
}

async function withListr<T>(
  ctx: Context,
  selector: Selector,
  title: string,
  operation: () => Promise<TargetResult<T>[]>,
  shown: Map<string, boolean>,
  record: (result: TargetResult<T>) => ResultRecord,
  finalOnly: boolean,
): Promise<TargetResult<T>[]> {
  const entries = await ctx.manager.resolve(selector);
  const { Listr } = await import('listr2');
  const waiting = new Map<string, (result: TargetResult<T>) => void>();
  const done = new Map(
    entries.map((entry) => [entry.config.name, new Promise<TargetResult<T>>((resolve) => waiting.set(entry.config.name, resolve))]),
  );
  // A task ends with the first result given for its server; what it showed is remembered so that
  // a different final verdict is still printed after the tasks.
  const settle = (hostResults: readonly TargetResult[]) => {
    for (const result of hostResults) {
      if (shown.has(result.name)) continue;
      shown.set(result.name, result.ok);
      waiting.get(result.name)?.(result as TargetResult<T>);
    }
  };
  if (!finalOnly) ctx.onHostDone = (_host, hostResults) => settle(hostResults);
  const tasks = new Listr(
    entries.map((entry) => ({
      title: `${title} ${entry.config.name} @${entry.config.host}`,
      task: async (_: unknown, task: { title: string }) => {
        const result = await done.get(entry.config.name);
        if (!result?.ok) throw new Error(`${entry.config.name} @${entry.config.host}: ${result?.error?.message ?? 'failed'}`);
        task.title = describeRecord(ctx, record(result));
      },
    })),
    // No signal listeners of its own: listr2 would exit on Ctrl-C before in-flight work is reported.
    { concurrent: true, exitOnError: false, collectErrors: false, registerSignalListeners: false, rendererOptions: { collapseErrors: false } },
  );
  const running = operation()
    .then((results) => {
      settle(results);
      return results;
    })
    .catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      for (const entry of entries) {
        waiting.get(entry.config.name)?.({ name: entry.config.name, host: entry.config.host, ok: false, error: { message, code: 'ERROR' } });
      }
      throw err;
    });
  const [results] = await Promise.all([running, tasks.run().catch(() => undefined)]);
  return results;
}

/** Whether what runs is not what start/stop last asked for (or auto_start): what `list` flags. */
export function differsFromDesired(status: MCPServerStatus): boolean {
  if (!status.desired || status.status === 'unknown') return false;
  return status.desired === 'running' ? status.status !== 'running' : status.status === 'running';
}

/** `mcp log`: a server's container output, both streams, in order. */
import type { CommandModule } from 'yargs';
import { ValidationError } from '../../../errors.js';
import { isSinceValue } from '../../../data/since.js';
import type { LogLine } from '../../../core/docker/parseLogs.js';
import type { Target } from '../../../core/target.js';
import { untilSignalled } from '../interruption.js';
import { exitCodeFor } from '../results.js';
import { OutputFile } from '../outputFile.js';
import { context, selectorOptions, toSelector, type SelectorArgs } from './shared.js';

interface LogArgs extends SelectorArgs {
  tail?: number | 'all';
  follow?: boolean;
  since?: string;
  timestamps?: boolean;
  grep?: string;
  errors?: boolean;
  output?: string;
}

export const logCommand: CommandModule<object, LogArgs> = {
  command: 'log [names..]',
  aliases: ['logs'],
  describe: "show a server's output (stdout and stderr)",
  builder: (yargs) =>
    selectorOptions(yargs)
      .option('tail', { alias: 'n', type: 'string', coerce: parseTail, describe: 'last N lines, or all (default 100; 0 for none before following)' })
      .option('follow', { alias: 'f', type: 'boolean', describe: 'keep printing new lines until Ctrl-C' })
      .option('since', { type: 'string', describe: 'only lines since a time (2026-01-02T10:00:00) or duration (10m, 2h)' })
      .option('timestamps', { alias: 't', type: 'boolean', describe: 'prefix each line with its time' })
      .option('grep', { type: 'string', describe: 'only lines containing this text' })
      .option('errors', { type: 'boolean', describe: 'only stderr lines and lines that look like errors' })
      .option('output', { alias: 'o', type: 'string', describe: 'write the lines to this file instead of stdout' })
      .example('$0 log github --tail 50', 'the last 50 lines')
      .example('$0 log github -f --grep tool', 'follow, only lines mentioning "tool"')
      .example('$0 log --all', 'the recent lines of every server, each prefixed with host/name')
      .example('$0 log --all -f', 'follow every server, each line prefixed with host/name')
      .example('$0 log github -f --json', 'one JSON object per line: time, host, name, stream, line') as never,
  handler: async (args) => {
    if (args.since !== undefined && !isSinceValue(args.since)) {
      throw new ValidationError(`--since "${args.since}": use a duration (10m, 1h30m) or a time (2026-01-02T10:00:00, a Unix timestamp)`, 'USAGE');
    }
    const ctx = await context(args);
    const selector = toSelector(args);
    const targets = await ctx.manager.resolve(selector);
    const several = targets.length > 1;
    const query = {
      tail: args.tail ?? 100,
      ...(args.since ? { since: args.since } : {}),
      ...(args.grep !== undefined ? { grep: String(args.grep) } : {}),
      ...(args.errors ? { errorsOnly: true } : {}),
    };
    const file = args.output ? await OutputFile.open(args.output) : undefined;
    let succeeded = false;
    const format = (line: LogLine, prefix = '') => `${prefix}${args.timestamps && line.time ? `${line.time} ${line.text}` : line.text}`;
    const emit = (line: LogLine, prefix = '') => {
      // Both streams go to one place, in the order the container wrote them, so a pipe sees all.
      (file ?? process.stdout).write(`${format(line, prefix)}\n`);
    };
    try {
      if (args.follow) {
        await untilSignalled(['SIGINT', 'SIGTERM'], async (stopped) => {
          // With --json, one object per line as it arrives (NDJSON): a stream has no single document.
          const onLine = ctx.out.json
            ? (target: Target, line: LogLine) => (file ?? process.stdout).write(`${JSON.stringify({ time: line.time, host: target.host, name: target.name, stream: line.stream, line: line.text })}\n`)
            : (target: Target, line: LogLine) => emit(line, several ? `${target.host}/${target.name} | ` : '');
          const onReattach = (target: Target, id: string) => ctx.out.debug(`${target.host}/${target.name}: following the new container ${id.slice(0, 12)}`);
          const results = await ctx.manager.followLogs(selector, query, onLine, stopped, onReattach);
          for (const failed of results.filter((r) => !r.ok)) ctx.out.error(`${failed.host}/${failed.name}: ${failed.error?.message}`);
          process.exitCode = exitCodeFor(results);
          succeeded = process.exitCode !== 1;
        });
        return;
      }
      const results = await ctx.manager.recentLogs(selector, query);
      if (ctx.out.json) {
        const documents = results.map((result) => ({ name: result.name, host: result.host, ok: result.ok, lines: result.value ?? [], error: result.error?.message ?? null }));
        // One server gives one document; several (or --all) an array of them.
        const doc = several || args.all ? documents : documents[0];
        if (file) file.write(`${JSON.stringify(doc, null, 2)}\n`);
        else ctx.out.printJson(doc);
      } else {
        for (const result of results) {
          if (!result.ok) ctx.out.error(`${result.host}/${result.name}: ${result.error?.message}`);
          for (const line of result.value ?? []) emit(line, several ? `${result.host}/${result.name} | ` : '');
        }
      }
      process.exitCode = exitCodeFor(results);
      succeeded = process.exitCode !== 1;
    } finally {
      await file?.close(succeeded);
    }
  },
};

/** `--tail`: a whole number of lines or "all" (the last one given wins). */
function parseTail(value: string | string[]): number | 'all' {
  const given = String(Array.isArray(value) ? value[value.length - 1] : value);
  if (given === 'all') return 'all';
  if (/^\d+$/.test(given)) return Number(given);
  throw new ValidationError(`--tail takes a whole number of at least 0 or "all", not "${given}"`, 'USAGE');
}

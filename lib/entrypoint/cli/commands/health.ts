/** `mcp health`: run the configured health checks; exit 0 only when every checked server is healthy. */
import type { CommandModule } from 'yargs';
import { exitCodeFor } from '../results.js';
import { context, selectorOptions, toSelector, type SelectorArgs } from './shared.js';

export const healthCommand: CommandModule<object, SelectorArgs> = {
  command: 'health [names..]',
  describe: 'check servers: MCP initialize + tools/list, HTTP GET or TCP connect, as registered',
  builder: (yargs) =>
    selectorOptions(yargs)
      .example('$0 health --all', 'check every server')
      .example('$0 health github --json', 'latency, server name/version and tool count') as never,
  handler: async (args) => {
    const ctx = await context(args);
    const results = await ctx.manager.health(toSelector(args));
    if (ctx.out.json) {
      ctx.out.printJson(results.map((r) => ({ name: r.name, host: r.host, ok: r.ok, ...r.value })));
    } else {
      const { colors } = ctx.out;
      ctx.out.table(
        ['NAME', 'HOST', 'HEALTH', 'LATENCY', 'SERVER', 'TOOLS', 'DETAIL'],
        results.map(({ name, host, value }) => [
          name,
          host,
          value?.status === 'healthy' ? colors.green('healthy') : value?.status === 'unchecked' ? colors.dim('unchecked') : colors.red(value?.status ?? 'unhealthy'),
          value?.latency_ms !== undefined ? `${Math.round(value.latency_ms)} ms` : '',
          [value?.server_name, value?.server_version].filter(Boolean).join(' '),
          value?.tool_count?.toString() ?? '',
          value?.error ?? value?.target ?? '',
        ]),
      );
    }
    const checked = results.filter((r) => r.value?.status !== 'unchecked');
    if (checked.length === 0) {
      ctx.out.warn('none of these servers has a health check (register one with --port P --health mcp)');
      process.exitCode = 1;
    } else {
      process.exitCode = exitCodeFor(checked);
    }
  },
};

/** `mcp list`: every registered server with its live status. */
import type { CommandModule } from 'yargs';
import { formatBytes, formatPort } from '../output.js';
import { differsFromDesired, exitCodeFor } from '../results.js';
import { context } from './shared.js';
import type { GlobalArgs } from '../context.js';

interface ListArgs extends GlobalArgs {
  host?: string;
  wide?: boolean;
  stats?: boolean;
}

export const listCommand: CommandModule<object, ListArgs> = {
  command: 'list',
  aliases: ['ls'],
  describe: 'list registered servers with their live status',
  builder: (yargs) =>
    yargs
      .option('host', { type: 'string', describe: 'only servers on this host' })
      .option('wide', { type: 'boolean', describe: 'more columns (container id, image)' })
      .option('stats', { type: 'boolean', describe: 'add CPU and memory (one docker stats sample per host, about 2 s)' })
      .example('$0 list', 'table of all servers')
      .example('$0 list --json | jq -r \'.[] | select(.status.status != "running") | .config.name\'', 'names of servers that are down') as never,
  handler: async (args) => {
    const ctx = await context(args);
    const servers = await ctx.manager.list(args.host ? { all: true, host: args.host } : { all: true }, { stats: Boolean(args.stats) });
    // Servers whose host could not be asked count as failed targets (exit 3, or 1 if all).
    process.exitCode = exitCodeFor(servers.map((server) => ({ ok: server.status?.status !== 'unknown' })));
    if (ctx.out.json) {
      ctx.out.printJson(servers);
      return;
    }
    if (servers.length === 0) {
      ctx.out.line(`no servers registered in ${ctx.registry.file} (add one with \`mcp add <name> --command "docker run ..."\`)`);
      return;
    }
    const headers = ['NAME', 'HOST', 'STATUS', 'STATE', 'UPTIME', 'PORTS'];
    if (args.stats) headers.push('CPU', 'MEM', 'PIDS');
    if (args.wide) headers.push('CONTAINER', 'IMAGE');
    const rows = servers.map(({ config, status }) => {
      const info = status?.container_info;
      const ports = (info?.ports ?? []).filter((p) => p.host_port).map(formatPort);
      const want = status && differsFromDesired(status) ? ctx.out.colors.yellow(` (want ${status.desired})`) : '';
      const row = [
        config.name,
        config.host,
        ctx.out.status(status?.status) + (status?.drift ? ctx.out.colors.yellow('*') : ''),
        (status?.status === 'unknown' ? ctx.out.colors.yellow(status.state ?? 'unknown') : (status?.state ?? '')) + want,
        status?.uptime ?? '',
        ports.join(','),
      ];
      const usage = status?.resource_usage;
      if (args.stats) row.push(usage ? `${usage.cpu_usage.toFixed(1)}%` : '', usage ? formatBytes(usage.memory_usage) : '', usage?.pids?.toString() ?? '');
      if (args.wide) row.push(info?.container_id.slice(0, 12) ?? '', info?.image ?? '');
      return row;
    });
    ctx.out.table(headers, rows);
    // Why a status is unknown, once per reason under the table, naming the servers it applies to
    // (an unreachable host fails all of its servers with one reason; a bad command only its own).
    const reasons = new Map<string, string[]>();
    for (const { config, status } of servers) {
      if (status?.status === 'unknown' && status.error) reasons.set(status.error, [...(reasons.get(status.error) ?? []), config.name]);
    }
    for (const [reason, names] of reasons) ctx.out.line(ctx.out.colors.yellow(`! ${names.join(', ')}: ${reason}`));
    if (servers.some((s) => s.status?.drift)) ctx.out.line(ctx.out.colors.dim('* running an older command; `mcp start <name>` recreates it'));
    if (servers.some((s) => s.status && differsFromDesired(s.status))) ctx.out.line(ctx.out.colors.dim('(want ...): not as the last start/stop asked; `mcp up` converges'));
  },
};

/** `mcp list`: every registered server with its live status. */
import type { CommandModule } from 'yargs';
import { formatBytes } from '../output.js';
import { exitCodeFor } from '../results.js';
import { context } from './shared.js';
import type { GlobalArgs } from '../context.js';

interface ListArgs extends GlobalArgs {
  host?: string;
  wide?: boolean;
  stats?: boolean;
}

export const listCommand: CommandModule<object, ListArgs> = {
  command: 'list',
  aliases: ['ls', 'ps', 'status'],
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
      const ports = (info?.ports ?? []).filter((p) => p.host_port).map((p) => `${p.host_ip ? `${p.host_ip}:` : ''}${p.host_port}->${p.container_port}`);
      const row = [
        config.name,
        config.host,
        ctx.out.status(status?.status) + (status?.drift ? ctx.out.colors.yellow('*') : ''),
        status?.status === 'unknown' ? ctx.out.colors.yellow('host unreachable') : (status?.state ?? ''),
        status?.uptime ?? '',
        ports.join(','),
      ];
      const usage = status?.resource_usage;
      if (args.stats) row.push(usage ? `${usage.cpu_usage.toFixed(1)}%` : '', usage ? formatBytes(usage.memory_usage) : '', usage?.pids?.toString() ?? '');
      if (args.wide) row.push(info?.container_id.slice(0, 12) ?? '', info?.image ?? '');
      return row;
    });
    ctx.out.table(headers, rows);
    // Why hosts could not be asked: once per host, under the table, not in every row.
    const reasons = new Map<string, string>();
    for (const { config, status } of servers) if (status?.status === 'unknown' && status.error) reasons.set(config.host, status.error);
    for (const reason of reasons.values()) ctx.out.line(ctx.out.colors.yellow(`! ${reason}`));
    if (servers.some((s) => s.status?.drift)) ctx.out.line(ctx.out.colors.dim('* running an older command; `mcp start <name>` recreates it'));
  },
};

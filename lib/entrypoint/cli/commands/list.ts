/** `mcp list`: every registered server with its live status. */
import type { CommandModule } from 'yargs';
import type { MCPServerData, MCPServerStatus } from '../../../data/models.js';
import { formatBytes, formatPort } from '../output.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { untilSignalled } from '../interruption.js';
import { differsFromDesired, exitCodeFor } from '../results.js';
import { context } from './shared.js';
import type { Context, GlobalArgs } from '../context.js';

interface ListArgs extends GlobalArgs {
  host?: string;
  wide?: boolean;
  stats?: boolean;
  health?: boolean;
  watch?: boolean;
  interval?: number;
}

export const listCommand: CommandModule<object, ListArgs> = {
  command: 'list',
  aliases: ['ls', 'ps', 'status'],
  describe: 'list registered servers with their live status',
  builder: (yargs) =>
    yargs
      .option('host', { type: 'string', describe: 'only servers on this host' })
      .option('wide', { type: 'boolean', describe: 'more columns (container id, image, how to reach the server over MCP)' })
      .option('stats', { type: 'boolean', describe: 'add CPU and memory (one docker stats sample per host, about 2 s)' })
      .option('health', { type: 'boolean', describe: "run each server's health check for the HEALTH column (else docker's HEALTHCHECK verdict)" })
      .option('watch', { alias: 'w', type: 'boolean', describe: 'refresh until Ctrl-C (in place at a terminal)' })
      .option('interval', { type: 'number', describe: 'seconds between refreshes with --watch (default 2)' })
      .check((args) => {
        if (args.watch && args.json) return '--watch redraws a table for people; for scripts run `mcp list --json` in a loop';
        if (args.interval !== undefined && !args.watch) return '--interval only applies with --watch';
        return true;
      })
      .example('$0 list', 'table of all servers')
      .example('$0 list --watch --health', 'a live view, health checks included')
      .example('$0 list --json | jq -r \'.[]|select(.status.status!="running").config.name\'', 'names of servers that are down') as never,
  handler: async (args) => {
    const ctx = await context(args, { reuseConnections: Boolean(args.watch) });
    const selector = args.host ? { all: true, host: args.host } : { all: true };
    const observe = () => ctx.manager.list(selector, { stats: Boolean(args.stats), health: Boolean(args.health) });
    if (args.watch) {
      try {
        await watch(ctx, args, observe);
      } finally {
        await ctx.close();
      }
      return;
    }
    const servers = await observe();
    // Servers whose host could not be asked count as failed targets (exit 3, or 1 if all).
    process.exitCode = exitCodeFor(servers.map((server) => ({ ok: server.status?.status !== 'unknown' })));
    if (ctx.out.json) ctx.out.printJson(servers);
    else render(ctx, args, servers);
  },
};

/** Observe and redraw every interval until Ctrl-C; at a terminal the table is redrawn in place. */
async function watch(ctx: Context, args: ListArgs, observe: () => Promise<MCPServerData[]>): Promise<void> {
  const inPlace = Boolean(process.stdout.isTTY);
  await untilSignalled(['SIGINT', 'SIGTERM'], async (stopped) => {
    while (!stopped.aborted) {
      const servers = await observe();
      // Home and clear below: the new table replaces the old one instead of scrolling.
      if (inPlace) process.stdout.write('\u001b[H\u001b[J');
      else ctx.out.line(ctx.out.colors.dim(`-- ${new Date().toISOString()}`));
      render(ctx, args, servers);
      if (inPlace) ctx.out.line(ctx.out.colors.dim(`every ${args.interval ?? 2}s, Ctrl-C to stop`));
      // Cut short by the signal (an AbortError, which only means: stop now).
      await sleep((args.interval ?? 2) * 1000, undefined, { signal: stopped }).catch(() => undefined);
    }
  });
  process.exitCode = 0;
}

/** healthy / unhealthy from the configured check when run, else docker's HEALTHCHECK verdict, else –. */
function healthOf(status: MCPServerStatus | undefined): string {
  const checked = status?.health?.status;
  if (checked && checked !== 'unchecked') return checked;
  return status?.health_status ?? '–';
}

function render(ctx: Context, args: ListArgs, servers: readonly MCPServerData[]): void {
  const { colors } = ctx.out;
  if (servers.length === 0) {
    ctx.out.line(`no servers registered in ${ctx.registry.file} (add one with \`mcp add <name> --command "docker run ..."\`)`);
    return;
  }
  const headers = ['NAME', 'HOST', 'STATUS', 'STATE', 'HEALTH', 'UPTIME', 'PORTS'];
  if (args.stats) headers.push('CPU', 'MEM', 'PIDS');
  if (args.wide) headers.push('CONTAINER', 'IMAGE', 'MCP');
  const rows = servers.map(({ config, status }) => {
    const info = status?.container_info;
    const ports = (info?.ports ?? []).filter((p) => p.host_port).map(formatPort);
    const want = status && differsFromDesired(status) ? colors.yellow(` (want ${status.desired})`) : '';
    const health = healthOf(status);
    const row = [
      config.name,
      config.host,
      ctx.out.status(status?.status) + (status?.drift ? colors.yellow('*') : ''),
      // STATE only where it says more than STATUS (exited (1), absent, restarting, ...).
      (status?.status === 'unknown' ? colors.yellow(status.state ?? 'unknown') : status?.state === status?.status ? '' : (status?.state ?? '')) + want,
      health === 'healthy' ? colors.green(health) : health === 'unhealthy' ? colors.red(health) : colors.dim(health),
      status?.uptime ?? '',
      ports.join(','),
    ];
    const usage = status?.resource_usage;
    if (args.stats) row.push(usage ? `${usage.cpu_usage.toFixed(1)}%` : '', usage ? formatBytes(usage.memory_usage) : '', usage?.pids?.toString() ?? '');
    if (args.wide) row.push(info?.container_id.slice(0, 12) ?? '', info?.image ?? '', status?.endpoint?.gateway_url ?? status?.endpoint?.connect ?? '');
    return row;
  });
  ctx.out.table(headers, rows);
  // Why a status is unknown, once per reason under the table, naming the servers it applies to
  // (an unreachable host fails all of its servers with one reason; a bad command only its own).
  const reasons = new Map<string, string[]>();
  for (const { config, status } of servers) {
    if (status?.status === 'unknown' && status.error) reasons.set(status.error, [...(reasons.get(status.error) ?? []), config.name]);
  }
  for (const [reason, names] of reasons) ctx.out.line(colors.yellow(`! ${names.join(', ')}: ${reason}`));
  if (servers.some((s) => s.status?.drift)) ctx.out.line(colors.dim('* running an older command; `mcp start <name>` recreates it'));
  if (servers.some((s) => s.status && differsFromDesired(s.status))) ctx.out.line(colors.dim('(want ...): not as the last start/stop asked; `mcp up` converges'));
}

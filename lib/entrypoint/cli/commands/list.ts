/** `mcp list`: every registered server with its live status. */
import type { CommandModule } from 'yargs';
import { context } from './shared.js';
import type { GlobalArgs } from '../context.js';

interface ListArgs extends GlobalArgs {
  host?: string;
  wide?: boolean;
}

export const listCommand: CommandModule<object, ListArgs> = {
  command: 'list',
  aliases: ['ls'],
  describe: 'list registered servers with their live status',
  builder: (yargs) =>
    yargs
      .option('host', { type: 'string', describe: 'only servers on this host' })
      .option('wide', { type: 'boolean', describe: 'more columns (container id, image, command)' })
      .example('$0 list', 'table of all servers')
      .example('$0 list --json | jq -r \'.[] | select(.status.status != "running") | .config.name\'', 'names of servers that are down') as never,
  handler: async (args) => {
    const ctx = await context(args);
    const servers = await ctx.manager.list(args.host ? { all: true, host: args.host } : { all: true });
    if (ctx.out.json) {
      ctx.out.printJson(servers);
      return;
    }
    if (servers.length === 0) {
      ctx.out.line(`no servers registered in ${ctx.registry.file} (add one with \`mcp add <name> --command "docker run ..."\`)`);
      return;
    }
    const headers = ['NAME', 'HOST', 'STATUS', 'STATE', 'UPTIME', 'PORTS'];
    if (args.wide) headers.push('CONTAINER', 'IMAGE');
    const rows = servers.map(({ config, status }) => {
      const info = status?.container_info;
      const ports = (info?.ports ?? []).filter((p) => p.host_port).map((p) => `${p.host_ip ? `${p.host_ip}:` : ''}${p.host_port}->${p.container_port}`);
      const row = [
        config.name,
        config.host,
        ctx.out.status(status?.status) + (status?.drift ? ctx.out.colors.yellow('*') : ''),
        status?.error && status.status === 'unknown' ? ctx.out.colors.yellow(status.error) : (status?.state ?? ''),
        status?.uptime ?? '',
        ports.join(','),
      ];
      if (args.wide) row.push(info?.container_id.slice(0, 12) ?? '', info?.image ?? '');
      return row;
    });
    ctx.out.table(headers, rows);
    if (servers.some((s) => s.status?.drift)) ctx.out.line(ctx.out.colors.dim('* running an older command; `mcp start <name>` recreates it'));
  },
};

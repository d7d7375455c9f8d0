/** `mcp get`: one server's config, live status, resources, health and last log lines. */
import type { CommandModule } from 'yargs';
import type { MCPServerData } from '../../../data/models.js';
import { formatBytes, formatPort, type Output } from '../output.js';
import { differsFromDesired, exitCodeFor } from '../results.js';
import { context } from './shared.js';
import type { GlobalArgs } from '../context.js';

interface GetArgs extends GlobalArgs {
  names: string[];
  lines?: number;
}

export const getCommand: CommandModule<object, GetArgs> = {
  command: 'get <names..>',
  describe: 'show servers: config, live status, resources, health and recent logs',
  builder: (yargs) =>
    yargs
      .positional('names', { type: 'string', array: true, demandOption: true, describe: 'server names' })
      .option('lines', { type: 'number', default: 20, describe: 'how many recent log lines to include (default 20)' })
      .example('$0 get github --json | jq .status.status', 'the live status for a script')
      .example('$0 get github fetch --json', 'several servers: an array of the same documents') as never,
  handler: async (args) => {
    const ctx = await context(args);
    const names = args.names.map(String);
    const servers = await ctx.manager.getMany(names, { logLines: args.lines ?? 20 });
    // One name gives one document (as it always has); several give an array of them.
    if (ctx.out.json) ctx.out.printJson(names.length === 1 ? servers[0] : servers);
    else
      servers.forEach((data, index) => {
        if (index > 0) ctx.out.line();
        renderServer(ctx.out, data);
      });
    process.exitCode = exitCodeFor(servers.map((data) => ({ ok: data.status?.status !== 'unknown' })));
  },
};

function renderServer(out: Output, { config, status }: MCPServerData): void {
  const { colors } = out;
  const row = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== '') out.line(`${colors.dim(key.padEnd(12))} ${value}`);
  };
  out.line(colors.bold(config.name));
  row('host', config.host);
  row('status', `${out.status(status?.status)}${status?.state ? colors.dim(` (${status.state})`) : ''}`);
  if (status?.desired && differsFromDesired(status)) row('desired', colors.yellow(`${status.desired} (\`mcp up ${config.name}\` converges)`));
  if (status?.drift) row('drift', colors.yellow('the container runs an older command; `mcp start` recreates it'));
  row('error', status?.error ? colors.red(status.error) : undefined);
  row('uptime', status?.uptime);
  const endpoint = status?.endpoint;
  if (endpoint) row('mcp', [`${endpoint.transport}: ${endpoint.connect}`, endpoint.gateway_url].filter(Boolean).join(colors.dim(' | ')));
  if (status?.exit_code !== undefined) {
    const when = status.finished_at ? ` at ${status.finished_at}` : '';
    row('last exit', `code ${status.exit_code}${when}${status.oom_killed ? colors.red(' (OOM-killed)') : ''}`);
  }
  if (status?.restart_count) row('restarts', String(status.restart_count));
  row('docker error', status?.docker_error ? colors.red(status.docker_error) : undefined);
  const health = status?.health;
  if (health && health.status !== 'unchecked') {
    const colour = health.status === 'healthy' ? colors.green : colors.red;
    const details = [
      health.latency_ms !== undefined ? `${Math.round(health.latency_ms)} ms` : '',
      [health.server_name, health.server_version].filter(Boolean).join(' '),
      health.tool_count !== undefined ? `${health.tool_count} tools` : '',
      health.error ?? '',
    ].filter(Boolean);
    row('health', `${colour(health.status)} ${colors.dim(details.join(', '))}`);
  } else {
    row('health', status?.health_status);
  }
  const info = status?.container_info;
  if (info) {
    row('container', `${info.container_name} ${colors.dim(info.container_id.slice(0, 12))}`);
    row('image', info.image);
    row('ports', info.ports.map(formatPort).join(', '));
    row('mounts', info.mounts.map((m) => `${m.source ?? ''}:${m.destination}${m.read_only ? ':ro' : ''}`).join(', '));
  }
  const usage = status?.resource_usage;
  if (usage) row('resources', `cpu ${usage.cpu_usage.toFixed(1)}%  mem ${formatBytes(usage.memory_usage)}${usage.pids !== undefined ? `  pids ${usage.pids}` : ''}`);
  row('port', config.port?.toString());
  row('description', config.description);
  row('command', config.docker_command);
  const logs = status?.container_logs?.logs ?? [];
  if (logs.length > 0) {
    out.line(colors.dim(`-- last ${logs.length} log lines --`));
    for (const line of logs) out.line(line);
  }
}

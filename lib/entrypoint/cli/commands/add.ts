/** `mcp add`: register a server (validated; nothing is stored when anything is wrong). */
import net from 'node:net';
import type { CommandModule } from 'yargs';
import { LOCALHOST } from '../../../data/models.js';
import { runLifecycle, type ResultRecord } from '../results.js';
import { parseHealthFlag } from '../../../core/health.js';
import type { HealthCheck } from '../../../data/models.js';
import { context, keyValues } from './shared.js';
import type { Context, GlobalArgs } from '../context.js';

interface AddArgs extends GlobalArgs {
  name: string;
  command: string;
  host?: string;
  port?: number;
  description?: string;
  env?: string[];
  volume?: string[];
  network?: string[];
  label?: string[];
  restartPolicy?: string;
  health?: string;
  stdioSessions?: 'shared' | 'per-session';
  autoStart?: boolean;
  start?: boolean;
}

export const addCommand: CommandModule<object, AddArgs> = {
  command: 'add <name>',
  describe: 'register a server from its `docker run` command',
  builder: (yargs) =>
    yargs
      .positional('name', { type: 'string', demandOption: true, describe: 'server name (also the container name unless the command has --name)' })
      .option('command', { alias: 'c', type: 'string', nargs: 1, demandOption: true, describe: 'the docker run command, as in the server\'s README; quote it' })
      .option('host', { type: 'string', nargs: 1, default: LOCALHOST, describe: 'where it runs: localhost (the default), a hosts.yaml alias, or an address' })
      .option('port', { type: 'number', describe: 'host port the server listens on (for health checks)' })
      .option('health', { type: 'string', describe: 'health check: mcp[:/path] (default with --port, and for a stdio command: -i, no --port), http:/path, tcp, none' })
      .option('stdio-sessions', {
        choices: ['shared', 'per-session'] as const,
        describe: 'stdio servers through `mcp serve`: one container shared by all MCP sessions (ids rewritten), or a fresh container per session (for servers that keep per-client state)',
      })
      .option('description', { type: 'string', describe: 'free text shown by get' })
      .option('env', { alias: 'e', type: 'string', array: true, describe: 'extra environment KEY=VALUE ($VAR references allowed)' })
      .option('volume', { alias: 'v', type: 'string', array: true, describe: 'extra volume (as docker -v)' })
      .option('network', { type: 'string', array: true, describe: 'extra network to join' })
      .option('label', { type: 'string', array: true, describe: 'extra container label KEY=VALUE' })
      .option('restart-policy', { type: 'string', describe: 'no | always | unless-stopped | on-failure[:N] (default: no)' })
      .option('auto-start', { type: 'boolean', describe: 'the server should run: `mcp up` starts it until a `mcp stop` says otherwise (stored as auto_start)' })
      .option('start', { type: 'boolean', describe: 'start it right away' })
      .example(`$0 add fetch --command "docker run -i --rm mcp/fetch"`, 'a stdio server from Docker Hub (health: MCP over docker attach)')
      .example(`$0 add memory -c "docker run -i mcp/memory" --stdio-sessions per-session`, 'a stdio server that keeps per-client state')
      .example(`$0 add gh -c 'docker run -i --rm -e GITHUB_TOKEN=$TOKEN mcp/github'`, 'a token read from the environment or .env at start time') as never,
  handler: async (args) => {
    const ctx = await context(args);
    const entry = await ctx.manager.add({
      name: String(args.name),
      command: args.command,
      host: args.host,
      port: args.port,
      description: args.description,
      environment: keyValues(args.env, 'env'),
      volumes: args.volume,
      networks: args.network,
      labels: keyValues(args.label, 'label'),
      restart_policy: args.restartPolicy,
      auto_start: args.autoStart,
      health_check: healthCheckFrom(args),
      stdio_sessions: args.stdioSessions,
    });
    await warnIfNotAlias(ctx, entry.config.host);
    for (const warning of await ctx.manager.addWarnings(entry.config)) ctx.out.warn(warning);
    if (args.start) {
      await runLifecycle(ctx, { names: [entry.config.name] }, 'start', () => ctx.manager.start({ names: [entry.config.name] }));
      return;
    }
    const record: ResultRecord = { name: entry.config.name, host: entry.config.host, ok: true, action: 'added', status: 'stopped', container_id: null, error: null };
    if (ctx.out.json) ctx.out.printJson([record]);
    else {
      ctx.out.line(`${ctx.out.colors.green('✔')} registered ${ctx.out.colors.bold(record.name)} on ${record.host} (${ctx.registry.file})`);
      ctx.out.line(`  start it with: mcp start ${record.name}`);
    }
  },
};

/** An explicit --health wins; a server with a --port gets the MCP check by default (a stdio one too, in core). */
function healthCheckFrom(args: AddArgs): HealthCheck | undefined {
  if (args.health !== undefined) return parseHealthFlag(args.health);
  return args.port !== undefined ? { type: 'mcp' } : undefined;
}

/** A host that is no alias and no IP address is most often a mistyped alias: say so (it still works as a hostname). */
async function warnIfNotAlias(ctx: Context, host: string): Promise<void> {
  if (host === LOCALHOST || net.isIP(host) !== 0) return;
  const hosts = await ctx.manager.hostsInventory();
  if (Object.hasOwn(hosts, host)) return;
  const aliases = Object.keys(hosts);
  ctx.out.warn(`"${host}" is not an alias in ${ctx.hosts.file}${aliases.length > 0 ? ` (aliases: ${aliases.join(', ')})` : ''}; it will be reached as a hostname over SSH`);
}

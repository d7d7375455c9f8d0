/** `mcp hosts list|add|remove|check`: the hosts inventory, and whether each host answers. */
import type { Argv, CommandModule } from 'yargs';
import { ValidationError } from '../../../errors.js';
import type { HostEntry } from '../../../data/models.js';
import type { GlobalArgs } from '../context.js';
import { withHelpLayout } from '../help.js';
import { exitCodeFor } from '../results.js';
import { context, keyValues } from './shared.js';

interface HostsArgs extends GlobalArgs {
  alias?: string;
  aliases?: string[];
  address?: string;
  user?: string;
  port?: number;
  identityFile?: string;
  docker?: string;
  label?: string[];
}

const list: CommandModule<object, HostsArgs> = {
  command: 'list',
  aliases: ['ls'],
  describe: 'list the hosts in hosts.yaml',
  handler: async (args) => {
    const ctx = await context(args);
    const hosts = await ctx.manager.hostsInventory();
    if (ctx.out.json) {
      ctx.out.printJson(Object.entries(hosts).map(([alias, entry]) => ({ alias, ...entry })));
      return;
    }
    if (Object.keys(hosts).length === 0) {
      ctx.out.line(`no hosts in ${ctx.hosts.file} (add one with \`mcp hosts add <alias> --address <host>\`)`);
      return;
    }
    ctx.out.table(
      ['ALIAS', 'ADDRESS', 'USER', 'PORT', 'DOCKER'],
      Object.entries(hosts).map(([alias, e]) => [alias, e.address, e.user ?? '', e.port?.toString() ?? '', e.docker ?? 'docker']),
    );
  },
};

const add: CommandModule<object, HostsArgs> = {
  command: 'add <alias>',
  describe: 'add a host to hosts.yaml',
  builder: (yargs: Argv) =>
    yargs
      .positional('alias', { type: 'string', demandOption: true })
      .option('address', { type: 'string', nargs: 1, demandOption: true, describe: 'hostname or IP address' })
      .option('user', { type: 'string', describe: 'SSH user' })
      .option('port', { type: 'number', describe: 'SSH port' })
      .option('identity-file', { type: 'string', describe: 'private key file' })
      .option('docker', { type: 'string', describe: 'docker command on the host, e.g. "sudo -n docker"' })
      .option('label', { type: 'string', array: true, describe: 'KEY=VALUE' })
      .example('$0 hosts add alpha --address 10.0.0.5 --user deploy', '') as never,
  handler: async (args) => {
    const alias = String(args.alias);
    const entry: HostEntry = { address: String(args.address) };
    if (args.user !== undefined) {
      if (!/^[a-zA-Z0-9_][a-zA-Z0-9_.-]*$/.test(args.user)) throw new ValidationError(`invalid user "${args.user}"`, 'INVALID_HOST');
      entry.user = args.user;
    }
    if (args.port !== undefined) {
      if (!Number.isInteger(args.port) || args.port < 1 || args.port > 65535) throw new ValidationError(`invalid port ${args.port}`, 'INVALID_HOST');
      entry.port = args.port;
    }
    if (args.identityFile !== undefined) entry.identity_file = args.identityFile;
    if (args.docker !== undefined) entry.docker = args.docker;
    const labels = keyValues(args.label, 'label');
    if (labels) entry.labels = labels;
    const ctx = await context(args);
    const added = await ctx.manager.addHost(alias, entry);
    if (ctx.out.json) ctx.out.printJson({ alias, ...added });
    else ctx.out.line(`${ctx.out.colors.green('✔')} added host ${alias} (${added.address}) to ${ctx.hosts.file}`);
  },
};

const remove: CommandModule<object, HostsArgs> = {
  command: 'remove <alias>',
  aliases: ['rm'],
  describe: 'remove a host from hosts.yaml (refused while servers use it)',
  builder: (yargs: Argv) => yargs.positional('alias', { type: 'string', demandOption: true }) as never,
  handler: async (args) => {
    const ctx = await context(args);
    const alias = String(args.alias);
    await ctx.manager.removeHost(alias);
    if (ctx.out.json) ctx.out.printJson({ alias, removed: true });
    else ctx.out.line(`${ctx.out.colors.green('✔')} removed host ${alias}`);
  },
};

const check: CommandModule<object, HostsArgs> = {
  command: 'check [aliases..]',
  describe: 'connect to hosts and run `docker version` (all hosts in use when none named)',
  builder: (yargs: Argv) =>
    yargs
      .positional('aliases', { type: 'string', array: true })
      .example('$0 hosts check', 'every host of hosts.yaml and the registry')
      .example('$0 hosts check alpha --accept-new-host-keys', 'trust alpha\'s key on first contact') as never,
  handler: async (args) => {
    const ctx = await context(args);
    const named = (args.aliases ?? []).map(String);
    const results = await ctx.manager.checkHosts(named.length > 0 ? named : undefined);
    if (ctx.out.json) ctx.out.printJson(results);
    else {
      const { colors } = ctx.out;
      ctx.out.table(
        ['HOST', 'OK', 'DOCKER', 'DETAIL'],
        results.map((r) => [r.host, r.ok ? colors.green('yes') : colors.red('no'), r.docker_version ?? '', r.error ?? `${r.latency_ms} ms`]),
      );
    }
    process.exitCode = exitCodeFor(results);
  },
};

export const hostsSubcommands = ([list, add, remove, check] as CommandModule[]).map(withHelpLayout);

export const hostsCommand: CommandModule<object, GlobalArgs> = {
  command: 'hosts <command>',
  describe: 'manage the hosts inventory (list, add, remove, check)',
  builder: (yargs) => yargs.command(hostsSubcommands).demandCommand(1) as never,
  handler: () => undefined,
};

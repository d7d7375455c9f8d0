/** `mcp set`: change a registered server's command, port, host or description, for scripts. */
import type { CommandModule } from 'yargs';
import type { MCPServerConfig } from '../../../data/models.js';
import { nextSteps, printChanges } from '../configDiff.js';
import type { GlobalArgs } from '../context.js';
import { context } from './shared.js';

interface SetArgs extends GlobalArgs {
  name: string;
  command?: string;
  port?: number;
  host?: string;
  description?: string;
}

export const setCommand: CommandModule<object, SetArgs> = {
  command: 'set <name>',
  describe: "change a server's registered command, port, host or description (validated as add does)",
  builder: (yargs) =>
    yargs
      .positional('name', { type: 'string', demandOption: true, describe: 'server name' })
      .option('command', { alias: 'c', type: 'string', nargs: 1, describe: 'the new docker run command' })
      .option('port', { type: 'number', describe: 'the new host port the server listens on' })
      .option('host', { type: 'string', nargs: 1, describe: 'the new host (the container is not moved: see mcp move)' })
      .option('description', { type: 'string', describe: 'the new description' })
      .check((args) => (['command', 'port', 'host', 'description'].some((flag) => args[flag] !== undefined) ? true : 'say what to change: --command, --port, --host or --description'))
      .example('$0 set web --port 8083 -c "docker run -d -p 127.0.0.1:8083:80 mcp/web"', 'a new port and command')
      .example('$0 set github --description "GitHub tools" --json', 'what changed, as JSON') as never,
  handler: async (args) => {
    const ctx = await context(args);
    const name = String(args.name);
    const current = (await ctx.registry.get(name)).config;
    const next: MCPServerConfig = {
      ...current,
      ...(args.command !== undefined ? { docker_command: args.command } : {}),
      ...(args.port !== undefined ? { port: args.port } : {}),
      ...(args.host !== undefined ? { host: args.host } : {}),
      ...(args.description !== undefined ? { description: args.description } : {}),
    };
    const { before, after, changed } = await ctx.manager.updateConfig(name, next, current);
    if (ctx.out.json) {
      ctx.out.printJson({ name, host: after.host, changed, config: after });
      return;
    }
    if (changed.length === 0) {
      ctx.out.line(`${name}: nothing to change`);
      return;
    }
    ctx.out.line(`${ctx.out.colors.green('✔')} updated ${ctx.out.colors.bold(name)}`);
    printChanges(ctx.out, before, after, changed);
    nextSteps(ctx.out, before, after, changed);
  },
};

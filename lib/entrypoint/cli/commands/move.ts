/** `mcp move`: run a server on another host: stop it, start it there, remove the old container. */
import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.js';
import { context } from './shared.js';

interface MoveArgs extends GlobalArgs {
  name: string;
  host: string;
}

export const moveCommand: CommandModule<object, MoveArgs> = {
  command: 'move <name>',
  describe: 'move a server to another host: stop it, start it there, then remove the old container',
  builder: (yargs) =>
    yargs
      .positional('name', { type: 'string', demandOption: true, describe: 'server name' })
      .option('host', { type: 'string', nargs: 1, demandOption: true, describe: 'the host to move it to (alias or address)' })
      .example('$0 move github --host alpha', 'github now runs on alpha') as never,
  handler: async (args) => {
    const ctx = await context(args);
    const result = await ctx.manager.move(String(args.name), String(args.host));
    const { colors } = ctx.out;
    if (ctx.out.json) ctx.out.printJson({ ...result, step: result.step ?? null, status: result.status ?? null, error: result.error ?? null });
    else if (result.ok) ctx.out.line(`${colors.green('✔')} moved ${colors.bold(result.name)} from ${result.from} to ${result.to}  ${ctx.out.status(result.status as never)}`);
    else ctx.out.error(`${result.name}: ${result.error}`);
    // A move that failed after the start (old container left behind) still moved the server.
    process.exitCode = result.ok ? 0 : 1;
  },
};

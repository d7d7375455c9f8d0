/** `mcp help [command..]`: the same as `mcp <command> --help`. */
import type { CommandModule } from 'yargs';

interface HelpArgs {
  command?: string[];
}

export const helpCommand: CommandModule<object, HelpArgs> = {
  command: 'help [command..]',
  describe: 'show help for a command (mcp help hosts add)',
  builder: (yargs) => yargs.positional('command', { type: 'string', array: true, describe: 'the command to explain' }) as never,
  handler: async (args) => {
    const { main } = await import('../main.js');
    process.exitCode = await main([...(args.command ?? []).map(String), '--help']);
  },
};

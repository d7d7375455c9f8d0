/** `mcp completion [bash|zsh|fish]`: print the shell's completion script. */
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { ValidationError } from '../../../errors.js';
import { completionScript, SHELLS, type Shell } from '../completionScripts.js';

interface CompletionArgs {
  shell?: string;
}

export const completionCommand: CommandModule<object, CompletionArgs> = {
  command: 'completion [shell]',
  describe: 'print the shell completion script (bash, zsh, fish; default: your $SHELL)',
  builder: (yargs) =>
    yargs
      .positional('shell', { type: 'string', describe: 'bash, zsh or fish' })
      .example('source <(mcp completion bash)', 'complete commands, flags, servers and hosts in bash (add it to ~/.bashrc)')
      .example('mcp completion fish > ~/.config/fish/completions/mcp.fish', 'install for fish') as never,
  handler: (args) => {
    const shell = args.shell ?? path.basename(process.env.SHELL ?? 'bash');
    if (!(SHELLS as readonly string[]).includes(shell)) {
      throw new ValidationError(`no completion for shell "${shell}" (there is one for ${SHELLS.join(', ')})`, 'USAGE');
    }
    process.stdout.write(completionScript(shell as Shell));
  },
};

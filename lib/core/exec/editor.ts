/** The user's editor ($VISUAL, $EDITOR, else vi) on a file, attached to this terminal. */
import { execa } from 'execa';
import { MsmError } from '../../errors.js';

export async function runEditor(file: string, env: Readonly<Record<string, string | undefined>>): Promise<void> {
  const command = env.VISUAL || env.EDITOR || 'vi';
  // "code --wait" and the like: words, never a shell line.
  const [program = 'vi', ...args] = editorWords(command);
  const result = await execa(program, [...args, file], { stdio: 'inherit', reject: false });
  if (result.failed && result.exitCode === undefined) throw new MsmError(`could not run the editor "${command}" ($VISUAL / $EDITOR): ${result.shortMessage}`, 'EDITOR_FAILED', 1);
  if (result.exitCode !== 0) throw new MsmError(`the editor "${command}" exited with ${result.exitCode}; nothing changed`, 'EDITOR_FAILED', 1);
}

/**
 * "code --wait", "emacsclient -t", 'vim -c "set ft=yaml"': words split on blanks, quotes grouping
 * (as git reads core.editor, minus the shell). Unlike a docker command, a `$` here is literal.
 */
export function editorWords(command: string): string[] {
  const words: string[] = [];
  for (const match of command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3] ?? '');
  return words;
}

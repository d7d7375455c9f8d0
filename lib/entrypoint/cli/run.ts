/**
 * The command line, as dist/cli.cjs exports it to the launcher (bin.ts): runs one command and sets
 * the process's exit code. Everything heavy is imported lazily, so a command loads only its own.
 */
import { main } from './main.js';

export async function run(argv: string[]): Promise<void> {
  process.exitCode = await main(argv);
}

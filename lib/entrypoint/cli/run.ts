#!/usr/bin/env node
/**
 * The `mcp` executable. Sets the process's exit code; everything heavy is imported lazily so
 * `mcp --version` stays near bare node.
 */
import { packageVersion } from './version.js';

const argv = process.argv.slice(2);

// `mcp log s | head -1`: the reader went away; that is the reader's choice, not a failure to report.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${packageVersion()}\n`);
} else {
  const { main } = await import('./main.js');
  process.exitCode = await main(argv);
}

#!/usr/bin/env node
/**
 * The `mcp` executable. Sets the process's exit code; everything heavy is imported lazily so
 * `mcp --version` stays near bare node.
 */
import { packageVersion } from './version.js';

const argv = process.argv.slice(2);

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${packageVersion()}\n`);
} else {
  const { main } = await import('./main.js');
  process.exitCode = await main(argv);
}

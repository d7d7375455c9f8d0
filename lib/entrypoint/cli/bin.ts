#!/usr/bin/env node
/**
 * The `mcp` executable. The only file that decides the process's exit code for errors thrown out
 * of a command. Everything heavy is imported lazily so `mcp --version` stays near bare node.
 */
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { main } = await import('./main.js');
  process.exitCode = await main(argv);
}

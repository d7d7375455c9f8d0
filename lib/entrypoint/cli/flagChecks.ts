/**
 * Numbers on the command line: yargs turns "abc" into NaN and takes "-5" as a value, so every
 * number flag is checked here once, for every command: whole, and not below its minimum.
 */

/** Flags where zero means nothing sensible (no hosts at once, no time to wait, no port). */
const AT_LEAST_ONE = new Set(['parallel', 'timeout', 'port', 'interval']);

/** The first number flag that is not a whole number at or above its minimum, as a message. */
export function numberFlagProblem(args: Record<string, unknown>, numberFlags: readonly string[], argv: readonly string[]): string | undefined {
  for (const flag of numberFlags) {
    const value = args[flag];
    if (value === undefined) continue;
    // `--tail 5 --tail 6` arrives as an array; the last one is what yargs would use.
    const number = Array.isArray(value) ? value[value.length - 1] : value;
    const minimum = AT_LEAST_ONE.has(flag) ? 1 : 0;
    if (typeof number !== 'number' || !Number.isInteger(number) || number < minimum) {
      return `--${flag} takes a whole number of at least ${minimum}, not "${typed(flag, argv) ?? String(number)}"`;
    }
  }
  return undefined;
}

/** What the user typed after --flag (or in --flag=value), which NaN no longer tells. */
function typed(flag: string, argv: readonly string[]): string | undefined {
  for (let i = argv.length - 1; i >= 0; i--) {
    const arg = argv[i] ?? '';
    if (arg.startsWith(`--${flag}=`)) return arg.slice(flag.length + 3);
    if (arg === `--${flag}`) return argv[i + 1];
  }
  return undefined;
}

/**
 * The flags every command accepts, defined once: the root parser takes them from here, and help,
 * the catalog (which word is a command) and mistake messages derive their lists from them.
 */
import type { Options } from 'yargs';

export const GLOBAL_OPTIONS = {
  registry: { type: 'string', describe: 'registry file (default: $MSM_REGISTRY, ./registry.yaml, ~/.config/msm/registry.yaml)', global: true },
  'hosts-file': { type: 'string', describe: 'hosts inventory (default: $MSM_HOSTS, ./hosts.yaml, ~/.config/msm/hosts.yaml)', global: true },
  json: { type: 'boolean', describe: 'print exactly one JSON document on stdout', global: true },
  verbose: { type: 'boolean', describe: 'show every docker command run (secrets redacted) on stderr', global: true },
  color: { type: 'boolean', default: true, describe: 'colour output (--no-color, or NO_COLOR, turns it off)', global: true },
  parallel: { type: 'number', default: 8, describe: 'hosts worked on at once (default 8)', global: true },
  'accept-new-host-keys': { type: 'boolean', describe: 'trust and record SSH host keys not yet in known_hosts (never changed ones)', global: true },
} as const satisfies Record<string, Options>;

/** The flags yargs itself gives every command, with their short names. */
export const BUILT_IN_FLAGS = { help: 'h', version: 'V' } as const;

const entries = Object.entries(GLOBAL_OPTIONS) as [string, Options][];

/** Every global flag's long name, --help and --version included (help lists them under their own heading). */
export const GLOBAL_FLAGS: readonly string[] = [...Object.keys(GLOBAL_OPTIONS), ...Object.keys(BUILT_IN_FLAGS)];

/** Global flags that take a value (`--registry FILE`): the word after them is not a command. */
export const GLOBAL_VALUE_FLAGS: ReadonlySet<string> = new Set(entries.filter(([, option]) => option.type !== 'boolean').map(([name]) => `--${name}`));

/**
 * Every way a global flag can be written, without dashes: long names, `no-` for a flag that is on
 * unless turned off (--no-color), and the short names of --help and --version.
 */
export const GLOBAL_FLAG_SPELLINGS: readonly string[] = [
  ...GLOBAL_FLAGS,
  ...entries.filter(([, option]) => option.type === 'boolean' && option.default === true).map(([name]) => `no-${name}`),
  ...Object.values(BUILT_IN_FLAGS),
];

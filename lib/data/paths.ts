/**
 * Where the registry and hosts files live (design.md §6): the flag, else the environment variable,
 * else the file in the working directory when present, else $XDG_CONFIG_HOME/msm/ (~/.config/msm/).
 * Pure: the environment, working directory and an existence check are passed in.
 */
import path from 'node:path';
import os from 'node:os';
import { createHash } from 'node:crypto';

export type StateFileKind = 'registry' | 'hosts';

const ENV_VARS: Record<StateFileKind, string> = { registry: 'MSM_REGISTRY', hosts: 'MSM_HOSTS' };
const FILE_NAMES: Record<StateFileKind, string> = { registry: 'registry.yaml', hosts: 'hosts.yaml' };

export interface LocateOptions {
  flag?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  exists: (file: string) => boolean;
}

export function locateStateFile(kind: StateFileKind, { flag, env, cwd, exists }: LocateOptions): string {
  const given = fromFlagOrEnv(flag, ENV_VARS[kind], env, cwd);
  if (given) return given;
  const local = path.join(cwd, FILE_NAMES[kind]);
  if (exists(local)) return local;
  return path.join(xdgDir('config', env), 'msm', FILE_NAMES[kind]);
}

/** The flag, else the environment variable (empty is unset), resolved against `cwd` with `~` expanded. */
function fromFlagOrEnv(flag: string | undefined, envVar: string, env: LocateOptions['env'], cwd: string): string | undefined {
  const given = flag || env[envVar];
  return given ? path.resolve(cwd, expandHome(given, env)) : undefined;
}

const XDG_DIRS = {
  config: { envVar: 'XDG_CONFIG_HOME', underHome: ['.config'] },
  state: { envVar: 'XDG_STATE_HOME', underHome: ['.local', 'state'] },
  cache: { envVar: 'XDG_CACHE_HOME', underHome: ['.cache'] },
} as const;

/**
 * The XDG base directory of `kind`: its variable when that is an absolute path (the XDG spec
 * says a relative one is invalid and is ignored), else its default under the home directory.
 */
function xdgDir(kind: keyof typeof XDG_DIRS, env: LocateOptions['env']): string {
  const { envVar, underHome } = XDG_DIRS[kind];
  const set = env[envVar] ?? '';
  return path.isAbsolute(set) ? set : path.join(env.HOME || os.homedir(), ...underHome);
}

/**
 * The one `~` rule, for every path the tool expands (these files, identity and known_hosts files,
 * bind sources and env files on a target host): `~` and `~/...` mean `home`, as in a shell;
 * `~user` and a `~` anywhere else are left as written. `home` is used verbatim.
 */
export function expandTilde(file: string, home: string): string {
  return file === '~' || file.startsWith('~/') ? home + file.slice(1) : file;
}

/** `~` and `~/x` mean the local user's home. */
export function expandHome(file: string, env: Readonly<Record<string, string | undefined>>): string {
  return expandTilde(file, env.HOME || os.homedir());
}

/** Where observed state lives: $XDG_STATE_HOME/msm (~/.local/state/msm), one file per registry id. */
export function stateFileFor(registryId: string, env: Readonly<Record<string, string | undefined>>): string {
  return path.join(xdgDir('state', env), 'msm', `${registryId}.json`);
}

/**
 * Files that belong with a registry (tokens.yaml, the audit log): the flag, else the environment
 * variable, else beside the registry file, so one registry directory holds one service's state.
 */
export function locateBesideRegistry(fileName: string, registryFile: string, options: { flag?: string | undefined; envVar: string; env: LocateOptions['env']; cwd: string }): string {
  return fromFlagOrEnv(options.flag, options.envVar, options.env, options.cwd) ?? path.join(path.dirname(registryFile), fileName);
}

/**
 * The user's cache directory for mcp: $MSM_CACHE when it is an absolute path, none when it is
 * `off` (or 0, false, no), else $XDG_CACHE_HOME/msm (~/.cache/msm). It holds what can be thrown
 * away at any time: the compiled command line (bin.ts) and parsed registries (parsedCopy.ts).
 */
export function cacheDirFor(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const setting = env.MSM_CACHE ?? '';
  if (['off', '0', 'false', 'no'].includes(setting.toLowerCase())) return undefined;
  if (path.isAbsolute(setting)) return setting;
  return path.join(xdgDir('cache', env), 'msm');
}

/** Where the parsed copy of a registry or hosts file is kept (parsedCopy.ts), if anywhere. */
export function parsedCopyFor(file: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const dir = cacheDirFor(env);
  return dir && path.join(dir, `parsed-${createHash('sha256').update(file).digest('hex').slice(0, 16)}.json`);
}

/**
 * From a registered server to the exact `docker run` argv that starts it. Pure.
 *
 * The user's parsed command is merged with the registry config (environment, volumes, networks,
 * labels, restart policy), the container is named (a `--name` in the user's command wins) and
 * labelled as ours (`msm.name`, plus `msm.hash`, a hash of the effective command so a changed
 * registration is noticed), and it always runs detached. Options are re-emitted in the canonical
 * `--long=value` form, which docker reads exactly as the user's spelling; the image and the
 * container's command are kept word for word.
 *
 * `$VAR` references are interpolated here, at start time. `args` carries the values; `display`
 * carries the references instead, and is what logs, --dry-run and errors show. The hash is taken
 * over `display`, so a secret never leaks through it (rotating a secret does not by itself
 * recreate the container: `mcp start --recreate` does).
 */
import { createHash } from 'node:crypto';
import type { MCPServerConfig } from '../../data/models.js';
import { ValidationError } from '../../errors.js';
import { expandTilde } from '../../data/paths.js';
import { interpolateWord } from './interpolate.js';
import type { ParsedRun, RunOption } from './parseRun.js';

export const NAME_LABEL = 'msm.name';
export const HASH_LABEL = 'msm.hash';
/** Which registry owns the container: two registries on one engine never touch each other's. */
export const REGISTRY_LABEL = 'msm.registry';

/** Options we own: the container always runs detached, so attach flags would conflict. */
const DROPPED_OPTIONS = new Set(['detach', 'attach']);

export interface RunContext {
  /** Values for `$VAR` references: the environment over the `.env` file (as Compose). */
  variables: Readonly<Record<string, string | undefined>>;
  /** Home directory on the target host, for a `~` at the start of a volume source. */
  homeDir: string;
  /**
   * Put the values of `-e NAME` (no value) into the argv as `--env=NAME=value` instead of the docker
   * client's environment: needed over SSH, where no environment travels with the command.
   */
  inlineClientEnv?: boolean;
  /** The id of the registry the server belongs to, labelled on the container. */
  registryId?: string;
}

export interface RunPlan {
  /**
   * The effective command in `docker run` form, after the docker binary, with secrets: what the
   * registration amounts to (the hash is taken over it, --dry-run shows it).
   */
  args: string[];
  /** The same argv with every interpolated value shown as its `${VAR}` reference. */
  display: string[];
  /**
   * How it is really started: `docker create` with the same options but for those that cannot
   * be right for a managed container (below), then each extra network connected, then `docker
   * start`. Creating first lets a replacement exist before the old container goes.
   */
  create: { args: string[]; display: string[] };
  /** Networks beyond the first: engines accept one `--network` at create, the rest are connected. */
  extraNetworks: Array<{ value: string; display: string }>;
  /** The `--cidfile` path (docker refuses to create while that file exists: a recreate moves it). */
  cidfile?: string;
  containerName: string;
  hash: string;
  /**
   * Variables the docker client itself must see: `-e NAME` without a value makes docker copy NAME
   * from its own environment, so a value found only in `.env` has to be handed to the process.
   */
  clientEnv: Record<string, string>;
}

interface Word {
  value: string;
  display: string;
  /** The option this word is, when it is one. */
  long?: string;
}

function word(text: string, ctx: RunContext): Word {
  const { value, display } = interpolateWord(text, ctx.variables);
  return { value, display };
}

function literal(text: string): Word {
  return { value: text, display: text };
}

function joinOption(long: string, value?: Word): Word {
  if (!value) return { ...literal(`--${long}`), long };
  return { value: `--${long}=${value.value}`, display: `--${long}=${value.display}`, long };
}

/** `~` or `~/...` as a volume's source (before the first `:`) means the target host's home directory. */
export function expandVolumeHome(spec: string, homeDir: string): string {
  const colon = spec.indexOf(':');
  if (colon < 0) return expandTilde(spec, homeDir);
  return expandTilde(spec.slice(0, colon), homeDir) + spec.slice(colon);
}

/** Options naming a file the docker client reads on the target host. */
const CLIENT_FILE_OPTIONS = new Set(['env-file', 'label-file']);

function expandMountHome(spec: string, homeDir: string): string {
  return spec
    .split(',')
    .map((field) => {
      const eq = field.indexOf('=');
      const key = eq < 0 ? field : field.slice(0, eq);
      if (eq < 0 || !MOUNT_SOURCE_KEYS.includes(key)) return field;
      return `${key}=${expandVolumeHome(field.slice(eq + 1), homeDir)}`;
    })
    .join(',');
}

const MOUNT_SOURCE_KEYS = ['source', 'src'];

/**
 * Whether starting this server needs the target host's home directory: some volume or mount
 * source the expansions above would rewrite. Lets the caller skip asking the host otherwise.
 */
export function needsHomeDir(config: MCPServerConfig, parsed: ParsedRun): boolean {
  const homeDir = '\u0000';
  const volumes = [...parsed.options.filter((o) => o.long === 'volume').map((o) => o.value ?? ''), ...(config.volumes ?? [])];
  const mounts = parsed.options.filter((o) => o.long === 'mount').map((o) => o.value ?? '');
  const files = parsed.options.filter((o) => CLIENT_FILE_OPTIONS.has(o.long)).map((o) => o.value ?? '');
  return (
    volumes.some((v) => expandVolumeHome(v, homeDir) !== v) ||
    mounts.some((m) => expandMountHome(m, homeDir) !== m) ||
    files.some((f) => expandTilde(f, homeDir) !== f)
  );
}

function optionWord(option: RunOption, ctx: RunContext): Word {
  if (option.value === undefined) return joinOption(option.long);
  if (ctx.inlineClientEnv && option.long === 'env' && !option.value.includes('=')) {
    const value = requireVariable(option.value, ctx);
    return { value: `--env=${option.value}=${value}`, display: `--env=${option.value}`, long: 'env' };
  }
  const value = word(option.value, ctx);
  if (option.long === 'volume') {
    return joinOption(option.long, { value: expandVolumeHome(value.value, ctx.homeDir), display: value.display });
  }
  if (option.long === 'mount') {
    return joinOption(option.long, { value: expandMountHome(value.value, ctx.homeDir), display: value.display });
  }
  if (CLIENT_FILE_OPTIONS.has(option.long)) {
    return joinOption(option.long, { value: expandTilde(value.value, ctx.homeDir), display: value.display });
  }
  return joinOption(option.long, value);
}

/** `--rm`, `--rm=true`; not `--rm=false` (a boolean flag's value as Go's ParseBool reads it). */
function autoRemoves(parsed: ParsedRun): boolean {
  const rm = parsed.options.filter((option) => option.long === 'rm').at(-1);
  return rm !== undefined && (rm.value === undefined || /^(1|t|true)$/i.test(rm.value));
}

function hasOption(parsed: ParsedRun, long: string): boolean {
  return parsed.options.some((option) => option.long === long);
}

/** The name the container gets: the user's `--name` if the command has one, else the server's. */
export function containerNameOf(config: MCPServerConfig, parsed: ParsedRun, ctx?: RunContext): string {
  const named = parsed.options.filter((option) => option.long === 'name').at(-1);
  if (named?.value === undefined) return config.name;
  return ctx ? word(named.value, ctx).value : named.value;
}

/**
 * Checks that need no variables and no host: run at `mcp add` so a bad registration is refused
 * before it is stored.
 */
export function checkRunConfig(config: MCPServerConfig, parsed: ParsedRun): void {
  for (const option of parsed.options) {
    if (option.long === 'label' && option.value !== undefined && /^msm\./.test(option.value)) {
      throw new ValidationError(`the label "${option.value.split('=')[0]}" is reserved for mcp; remove it from the command`);
    }
  }
  const commandPolicy = parsed.options.filter((option) => option.long === 'restart').at(-1)?.value;
  const policy = commandPolicy ?? config.restart_policy ?? 'no';
  if (autoRemoves(parsed) && policy !== 'no') {
    throw new ValidationError('--rm cannot be combined with a restart policy (docker refuses both); drop one of them');
  }
  const networks = [...parsed.options.filter((option) => option.long === 'network').map((option) => option.value ?? ''), ...(config.networks ?? [])];
  const exclusive = networks.find((network) => EXCLUSIVE_NETWORK.test(network));
  if (exclusive !== undefined && networks.length > 1) {
    throw new ValidationError(`--network ${exclusive} cannot be combined with other networks (a container in the ${exclusive.split(':')[0]} network mode joins no other); drop one of them`);
  }
}

/** Network modes that exclude every other network. */
const EXCLUSIVE_NETWORK = /^(host|none|container:.+)$/;

/**
 * Whether the command asks docker to remove the container when it exits. mcp drops that: a
 * managed container must outlive a crash so its exit code and logs can be read (`add` says so).
 */
export function dropsAutoRemove(parsed: ParsedRun): boolean {
  return autoRemoves(parsed);
}

function configOptions(config: MCPServerConfig, parsed: ParsedRun, ctx: RunContext, { restart = true } = {}): Word[] {
  const words: Word[] = [];
  for (const [key, value] of Object.entries(config.environment ?? {})) {
    const interpolated = word(value, ctx);
    words.push({ value: `--env=${key}=${interpolated.value}`, display: `--env=${key}=${interpolated.display}` });
  }
  for (const volume of config.volumes ?? []) words.push(optionWord({ long: 'volume', value: volume, tokens: [] }, ctx));
  for (const network of config.networks ?? []) words.push(joinOption('network', word(network, ctx)));
  for (const [key, value] of Object.entries(config.labels ?? {})) words.push(joinOption('label', literal(`${key}=${value}`)));
  const policy = config.restart_policy ?? 'no';
  if (restart && policy !== 'no' && !hasOption(parsed, 'restart')) words.push(joinOption('restart', literal(policy)));
  return words;
}

/**
 * docker would silently leave out an unset `-e NAME`; a server started without its token fails
 * later and further from the cause, so say it here (same rule as for `$VAR`).
 */
function requireVariable(name: string, ctx: RunContext): string {
  const value = ctx.variables[name];
  if (value === undefined) {
    throw new ValidationError(`variable ${name} is not set (define it in the environment or in the .env file)`, 'MISSING_VARIABLE');
  }
  return value;
}

/** `-e NAME` (no value): docker copies NAME from its own environment. */
function isBareEnv(option: RunOption): boolean {
  return option.long === 'env' && option.value !== undefined && !option.value.includes('=');
}

/**
 * A bare `-e NAME` whose NAME the registry's `environment` sets is dropped: the `--env=NAME=...`
 * from the environment map gives the value (an imported client entry maps `-e TOKEN` to a
 * `${input:id}` this way), and the client environment is not asked for it.
 */
function setByEnvironment(option: RunOption, config: MCPServerConfig): boolean {
  return isBareEnv(option) && config.environment !== undefined && Object.hasOwn(config.environment, option.value as string);
}

function clientEnvFor(config: MCPServerConfig, parsed: ParsedRun, ctx: RunContext): Record<string, string> {
  const env: Record<string, string> = {};
  if (ctx.inlineClientEnv) return env;
  for (const option of parsed.options) {
    if (!isBareEnv(option) || setByEnvironment(option, config)) continue;
    env[option.value as string] = requireVariable(option.value as string, ctx);
  }
  return env;
}

export function hashCommand(display: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(display)).digest('hex').slice(0, 12);
}

export function planRun(config: MCPServerConfig, parsed: ParsedRun, ctx: RunContext): RunPlan {
  checkRunConfig(config, parsed);
  const containerName = containerNameOf(config, parsed, ctx);
  const words: Word[] = [literal('run'), literal('--detach')];
  for (const option of parsed.options) {
    if (!DROPPED_OPTIONS.has(option.long) && !setByEnvironment(option, config)) words.push(optionWord(option, ctx));
  }
  if (!hasOption(parsed, 'name')) words.push(joinOption('name', literal(containerName)));
  words.push(...configOptions(config, parsed, ctx));
  words.push(joinOption('label', literal(`${NAME_LABEL}=${config.name}`)));
  const body = [word(parsed.image, ctx), ...parsed.command.map((arg) => word(arg, ctx))];
  const hash = hashCommand([...words, ...body].map((w) => w.display));
  words.push(joinOption('label', literal(`${HASH_LABEL}=${hash}`)));
  // After the hash: which registry owns a container says nothing about what it runs.
  if (ctx.registryId) words.push(joinOption('label', literal(`${REGISTRY_LABEL}=${ctx.registryId}`)));
  words.push(...body);
  const networks = words.filter((w) => w.long === 'network');
  const extra = new Set(networks.slice(1));
  const createWords = [literal('create'), ...words.slice(2).filter((w) => w.long !== 'rm' && !extra.has(w))];
  const cidfile = parsed.options.filter((option) => option.long === 'cidfile').at(-1)?.value;
  return {
    args: words.map((w) => w.value),
    display: words.map((w) => w.display),
    create: { args: createWords.map((w) => w.value), display: createWords.map((w) => w.display) },
    extraNetworks: [...extra].map((w) => ({ value: w.value.slice('--network='.length), display: w.display.slice('--network='.length) })),
    ...(cidfile !== undefined ? { cidfile: word(cidfile, ctx).value } : {}),
    containerName,
    hash,
    clientEnv: clientEnvFor(config, parsed, ctx),
  };
}

/** A one-session container is run attached in one `docker run`: no create step, no later connects. */
export type SessionRunPlan = Omit<RunPlan, 'create' | 'extraNetworks' | 'cidfile'>;

/** Marks a one-session container (`mcp connect`, per-session gateway) with the server it runs. */
export const SESSION_LABEL = 'msm.session-of';

/**
 * What a one-session container must not take from the registered command: it runs attached
 * (stdin ours, removed when it ends) under its own name, and publishes nothing, so any number can
 * run beside the managed container.
 */
const SESSION_DROPPED_OPTIONS = new Set([...DROPPED_OPTIONS, 'name', 'restart', 'publish', 'publish-all', 'tty', 'interactive', 'rm']);

/**
 * The argv of a one-session container for a stdio server: the registered command run as
 * `docker run --interactive --rm`, attached, with the registry's environment, volumes, networks
 * and labels, as MCP clients run `docker run -i --rm image` themselves, but on the server's host.
 * It is not labelled msm.name, so it is never mistaken for the server's managed container.
 */
export function planSessionRun(config: MCPServerConfig, parsed: ParsedRun, ctx: RunContext, containerName: string): SessionRunPlan {
  const words: Word[] = [literal('run'), literal('--interactive'), literal('--rm'), joinOption('name', literal(containerName))];
  for (const option of parsed.options) {
    if (!SESSION_DROPPED_OPTIONS.has(option.long)) words.push(optionWord(option, ctx));
  }
  words.push(...configOptions(config, parsed, ctx, { restart: false }));
  words.push(joinOption('label', literal(`${SESSION_LABEL}=${config.name}`)));
  if (ctx.registryId) words.push(joinOption('label', literal(`${REGISTRY_LABEL}=${ctx.registryId}`)));
  const body = [word(parsed.image, ctx), ...parsed.command.map((arg) => word(arg, ctx))];
  words.push(...body);
  return {
    args: words.map((w) => w.value),
    display: words.map((w) => w.display),
    containerName,
    hash: hashCommand(words.map((w) => w.display)),
    clientEnv: clientEnvFor(config, parsed, ctx),
  };
}

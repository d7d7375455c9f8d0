/**
 * `mcp import`, the pure part: from a client config's text to what would be registered and what
 * would go into the `.env` file. Nothing is read or written here; the caller applies the plan.
 *
 * Every docker-based entry (`docker run ...` as command + args) becomes a server under its key,
 * its docker_command rebuilt from the args so that the splitter reads back exactly those args.
 * A literal `env` value is a secret: it goes to `.env` (under its own name, or under a name scoped
 * to the server when `.env` already holds a different value), never into the registry. A reference
 * stays a reference. Anything malformed aborts the whole plan with the file and entry named.
 */
import { formatDotenvLine } from '../../data/dotenvFile.js';
import type { MCPServerConfig } from '../../data/models.js';
import { SERVER_NAME_PATTERN } from '../../data/schemas.js';
import { errorMessage, ValidationError } from '../../errors.js';
import { buildServerConfig } from '../configManager.js';
import { commandLineFor } from '../docker/commandLine.js';
import { referencedVariables } from '../docker/interpolate.js';
import { parseDockerCommand, type ParsedRun } from '../docker/parseRun.js';
import { describeJsonType, isJsonObject, parseJsoncObject, type JsonObject } from './jsoncText.js';
import { soleReference, toStoredText, type ClientReference } from './references.js';
import { locateServers, type LocatedServers } from './serversMap.js';

export interface ImportOptions {
  file: string;
  /** `auto` or a client id from the table. */
  client: string;
  host?: string | undefined;
  replace?: boolean;
  existingNames: ReadonlySet<string>;
  /** The `.env` file as it is now. */
  dotenv: Readonly<Record<string, string>>;
  /** Values known at start time (environment over `.env`), to tell which variables are missing. */
  variables: Readonly<Record<string, string | undefined>>;
  now?: Date;
}

export interface NeededVariable {
  name: string;
  /** Where the client took it from, e.g. `VS Code input "github_token" (GitHub token)`. */
  from?: string;
  /** Neither set in the environment nor in `.env`, nor written by this import. */
  missing: boolean;
}

export interface ImportedServer {
  config: MCPServerConfig;
  /** An existing registration this one replaces (--replace). */
  replaces: boolean;
  variables: NeededVariable[];
  /** Variables this import writes to `.env` for this server (names only). */
  secrets: string[];
  /** `env` keys the container never sees (no `-e KEY` in the args): not imported. */
  ignoredEnv: string[];
  /** `-e NAME=value` args whose NAME looks secret: the value stays in the command as written. */
  inlineSecrets: string[];
}

export type SkipCode = 'NOT_DOCKER' | 'REMOTE' | 'NOT_DOCKER_RUN' | 'EXISTS' | 'INVALID_NAME';

export interface SkippedServer {
  name: string;
  code: SkipCode;
  reason: string;
}

export interface ImportPlan {
  file: string;
  client: string;
  serversPath: readonly string[];
  servers: ImportedServer[];
  skipped: SkippedServer[];
  /** Values to add to `.env`. Secret: never printed, never stored anywhere else. */
  dotenv: Record<string, string>;
}

const NAME = new RegExp(SERVER_NAME_PATTERN);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SHELL_OPERATORS = ['&&', '||', ';', '|', '>', '<', '`', '$('];
const URL_KEYS = ['url', 'serverUrl', 'httpUrl'];
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|AUTH|CREDENTIAL|HEADERS/i;
const LAUNCHER_KINDS: Record<string, string> = {
  npx: 'Node.js (npx)', bunx: 'Bun (bunx)', pnpm: 'Node.js (pnpm)', node: 'Node.js', deno: 'Deno',
  uvx: 'Python (uvx)', uv: 'Python (uv)', python: 'Python', python3: 'Python', pipx: 'Python (pipx)',
};

export function planImport(text: string, options: ImportOptions): ImportPlan {
  const root = parseJsoncObject(text, options.file);
  const located = locateServers(root, options.client, options.file);
  const plan: ImportPlan = { file: options.file, client: located.client.id, serversPath: located.path, servers: [], skipped: [], dotenv: {} };
  for (const [name, entry] of Object.entries(located.servers)) {
    const where = `${options.file}: entry "${name}"`;
    if (!isJsonObject(entry)) throw new ValidationError(`${where} must be an object, found ${describeJsonType(entry)}`, 'BAD_CLIENT_CONFIG');
    const skip = skipReason(name, entry, where, options);
    if (skip) {
      plan.skipped.push({ name, ...skip });
      continue;
    }
    try {
      plan.servers.push(importEntry(name, entry, located, options, plan.dotenv));
    } catch (err) {
      if (err instanceof ValidationError && err.message.startsWith(options.file)) throw err;
      throw new ValidationError(`${where}: ${errorMessage(err)}`, 'BAD_CLIENT_CONFIG');
    }
  }
  return plan;
}

/** Why an entry is not registered, for entries that are well-formed but not for msm. */
function skipReason(name: string, entry: JsonObject, where: string, options: ImportOptions): Omit<SkippedServer, 'name'> | undefined {
  const { command } = entry;
  if (command === undefined) {
    const urlKey = URL_KEYS.find((key) => typeof entry[key] === 'string');
    if (urlKey) return { code: 'REMOTE', reason: `a remote server reached at its URL (${urlKey}): nothing to run` };
    throw new ValidationError(`${where} has neither "command" nor "url"`, 'BAD_CLIENT_CONFIG');
  }
  if (typeof command !== 'string') throw new ValidationError(`${where}: "command" must be a string, found ${describeJsonType(command)}`, 'BAD_CLIENT_CONFIG');
  const args = stringArgs(entry, where);
  if (!isDockerProgram(command)) {
    const program = command.split(/[\\/]/).at(-1)?.replace(/\.(exe|cmd)$/i, '') ?? command;
    const kind = LAUNCHER_KINDS[program];
    return { code: 'NOT_DOCKER', reason: `runs ${kind ?? `"${program}"`}, not Docker: msm manages containers (register the server's docker image with mcp add, if it has one)` };
  }
  if (args[0] !== 'run' && !(args[0] === 'container' && args[1] === 'run')) {
    return { code: 'NOT_DOCKER_RUN', reason: `"docker ${args.slice(0, 3).join(' ')}" is not a docker run command` };
  }
  // Before the name checks: a pasted shell line is bad input even in an entry that would be skipped.
  args.forEach((arg, index) => checkArgument(arg, index, where));
  if (!NAME.test(name) || name.length > 128) {
    return { code: 'INVALID_NAME', reason: `"${name}" is not a valid container name (letters, digits, "_", "." and "-", starting with a letter or digit, 2 to 128 characters): register it under another name, e.g. ${suggestName(name)}, with mcp add` };
  }
  if (options.existingNames.has(name) && !options.replace) return { code: 'EXISTS', reason: 'a server with this name is already registered (--replace to overwrite it)' };
  return undefined;
}

function stringArgs(entry: JsonObject, where: string): string[] {
  const { args } = entry;
  if (args === undefined) return [];
  if (!Array.isArray(args)) throw new ValidationError(`${where}: "args" must be an array of strings, found ${describeJsonType(args)}`, 'BAD_CLIENT_CONFIG');
  args.forEach((arg, index) => {
    if (typeof arg !== 'string') throw new ValidationError(`${where}: args[${index}] must be a string, found ${describeJsonType(arg)}`, 'BAD_CLIENT_CONFIG');
  });
  return args as string[];
}

function isDockerProgram(command: string): boolean {
  return command === 'docker' || command.endsWith('/docker') || /(?:^|[\\/])docker\.exe$/i.test(command);
}

/** The program word of the stored command: an absolute docker path is kept, anything else is `docker`. */
function dockerWord(command: string): string {
  return command.startsWith('/') && command.endsWith('/docker') ? command : 'docker';
}

function suggestName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_.-]+/g, '-').replace(/^[^a-zA-Z0-9]+/, '').slice(0, 128);
  return cleaned.length >= 2 ? cleaned : `server-${cleaned || 'imported'}`;
}

/** An argument the client hands to docker verbatim, but that reads as shell: a pasted shell line. */
function checkArgument(arg: string, index: number, where: string): void {
  if (/[\r\n\0]/.test(arg)) throw new ValidationError(`${where}: args[${index}] contains a line break or NUL character: docker arguments are one line`, 'BAD_CLIENT_CONFIG');
  const placeholder = /<+[^<>]*>+/.exec(arg)?.[0];
  if (placeholder) {
    throw new ValidationError(`${where}: args[${index}] holds "${placeholder}", a README placeholder: replace it with the value, or with a \${VARIABLE} reference and the value in env`, 'BAD_CLIENT_CONFIG');
  }
  const operator = SHELL_OPERATORS.find((op) => arg.includes(op));
  if (operator) {
    throw new ValidationError(
      `${where}: args[${index}] contains the shell operator "${operator}": args are passed to docker without a shell, so this looks like a pasted shell line; put one docker argument per array element (a literal value with "${operator}" can be registered with mcp add)`,
      'BAD_CLIENT_CONFIG',
    );
  }
}

function importEntry(name: string, entry: JsonObject, located: LocatedServers, options: ImportOptions, dotenv: Record<string, string>): ImportedServer {
  const command = entry.command as string;
  const args = stringArgs(entry, '');
  const references: ClientReference[] = [];
  const words = [dockerWord(command), ...args].map((word) => {
    const converted = toStoredText(word);
    references.push(...converted.references);
    return converted.stored;
  });
  const commandLine = commandLineFor(words);
  const parsed = parseDockerCommand(commandLine);
  const env = envEntries(entry);
  const environment: Record<string, string> = {};
  const secrets: string[] = [];
  const ignoredEnv: string[] = [];
  const passed = bareEnvNames(parsed);
  for (const [key, value] of Object.entries(env)) {
    if (!passed.has(key)) {
      ignoredEnv.push(key);
      continue;
    }
    const reference = soleReference(value);
    if (reference) {
      references.push(reference);
      if (reference.variable !== key) environment[key] = `\${${reference.variable}}`;
      continue;
    }
    const converted = toStoredText(value);
    if (converted.references.length > 0) {
      references.push(...converted.references);
      environment[key] = converted.stored;
      continue;
    }
    const variable = secretVariable(name, key, value, options.dotenv, dotenv);
    formatDotenvLine(variable, value);
    dotenv[variable] = value;
    secrets.push(variable);
    if (variable !== key) environment[key] = `\${${variable}}`;
  }
  const config = buildServerConfig({
    name,
    command: commandLine,
    host: options.host,
    ...(Object.keys(environment).length > 0 ? { environment } : {}),
  }, options.now);
  return {
    config,
    replaces: options.existingNames.has(name),
    variables: neededVariables(config, parsed, references, located, options, dotenv),
    secrets,
    ignoredEnv,
    inlineSecrets: inlineSecretNames(parsed),
  };
}

/** `-e NAME=literal` with a secret-looking NAME: worth a word, since the value lands in the registry. */
function inlineSecretNames(parsed: ParsedRun): string[] {
  return parsed.options
    .filter((option) => option.long === 'env' && option.value?.includes('='))
    .map((option) => option.value as string)
    .filter((value) => SECRET_NAME.test(value.slice(0, value.indexOf('='))) && referencedVariables(value).length === 0)
    .map((value) => value.slice(0, value.indexOf('=')));
}

function envEntries(entry: JsonObject): Record<string, string> {
  const { env } = entry;
  if (env === undefined) return {};
  if (!isJsonObject(env)) throw new ValidationError(`"env" must be an object of strings, found ${describeJsonType(env)}`);
  const entries: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (!ENV_NAME.test(key)) throw new ValidationError(`env "${key}" is not a valid variable name`);
    if (typeof value !== 'string') throw new ValidationError(`env "${key}" must be a string, found ${describeJsonType(value)}`);
    entries[key] = value;
  }
  return entries;
}

/** `-e NAME` without a value: docker copies NAME from its own environment, which msm fills. */
function bareEnvNames(parsed: ParsedRun): Set<string> {
  return new Set(parsed.options.filter((option) => option.long === 'env' && option.value !== undefined && !option.value.includes('=')).map((option) => option.value as string));
}

/**
 * The `.env` variable for a literal value: the env key itself, unless `.env` (or another entry of
 * this import) already gives that name a different value; then a name scoped to the server.
 */
function secretVariable(server: string, key: string, value: string, existing: Readonly<Record<string, string>>, pending: Readonly<Record<string, string>>): string {
  const free = (name: string) => (existing[name] === undefined || existing[name] === value) && (pending[name] === undefined || pending[name] === value);
  if (free(key)) return key;
  const scoped = `${server.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}_${key}`;
  if (free(scoped)) return scoped;
  throw new ValidationError(`env "${key}": the .env file already holds different values for ${key} and ${scoped}; remove one of them first`);
}

function neededVariables(
  config: MCPServerConfig,
  parsed: ParsedRun,
  references: readonly ClientReference[],
  located: LocatedServers,
  options: ImportOptions,
  dotenv: Readonly<Record<string, string>>,
): NeededVariable[] {
  const names = new Set<string>();
  const words = [...parsed.options.map((option) => option.value ?? ''), parsed.image, ...parsed.command, ...Object.values(config.environment ?? {})];
  for (const word of words) for (const name of referencedVariables(word)) names.add(name);
  for (const name of bareEnvNames(parsed)) if (config.environment?.[name] === undefined) names.add(name);
  return [...names].map((name) => {
    const input = references.find((reference) => reference.variable === name && reference.source === 'input');
    const id = input?.written.slice('${input:'.length, -1);
    const description = id === undefined ? undefined : located.inputs.get(id);
    return {
      name,
      ...(id === undefined ? {} : { from: `input "${id}"${description ? ` (${description})` : ''}` }),
      missing: options.variables[name] === undefined && dotenv[name] === undefined,
    };
  });
}

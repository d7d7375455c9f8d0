/**
 * Everything a command handler needs, built from the global flags and the environment: the
 * stores (located per design.md §6), the variables for `$VAR`, the host connector and the facade.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { dotenvPathFor, mergeVariables, readDotenv } from '../../data/dotenvFile.js';
import { HostsStore } from '../../data/hostsStore.js';
import { locateStateFile, parsedCopyFor, stateFileFor } from '../../data/paths.js';
import { RegistryStore } from '../../data/registryStore.js';
import { PooledConnector } from '../../core/exec/connectionPool.js';
import { DefaultConnector } from '../../core/exec/connector.js';
import { quoteArgv } from '../../core/exec/shellQuote.js';
import { MCPServerManager } from '../../core/mcpServerManager.js';
import type { TargetResult } from '../../core/target.js';
import { outputFor, type Output } from './output.js';
import { packageVersion } from './version.js';

export interface GlobalArgs {
  registry?: string | undefined;
  hostsFile?: string | undefined;
  json?: boolean | undefined;
  verbose?: boolean | undefined;
  color?: boolean | undefined;
  parallel?: number | undefined;
  acceptNewHostKeys?: boolean | undefined;
}

export interface Context {
  registry: RegistryStore;
  hosts: HostsStore;
  manager: MCPServerManager;
  out: Output;
  /** Aborted on Ctrl-C / SIGTERM while a command that changes hosts runs (see interruption.ts). */
  interrupt: AbortController;
  /** Set by commands that report progress host by host. */
  onHostDone?: (host: string, results: readonly TargetResult[]) => void;
  /** Closes the connections kept open with `reuseConnections` (nothing to do without). */
  close(): Promise<void>;
}

export interface ContextOptions {
  /**
   * For a command that asks the hosts again and again (list --watch): one connection per host,
   * kept open from one round to the next instead of an SSH handshake per round; `close` ends them.
   */
  reuseConnections?: boolean;
}

export async function createContext(args: GlobalArgs, options: ContextOptions = {}): Promise<Context> {
  const locate = { env: process.env, cwd: process.cwd(), exists: existsSync };
  const registryFile = locateStateFile('registry', { ...locate, flag: args.registry });
  const hostsFile = locateStateFile('hosts', { ...locate, flag: args.hostsFile });
  const out = outputFor(args);
  // A short command reads the registry once: a copy of it parsed keeps large ones cheap to read.
  const copyFile = parsedCopyFor(registryFile, process.env);
  const registry = new RegistryStore(registryFile, copyFile ? { parsedCopy: { file: copyFile, tag: packageVersion() } } : {});
  const hosts = new HostsStore(hostsFile);
  const variables = mergeVariables(await readDotenv(dotenvPathFor(registryFile)), process.env);
  const direct = new DefaultConnector({
    hosts: () => hosts.read(),
    cwd: path.dirname(registryFile),
    env: process.env,
    ...(args.acceptNewHostKeys ? { acceptNewHostKeys: true } : {}),
    ...(out.interactive ? { askPassword: askHidden } : {}),
    // Quoted as a shell would need it, so a command can be pasted and run by hand.
    ...(args.verbose ? { onCommand: (host: string, argv: readonly string[]) => out.debug(`[${host}] $ ${quoteArgv(argv)}`) } : {}),
  });
  const pool = options.reuseConnections ? new PooledConnector(direct) : undefined;
  const connector = pool ?? direct;
  const context: Context = { registry, hosts, out, interrupt: new AbortController(), close: async () => pool?.close() } as Context;
  context.manager = new MCPServerManager({
    registry,
    hosts,
    connector,
    variables,
    interrupted: context.interrupt.signal,
    parallel: args.parallel ?? 8,
    onHostDone: (host, results) => context.onHostDone?.(host, results),
    stateFile: (registryId) => stateFileFor(registryId, process.env),
    onWarning: (message) => out.warn(message),
  });
  // The gateway clients are told to use (`mcp connect --gateway` reads the same variable).
  context.manager.advertiseGateway(process.env.MSM_GATEWAY || undefined);
  return context;
}

/**
 * Reads a password from the terminal without echoing it (npm's `read`). Prompts of hosts
 * connected in parallel are asked one after the other.
 */
let asking: Promise<unknown> = Promise.resolve();
function askHidden(prompt: string): Promise<string> {
  const ask = async () => {
    const { read } = await import('read');
    const answer = String(await read({ prompt, silent: true, replace: '', output: process.stderr }));
    process.stderr.write('\n');
    return answer;
  };
  const next = asking.then(ask, ask);
  asking = next;
  return next;
}

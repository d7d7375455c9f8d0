/**
 * What `mcp serve` runs on: the stores (located as the CLI locates them), the token store and
 * audit log beside the registry, and one MCPServerManager for the life of the service.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PooledConnector } from '../../core/exec/connectionPool.js';
import { DefaultConnector } from '../../core/exec/connector.js';
import { ObservationCache } from '../../core/observationCache.js';
import { MCPServerManager } from '../../core/mcpServerManager.js';
import { dotenvPathFor, mergeVariables, readDotenv } from '../../data/dotenvFile.js';
import { HostsStore } from '../../data/hostsStore.js';
import { locateBesideRegistry, locateStateFile, stateFileFor } from '../../data/paths.js';
import { RegistryStore } from '../../data/registryStore.js';
import { TokensStore } from '../../data/tokensStore.js';
import type { ServerServices } from './access.js';
import { AuditLog } from './audit.js';

export interface ServiceFiles {
  registry?: string | undefined;
  hostsFile?: string | undefined;
  tokensFile?: string | undefined;
  auditLog?: string | undefined;
}

export interface ServiceSettings {
  parallel?: number | undefined;
  acceptNewHostKeys?: boolean | undefined;
  /** How long an observation of a host is reused (ms). */
  reuseMs?: number | undefined;
  /** Log follows open at once (default 64). */
  maxFollows?: number | undefined;
  onAuditError?: (err: Error) => void;
}

export interface RunningServices {
  services: ServerServices;
  /** Closes the hosts' connections. */
  close: () => Promise<void>;
}

export interface LocatedFiles {
  registry: string;
  hosts: string;
  tokens: string;
  audit: string;
}

export function locateServiceFiles(files: ServiceFiles, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): LocatedFiles {
  const locate = { env, cwd, exists: existsSync };
  const registry = locateStateFile('registry', { ...locate, flag: files.registry });
  return {
    registry,
    hosts: locateStateFile('hosts', { ...locate, flag: files.hostsFile }),
    tokens: locateBesideRegistry('tokens.yaml', registry, { flag: files.tokensFile, envVar: 'MSM_TOKENS', env, cwd }),
    audit: locateBesideRegistry('audit.log', registry, { flag: files.auditLog, envVar: 'MSM_AUDIT_LOG', env, cwd }),
  };
}

/** `warn` gets the manager's warnings (a state file not written): the service's log, not bare stderr. */
export async function createServices(files: LocatedFiles, settings: ServiceSettings, shutdown: AbortSignal, warn: (message: string) => void): Promise<RunningServices> {
  // Read on every request: parsed again only when the file changed (YAML parsing was most of the
  // cost of GET /servers under load).
  const registry = new RegistryStore(files.registry, { cacheReads: true });
  const hosts = new HostsStore(files.hosts);
  const variables = mergeVariables(await readDotenv(dotenvPathFor(files.registry)), process.env);
  // One warm connection per host for the life of the service (see connectionPool.ts).
  const connector = new PooledConnector(
    new DefaultConnector({
      hosts: () => hosts.read(),
      cwd: path.dirname(files.registry),
      env: process.env,
      ...(settings.acceptNewHostKeys ? { acceptNewHostKeys: true } : {}),
    }),
  );
  const manager = new MCPServerManager({
    registry,
    hosts,
    connector,
    variables,
    parallel: settings.parallel ?? 8,
    observations: new ObservationCache(settings.reuseMs ?? 1000),
    stateFile: (registryId) => stateFileFor(registryId, process.env),
    // A state file that cannot be written does not fail a request; the operator sees why.
    onWarning: warn,
  });
  return {
    services: { manager, hosts, tokens: new TokensStore(files.tokens), audit: new AuditLog(files.audit, settings.onAuditError), shutdown, maxFollows: settings.maxFollows ?? 64 },
    close: () => connector.close(),
  };
}

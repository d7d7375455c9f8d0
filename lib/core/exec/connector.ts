/**
 * Opens the executor for a host: this machine for `localhost`; a remote host over SSH (issue #4).
 * One connection per host for a whole command: callers open once and close at the end.
 */
import type { HostsFile } from '../../data/models.js';
import type { HealthEndpoint } from '../health.js';
import { HostUnreachableError } from '../../errors.js';
import { isLocalHost } from '../hostRef.js';
import type { CommandListener, Executor } from './executor.js';
import { LocalExecutor } from './local.js';

export interface HostConnection {
  executor: Executor;
  /** The docker command on that host, split into argv (e.g. ['sudo', '-n', 'docker']). */
  dockerCommand: string[];
  /**
   * Where to connect, from here, to a port published on that host at `bindAddress` (as docker
   * reports it). Local: loopback for wildcard binds. Remote: a tunnel through the SSH connection.
   */
  endpoint(bindAddress: string | undefined, port: number): Promise<HealthEndpoint>;
}

export interface HostConnector {
  open(host: string): Promise<HostConnection>;
}

export interface ConnectorOptions {
  /** The hosts inventory, read only when a remote host is opened. */
  hosts: () => Promise<HostsFile>;
  /** Working directory for local docker commands: relative paths in a command resolve from it. */
  cwd?: string;
  onCommand?: CommandListener;
}

export class DefaultConnector implements HostConnector {
  constructor(private readonly options: ConnectorOptions) {}

  open(host: string): Promise<HostConnection> {
    if (isLocalHost(host)) {
      const executor = new LocalExecutor({
        ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
        ...(this.options.onCommand ? { onCommand: this.options.onCommand } : {}),
      });
      return Promise.resolve({ executor, dockerCommand: ['docker'], endpoint: (bind, port) => Promise.resolve(localEndpoint(bind, port)) });
    }
    return Promise.reject(new HostUnreachableError(`${host}: remote hosts are not supported by this version (SSH executor pending)`, 'REMOTE_UNSUPPORTED'));
  }
}

const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]']);

export function localEndpoint(bindAddress: string | undefined, port: number): HealthEndpoint {
  return { address: bindAddress === undefined || WILDCARDS.has(bindAddress) ? '127.0.0.1' : bindAddress, port };
}

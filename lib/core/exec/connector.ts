/**
 * Opens the executor for a host: this machine for `localhost`; a remote host over SSH (issue #4).
 * One connection per host for a whole command: callers open once and close at the end.
 */
import type { HostsFile } from '../../data/models.js';
import { HostUnreachableError } from '../../errors.js';
import { isLocalHost } from '../hostRef.js';
import type { CommandListener, Executor } from './executor.js';
import { LocalExecutor } from './local.js';

export interface HostConnection {
  executor: Executor;
  /** The docker command on that host, split into argv (e.g. ['sudo', '-n', 'docker']). */
  dockerCommand: string[];
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
      return Promise.resolve({ executor, dockerCommand: ['docker'] });
    }
    return Promise.reject(new HostUnreachableError(`${host}: remote hosts are not supported by this version (SSH executor pending)`, 'REMOTE_UNSUPPORTED'));
  }
}

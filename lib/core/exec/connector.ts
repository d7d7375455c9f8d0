/**
 * Opens the executor for a host: this machine (execa) for `localhost`, SSH for anything else.
 * One connection per host for a whole command: callers open once and close at the end. The SSH
 * code (ssh2 is large) is loaded only when a remote host is opened.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { HostsFile } from '../../data/models.js';
import type { HealthEndpoint } from '../health.js';
import { isLocalHost } from '../hostRef.js';
import type { CommandListener, Executor } from './executor.js';
import { LocalExecutor } from './local.js';
import { resolveSshTarget, type SshEnvironment } from './sshTarget.js';

export interface HostConnection {
  executor: Executor;
  /** The docker command on that host, split into argv (e.g. ['sudo', '-n', 'docker']). */
  dockerCommand: string[];
  /**
   * Where to connect, from here, to a port published on that host at `bindAddress` (as docker
   * reports it). Local: loopback for wildcard binds. Remote: the host directly when it answers
   * there, else a tunnel through the SSH connection.
   */
  endpoint(bindAddress: string | undefined, port: number): Promise<HealthEndpoint>;
  /** Whether the connection still works (an SSH connection can drop); absent: always. */
  alive?(): boolean;
}

export interface HostConnector {
  open(host: string): Promise<HostConnection>;
  /** The docker command on that host (hosts.yaml `docker:`), known without connecting. */
  dockerCommand(host: string): Promise<string[]>;
}

export interface ConnectorOptions {
  /** The hosts inventory, read only when a remote host is opened. */
  hosts: () => Promise<HostsFile>;
  /** Working directory for local docker commands: relative paths in a command resolve from it. */
  cwd?: string;
  onCommand?: CommandListener;
  /** The process environment (HOME, USER, SSH_AUTH_SOCK, MSM_SSH_PASSWORD). */
  env: Readonly<Record<string, string | undefined>>;
  acceptNewHostKeys?: boolean;
  /** Prompt for an SSH password (only when a person is at a terminal). */
  askPassword?: (prompt: string) => Promise<string>;
}

const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]']);

export function localEndpoint(bindAddress: string | undefined, port: number): HealthEndpoint {
  return { address: bindAddress === undefined || WILDCARDS.has(bindAddress) ? '127.0.0.1' : bindAddress, port };
}

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address === 'localhost';
}

function answersTcp(address: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export class DefaultConnector implements HostConnector {
  private sshEnv: SshEnvironment | undefined;

  constructor(private readonly options: ConnectorOptions) {}

  async open(host: string): Promise<HostConnection> {
    if (isLocalHost(host)) {
      const executor = new LocalExecutor({
        ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
        ...(this.options.onCommand ? { onCommand: this.options.onCommand } : {}),
      });
      return { executor, dockerCommand: ['docker'], endpoint: (bind, port) => Promise.resolve(localEndpoint(bind, port)) };
    }
    const target = resolveSshTarget(host, await this.options.hosts(), this.environment());
    const { SshExecutor } = await import('./ssh.js');
    const { env } = this.options;
    const executor = await SshExecutor.connect(target, {
      ...(this.options.onCommand ? { onCommand: this.options.onCommand } : {}),
      ...(env.SSH_AUTH_SOCK ? { agentSocket: env.SSH_AUTH_SOCK } : {}),
      ...(env.MSM_SSH_PASSWORD !== undefined ? { password: env.MSM_SSH_PASSWORD } : {}),
      ...(this.options.askPassword ? { askPassword: this.options.askPassword } : {}),
    });
    return {
      executor,
      dockerCommand: target.dockerCommand,
      alive: () => executor.isConnected(),
      endpoint: async (bind, port) => {
        const remoteBind = bind === undefined || WILDCARDS.has(bind) ? undefined : bind;
        if (!remoteBind && (await answersTcp(target.address, port, 1000))) return { address: target.address, port };
        if (remoteBind && !isLoopback(remoteBind) && (await answersTcp(remoteBind, port, 1000))) return { address: remoteBind, port };
        return executor.forward(remoteBind ?? '127.0.0.1', port);
      },
    };
  }

  async dockerCommand(host: string): Promise<string[]> {
    if (isLocalHost(host)) return ['docker'];
    return resolveSshTarget(host, await this.options.hosts(), this.environment()).dockerCommand;
  }

  private environment(): SshEnvironment {
    if (!this.sshEnv) {
      const { env } = this.options;
      const home = env.HOME || os.homedir();
      const sshDir = path.join(home, '.ssh');
      const read = (file: string) => {
        try {
          return fs.readFileSync(file, 'utf8');
        } catch {
          return '';
        }
      };
      this.sshEnv = {
        home,
        username: env.USER || env.LOGNAME || os.userInfo().username,
        sshConfig: read(path.join(sshDir, 'config')),
        defaultIdentities: ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => path.join(sshDir, name)).filter((file) => fs.existsSync(file)),
        ...(this.options.acceptNewHostKeys ? { acceptNewHostKeys: true } : {}),
      };
    }
    return this.sshEnv;
  }
}

/**
 * Executor for a remote host over SSH (node-ssh on ssh2). One connection per host for a whole
 * command, reused for every docker call; each argv element is POSIX-single-quoted exactly once,
 * here, because sshd hands the command line to the remote user's shell.
 *
 * The host key is checked against known_hosts before any command runs: unknown or changed keys
 * refuse the host with the fingerprint and how to trust it; with accept-new, an unknown key is
 * recorded (a changed one never is).
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { NodeSSH, type Config } from 'node-ssh';
import type { ClientChannel } from 'ssh2';
import { HostUnreachableError, MsmError } from '../../errors.js';
import type { HealthEndpoint } from '../health.js';
import type { CommandListener, ExecOptions, ExecResult, Executor, InteractiveOptions, InteractiveProcess, StreamOptions } from './executor.js';
import { INTERACTIVE_WRAPPER, shownCommand, STOP_GRACE_MS } from './executor.js';
import { fingerprintOf, hostKeyName, keyTypeOf, knownHostsLine, parseKnownHosts, preferredHostKeyAlgorithms, verifyHostKey, type HostKeyVerdict } from './knownHosts.js';
import { quoteArgv } from './shellQuote.js';
import type { SshTarget } from './sshTarget.js';

export const CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_COMMAND_TIMEOUT_MS = 120_000;

export class HostKeyError extends MsmError {
  constructor(message: string) {
    super(message, 'HOST_KEY_REJECTED', 1);
  }
}

export interface SshOptions {
  onCommand?: CommandListener;
  /** From MSM_SSH_PASSWORD; never stored. */
  password?: string;
  /** Asks the person at the terminal (only given when there is one); the answer is never stored. */
  askPassword?: (prompt: string) => Promise<string>;
  agentSocket?: string;
}

async function readText(file: string): Promise<string> {
  return fs.readFile(file, 'utf8').catch(() => '');
}

export class SshExecutor implements Executor {
  readonly host: string;
  private readonly ssh = new NodeSSH();
  private jump: NodeSSH | undefined;
  private home: string | undefined;
  private readonly forwards = new Map<string, Promise<net.Server>>();

  private constructor(
    private readonly target: SshTarget,
    private readonly options: SshOptions,
  ) {
    this.host = target.name;
  }

  static async connect(target: SshTarget, options: SshOptions = {}): Promise<SshExecutor> {
    const executor = new SshExecutor(target, options);
    try {
      await executor.open();
    } catch (err) {
      // Keys and agent refused, and someone is at the terminal: ask once for a password.
      const authFailed = err instanceof HostUnreachableError && err.code === 'SSH_AUTH';
      if (!authFailed || !options.askPassword || options.password !== undefined) throw err;
      const password = await options.askPassword(`Password for ${target.username}@${target.address}: `);
      return SshExecutor.connect(target, { ...options, password });
    }
    return executor;
  }

  private describe(): string {
    return `${this.target.name}${this.target.address !== this.target.name ? ` (${this.target.address}:${this.target.port})` : `:${this.target.port}`}`;
  }

  private async authConfig(): Promise<Partial<Config>> {
    const handlers: unknown[] = [];
    const { username } = this.target;
    if (this.options.agentSocket) handlers.push({ type: 'agent', username, agent: this.options.agentSocket });
    for (const file of this.target.identityFiles) {
      const key = await fs.readFile(file, 'utf8').catch(() => undefined);
      if (key) handlers.push({ type: 'publickey', username, key });
    }
    if (this.options.password !== undefined) handlers.push({ type: 'password', username, password: this.options.password });
    if (handlers.length === 0) {
      throw new HostUnreachableError(`${this.describe()}: no way to authenticate (no ssh-agent, no identity file, no MSM_SSH_PASSWORD)`, 'SSH_AUTH');
    }
    return { username, authHandler: handlers as Config['authHandler'] };
  }

  private async open(): Promise<void> {
    const known = parseKnownHosts((await Promise.all(this.target.knownHostsFiles.map(readText))).join('\n'));
    const names = [...new Set([hostKeyName(this.target.address, this.target.port), hostKeyName(this.target.name, this.target.port)])];
    let verdict: HostKeyVerdict | undefined;
    let seenKey: Buffer | undefined;
    const hostVerifier = (key: Buffer): boolean => {
      seenKey = key;
      verdict = verifyHostKey(known, names, key);
      return verdict.kind === 'known' || (verdict.kind === 'unknown' && this.target.acceptNewHostKeys);
    };
    const preferred = preferredHostKeyAlgorithms(known, names);
    const config: Config = {
      host: this.target.address,
      port: this.target.port,
      readyTimeout: CONNECT_TIMEOUT_MS,
      // ssh2's defaults, with the algorithms of the key types already known for this host moved first.
      ...(preferred.length > 0 ? { algorithms: { serverHostKey: { remove: preferred, prepend: preferred } as never } } : {}),
      keepaliveInterval: 15_000,
      keepaliveCountMax: 3,
      hostVerifier,
      ...(await this.authConfig()),
    };
    if (this.target.proxyJump) config.sock = await this.openJump(this.target.proxyJump);
    try {
      await this.ssh.connect(config);
    } catch (err) {
      throw this.connectError(err, verdict, seenKey);
    }
    // A connection lost later (reset, host gone, keepalives unanswered) emits 'error' then 'close';
    // an 'error' nobody listens to would end the whole process (mcp serve with every other host).
    // Commands in flight fail on their own channels, and the closed connection reports itself
    // through isConnected().
    this.ssh.connection?.on('error', () => undefined);
    if (verdict?.kind === 'unknown' && seenKey) await this.recordHostKey(names[0] as string, seenKey);
  }

  /** ProxyJump: connect to the jump host (same key checks), then tunnel to the target through it. */
  private async openJump(spec: string): Promise<NonNullable<Config['sock']>> {
    const match = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(spec);
    if (!match) throw new HostUnreachableError(`${this.describe()}: cannot read ProxyJump "${spec}"`, 'SSH_CONFIG');
    const jumpTarget: SshTarget = {
      ...this.target,
      name: match[2] as string,
      address: (match[2] as string).replace(/^\[|\]$/g, ''),
      port: match[3] ? Number(match[3]) : 22,
      username: match[1] ?? this.target.username,
    };
    delete jumpTarget.proxyJump;
    const jump = await SshExecutor.connect(jumpTarget, this.options);
    this.jump = jump.ssh;
    return (await jump.ssh.forwardOut('127.0.0.1', 0, this.target.address, this.target.port)) as unknown as NonNullable<Config['sock']>;
  }

  private connectError(err: unknown, verdict: HostKeyVerdict | undefined, key: Buffer | undefined): MsmError {
    const where = this.describe();
    if (key && verdict && verdict.kind !== 'known' && !(verdict.kind === 'unknown' && this.target.acceptNewHostKeys)) {
      const fingerprint = `${keyTypeOf(key)} ${fingerprintOf(key)}`;
      const keyscan = `ssh-keyscan -p ${this.target.port} ${this.target.address} >> ~/.ssh/known_hosts`;
      if (verdict.kind === 'unknown') {
        return new HostKeyError(
          `${where}: host key not trusted: ${fingerprint} is not in known_hosts; check the fingerprint, then run \`mcp hosts check ${this.target.name} --accept-new-host-keys\` (or ${keyscan})`,
        );
      }
      if (verdict.kind === 'revoked') return new HostKeyError(`${where}: host key ${fingerprint} is marked @revoked in known_hosts; refusing`);
      if (verdict.kind === 'other-type') {
        return new HostKeyError(
          `${where}: host key not trusted: the host offered ${fingerprint}, a key type known_hosts has none of for it (it has ${verdict.knownTypes.join(', ')}); check the fingerprint, then add it (ssh-keyscan -t ${keyTypeOf(key)} -p ${this.target.port} ${this.target.address} >> ~/.ssh/known_hosts)`,
        );
      }
      return new HostKeyError(
        `${where}: HOST KEY CHANGED: the host offered ${fingerprint} but known_hosts has another ${verdict.knownTypes.join('/')} key; refusing (possible man-in-the-middle; if the host was reinstalled, remove the old line with \`ssh-keygen -R ${hostKeyName(this.target.address, this.target.port)}\`)`,
      );
    }
    const error = err as { code?: string; level?: string; message?: string };
    let reason = error.message ?? String(err);
    if (error.code === 'ECONNREFUSED') reason = 'connection refused';
    else if (error.code === 'EHOSTUNREACH' || error.code === 'ENETUNREACH') reason = 'no route to host';
    else if (error.code === 'ENOTFOUND') reason = 'unknown host name';
    else if (/Timed out while waiting for handshake/i.test(reason)) reason = `no answer within ${CONNECT_TIMEOUT_MS / 1000} s`;
    else if (error.level === 'client-authentication') {
      return new HostUnreachableError(`${where}: cannot connect: authentication failed for user "${this.target.username}"`, 'SSH_AUTH', { cause: err });
    }
    return new HostUnreachableError(`${where}: cannot connect: ${reason}`, 'SSH_CONNECT', { cause: err });
  }

  private async recordHostKey(name: string, key: Buffer): Promise<void> {
    const file = this.target.knownHostsFiles.at(-1) as string;
    await fs.mkdir(file.slice(0, file.lastIndexOf('/')), { recursive: true, mode: 0o700 });
    await fs.appendFile(file, `${knownHostsLine(name, key)}\n`, { mode: 0o600 });
  }

  private announce(argv: readonly string[], options: { display?: readonly string[] } | undefined): void {
    this.options.onCommand?.(this.host, shownCommand(argv, options));
  }

  /**
   * Environment cannot travel over SSH without the server's AcceptEnv, and `env K=V` would show
   * values in the remote process list: callers put what docker needs into the argv instead
   * (RunContext.inlineClientEnv), so an env here is a programming error.
   */
  private commandLine(argv: readonly string[], options: { env?: Readonly<Record<string, string>> } | undefined): string {
    if (options?.env && Object.keys(options.env).length > 0) throw new Error('SshExecutor cannot pass an environment');
    return quoteArgv(argv);
  }

  run(argv: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    this.announce(argv, options);
    return this.execute(argv, options, undefined);
  }

  /**
   * sshd does not act on "signal" requests and a closed channel leaves a quiet remote process
   * (`docker logs -f` on an idle container) running until it next writes. So a streamed command
   * runs under a small sh wrapper that kills it when our end of stdin closes. The argv travels as
   * sh's positional parameters ("$@"), never as script text.
   */
  stream(argv: readonly string[], options: StreamOptions): Promise<ExecResult> {
    // (An asynchronous list's stdin is /dev/null unless redirected, hence fd 3.)
    const wrapper = 'exec 3<&0; "$@" </dev/null & pid=$!; (read -r _ <&3; kill $pid 2>/dev/null) & wait $pid';
    this.announce(argv, options);
    return this.execute(['sh', '-c', wrapper, 'sh', ...argv], options, options);
  }

  private async execute(argv: readonly string[], options: ExecOptions | undefined, stream: StreamOptions | undefined): Promise<ExecResult> {
    let channel: ClientChannel | undefined;
    let timedOut = false;
    const timeoutMs = options?.timeoutMs ?? (stream ? 0 : DEFAULT_COMMAND_TIMEOUT_MS);
    // On abort: EOF on stdin (ends a streamed command's wrapper), then close; don't wait forever.
    let abandoned: (() => void) | undefined;
    // At the deadline we stop waiting; sshd may hold the channel until the remote command ends, and
    // that command is left to finish (a stop, a create): the caller reads the state again.
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            channel?.close();
            abandoned?.();
          }, timeoutMs)
        : undefined;
    // node-ssh ends stdin at once unless given a stream: a streamed command gets one that stays open.
    const stdin = stream ? new PassThrough() : undefined;
    const abort = () => {
      stdin?.end();
      setTimeout(() => channel?.close(), 200).unref();
      setTimeout(() => abandoned?.(), 1000).unref();
    };
    options?.signal?.addEventListener('abort', abort, { once: true });
    try {
      const gaveUp = new Promise<null>((resolve) => (abandoned = () => resolve(null)));
      const running = this.ssh.execCommand(this.commandLine(argv, options), {
        noTrim: true,
        ...(stdin ? { stdin } : {}),
        onChannel: (c) => {
          channel = c;
        },
        ...(stream ? { onStdout: (chunk: Buffer) => stream.onStdout(chunk.toString('utf8')), onStderr: (chunk: Buffer) => stream.onStderr(chunk.toString('utf8')) } : {}),
      });
      const response = await Promise.race([running, gaveUp]);
      if (!response && timedOut) return { stdout: '', stderr: '', exitCode: 255, timedOut: true };
      if (options?.signal?.aborted || !response) return { stdout: '', stderr: '', exitCode: 0 };
      // A channel that closes without an exit status (sshd killed, connection lost, timeout) failed.
      const exitCode = response.code ?? 255;
      const stderr = response.code === null && !timedOut ? `${response.stderr}\nthe SSH channel closed without an exit status${response.signal ? ` (signal ${response.signal})` : ''}` : response.stderr;
      return { stdout: response.stdout, stderr, exitCode, ...(timedOut ? { timedOut: true } : {}) };
    } catch (err) {
      throw new HostUnreachableError(`${this.describe()}: SSH command failed: ${(err as Error).message}`, 'SSH_EXEC', { cause: err });
    } finally {
      if (timer) clearTimeout(timer);
      options?.signal?.removeEventListener('abort', abort);
    }
  }

  /**
   * An exec channel is the process's stdin (write) and stdout (read). Closing the channel makes
   * sshd close the remote stdin, which the wrapper turns into the end of the command.
   */
  async spawn(argv: readonly string[], options: InteractiveOptions = {}): Promise<InteractiveProcess> {
    this.announce(argv, options);
    const connection = this.ssh.connection;
    if (!connection) throw new HostUnreachableError(`${this.describe()}: not connected`, 'SSH_EXEC');
    const channel = await new Promise<ClientChannel>((resolve, reject) => {
      connection.exec(this.commandLine([...INTERACTIVE_WRAPPER, ...argv], options), (err, opened) => {
        if (err) reject(new HostUnreachableError(`${this.describe()}: SSH command failed: ${err.message}`, 'SSH_EXEC', { cause: err }));
        else resolve(opened);
      });
    });
    channel.stderr.setEncoding('utf8').on('data', (chunk: string) => options.onStderr?.(chunk));
    channel.on('error', () => undefined);
    let status: number | null = null;
    channel.on('exit', (code: number | null) => {
      status = typeof code === 'number' ? code : null;
    });
    const exited = new Promise<number | null>((resolve) => channel.once('close', () => resolve(status)));
    let ended = false;
    void exited.then(() => (ended = true));
    return {
      stdin: channel,
      stdout: channel,
      exited,
      stop: () => {
        channel.end();
        setTimeout(() => {
          if (!ended) channel.close();
        }, STOP_GRACE_MS).unref();
      },
    };
  }

  async homeDir(): Promise<string> {
    if (this.home === undefined) {
      const result = await this.run(['printenv', 'HOME']);
      this.home = result.exitCode === 0 && result.stdout.trim() ? result.stdout.trim() : `/home/${this.target.username}`;
    }
    return this.home;
  }

  /**
   * A local loopback port forwarded through this connection to `address:port` as seen from the
   * remote host (direct-tcpip), for health checks of servers not reachable from here.
   */
  forward(address: string, port: number): Promise<HealthEndpoint> {
    // One listener per destination for the life of the connection: a warm connection (mcp serve)
    // is asked for the same forward on every health check.
    const key = `${address}:${port}`;
    let server = this.forwards.get(key);
    if (!server) {
      server = this.listenForward(address, port);
      this.forwards.set(key, server);
    }
    return server.then((listening) => {
      const bound = listening.address();
      return { address: '127.0.0.1', port: typeof bound === 'object' && bound ? bound.port : 0 };
    });
  }

  private async listenForward(address: string, port: number): Promise<net.Server> {
    const server = net.createServer((socket) => {
      this.ssh
        .forwardOut('127.0.0.1', 0, address, port)
        .then((channel) => {
          socket.pipe(channel).pipe(socket);
          channel.on('error', () => socket.destroy());
          socket.on('error', () => channel.close());
        })
        .catch(() => socket.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  /** False once the connection has ended (closed by either side, or lost). */
  isConnected(): boolean {
    return this.ssh.isConnected();
  }

  async close(): Promise<void> {
    for (const server of this.forwards.values()) void server.then((s) => s.close());
    this.ssh.dispose();
    this.jump?.dispose();
  }
}

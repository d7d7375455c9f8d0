/**
 * Warm connections for a long-running service: one connection per host, opened on first use and
 * shared by every request (so a fleet request pays a round trip per host, not an SSH handshake),
 * reopened when it drops, closed after `idleMs` unused. A host that cannot be reached is retried
 * with exponential backoff; until the next attempt is due, callers get the last error at once
 * instead of each waiting out a connect timeout. SSH keepalives are the executor's (ssh.ts).
 *
 * Callers use it like any connector: `open` hands out a lease whose `executor.close()` gives the
 * connection back instead of closing it.
 */
import type { HostConnection, HostConnector } from './connector.js';
import type { ExecOptions, Executor, StreamOptions } from './executor.js';

export interface PoolOptions {
  /** Close a connection nobody has used for this long. */
  idleMs?: number;
  /** First wait before retrying a host that failed; doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /**
   * Commands run at once over one connection. sshd allows 10 sessions per connection by default
   * (MaxSessions); more would be refused as channel open failures. Streams (log follows) are not
   * counted: they would hold a slot for as long as a client watches.
   */
  maxConcurrentCommands?: number;
  now?: () => number;
}

const DEFAULTS = { idleMs: 5 * 60_000, backoffMs: 1000, maxBackoffMs: 30_000, maxConcurrentCommands: 8 };

export class PooledConnector implements HostConnector {
  private readonly hosts = new Map<string, PooledHost>();
  private readonly settings: Required<PoolOptions>;

  constructor(
    private readonly inner: HostConnector,
    options: PoolOptions = {},
  ) {
    this.settings = { ...DEFAULTS, now: Date.now, ...options };
  }

  async open(host: string): Promise<HostConnection> {
    let pooled = this.hosts.get(host);
    if (!pooled) {
      pooled = new PooledHost(host, this.inner, this.settings);
      this.hosts.set(host, pooled);
    }
    return pooled.lease();
  }

  dockerCommand(host: string): Promise<string[]> {
    return this.inner.dockerCommand(host);
  }

  /** How many connections are open now (for tests and benchmarks). */
  get openConnections(): number {
    return [...this.hosts.values()].filter((pooled) => pooled.isOpen).length;
  }

  async close(): Promise<void> {
    await Promise.all([...this.hosts.values()].map((pooled) => pooled.close()));
    this.hosts.clear();
  }
}

class PooledHost {
  private connection: HostConnection | undefined;
  private connecting: Promise<HostConnection> | undefined;
  private leases = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private retryAt = 0;
  private lastError: unknown;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly host: string,
    private readonly inner: HostConnector,
    private readonly settings: Required<PoolOptions>,
  ) {}

  get isOpen(): boolean {
    return this.connection !== undefined;
  }

  async lease(): Promise<HostConnection> {
    const connection = await this.acquire();
    this.leases += 1;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    let returned = false;
    const giveBack = async () => {
      if (returned) return;
      returned = true;
      this.leases -= 1;
      if (this.leases === 0) this.idleTimer = setTimeout(() => void this.close(), this.settings.idleMs).unref();
    };
    return { ...connection, executor: this.leasedExecutor(connection.executor, giveBack) };
  }

  private async acquire(): Promise<HostConnection> {
    if (this.connection && (this.connection.alive?.() ?? true)) return this.connection;
    if (this.connection) {
      // Dropped (host rebooted, network cut): let it go and open a new one.
      const dead = this.connection;
      this.connection = undefined;
      void dead.executor.close().catch(() => undefined);
    }
    if (!this.connecting) {
      if (this.settings.now() < this.retryAt) throw this.lastError;
      this.connecting = this.inner.open(this.host).then(
        (connection) => {
          this.connection = connection;
          this.failures = 0;
          return connection;
        },
        (err: unknown) => {
          this.failures += 1;
          this.lastError = err;
          this.retryAt = this.settings.now() + Math.min(this.settings.maxBackoffMs, this.settings.backoffMs * 2 ** (this.failures - 1));
          throw err;
        },
      );
      void this.connecting.finally(() => (this.connecting = undefined)).catch(() => undefined);
    }
    return this.connecting;
  }

  /** The shared executor, with `close` returning the lease and commands bounded per connection. */
  private leasedExecutor(executor: Executor, giveBack: () => Promise<void>): Executor {
    const bounded = async <T>(work: () => Promise<T>): Promise<T> => {
      if (this.running >= this.settings.maxConcurrentCommands) await new Promise<void>((resolve) => this.waiting.push(resolve));
      this.running += 1;
      try {
        return await work();
      } finally {
        this.running -= 1;
        this.waiting.shift()?.();
      }
    };
    return {
      host: executor.host,
      run: (argv: readonly string[], options?: ExecOptions) => bounded(() => executor.run(argv, options)),
      stream: (argv: readonly string[], options: StreamOptions) => executor.stream(argv, options),
      homeDir: () => executor.homeDir(),
      close: giveBack,
    };
  }

  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const connection = this.connection;
    this.connection = undefined;
    await connection?.executor.close();
  }
}

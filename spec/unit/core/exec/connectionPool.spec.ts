/** The pool's own rules, over a counting connector (the real SSH side is in the integration tests). */
import { jest } from '@jest/globals';
import { PooledConnector } from '../../../../lib/core/exec/connectionPool.js';
import type { HostConnection, HostConnector } from '../../../../lib/core/exec/connector.js';
import type { ExecResult, Executor } from '../../../../lib/core/exec/executor.js';
import { HostUnreachableError } from '../../../../lib/errors.js';

class CountingConnector implements HostConnector {
  opened = 0;
  closed = 0;
  failNext = 0;
  alive = true;
  running = 0;
  maxRunning = 0;
  release: (() => void)[] = [];

  async dockerCommand(): Promise<string[]> {
    return ['docker'];
  }

  async open(host: string): Promise<HostConnection> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new HostUnreachableError(`${host}: cannot connect: connection refused`);
    }
    this.opened += 1;
    const executor: Executor = {
      host,
      run: async (): Promise<ExecResult> => {
        this.running += 1;
        this.maxRunning = Math.max(this.maxRunning, this.running);
        await new Promise<void>((resolve) => this.release.push(resolve));
        this.running -= 1;
        return { stdout: '', stderr: '', exitCode: 0 };
      },
      stream: async () => ({ stdout: '', stderr: '', exitCode: 0 }),
      homeDir: async () => '/home/x',
      close: async () => {
        this.closed += 1;
      },
    };
    return { executor, dockerCommand: ['docker'], endpoint: async (_bind, port) => ({ address: '127.0.0.1', port }), alive: () => this.alive };
  }
}

describe('PooledConnector', () => {
  it('opens one connection per host, shared by every lease, and keeps it when leases close', async () => {
    const inner = new CountingConnector();
    const pool = new PooledConnector(inner);
    const leases = await Promise.all([pool.open('h1'), pool.open('h1'), pool.open('h1'), pool.open('h2')]);
    expect(inner.opened).toBe(2);
    for (const lease of leases) await lease.executor.close();
    expect(inner.closed).toBe(0);
    await (await pool.open('h1')).executor.close();
    expect(inner.opened).toBe(2);
    await pool.close();
    expect(inner.closed).toBe(2);
  });

  it('reopens a connection that dropped', async () => {
    const inner = new CountingConnector();
    const pool = new PooledConnector(inner);
    await (await pool.open('h1')).executor.close();
    inner.alive = false;
    await pool.open('h1');
    expect(inner.opened).toBe(2);
    expect(inner.closed).toBe(1);
    await pool.close();
  });

  it('backs off after a failure: callers get the error at once until the retry is due', async () => {
    let now = 0;
    const inner = new CountingConnector();
    const pool = new PooledConnector(inner, { backoffMs: 1000, maxBackoffMs: 4000, now: () => now });
    inner.failNext = 2;
    await expect(pool.open('h1')).rejects.toThrow('connection refused');
    await expect(pool.open('h1')).rejects.toThrow('connection refused');
    expect(inner.failNext).toBe(1);
    now = 1000;
    await expect(pool.open('h1')).rejects.toThrow('connection refused');
    now = 2999;
    await expect(pool.open('h1')).rejects.toThrow('connection refused');
    expect(inner.failNext).toBe(0);
    now = 3000;
    await pool.open('h1');
    expect(inner.opened).toBe(1);
    await pool.close();
  });

  it('closes a connection left idle', async () => {
    jest.useFakeTimers();
    try {
      const inner = new CountingConnector();
      const pool = new PooledConnector(inner, { idleMs: 60_000 });
      await (await pool.open('h1')).executor.close();
      jest.advanceTimersByTime(59_000);
      expect(inner.closed).toBe(0);
      jest.advanceTimersByTime(2000);
      await Promise.resolve();
      expect(inner.closed).toBe(1);
      expect(pool.openConnections).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('runs at most maxConcurrentCommands at once over one connection', async () => {
    const inner = new CountingConnector();
    const pool = new PooledConnector(inner, { maxConcurrentCommands: 3 });
    const lease = await pool.open('h1');
    const runs = Array.from({ length: 7 }, () => lease.executor.run(['docker', 'ps']));
    await new Promise((resolve) => setImmediate(resolve));
    expect(inner.running).toBe(3);
    while (inner.release.length > 0 || inner.running > 0) {
      inner.release.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(runs);
    expect(inner.maxRunning).toBe(3);
    await pool.close();
  });
});

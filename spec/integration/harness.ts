/**
 * Integration harness: runs the BUILT cli (`npm run build` first, as `npm test` does) as a real
 * process against the real docker engine, with a private registry file per test.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built CLI; MSM_IT_CLI points the tests at another build (e.g. the old one, to see a bug test fail). */
export const CLI = path.resolve(ROOT, process.env.MSM_IT_CLI ?? 'dist/mcp.js');
export const TEST_IMAGE = 'msm-test-mcp:latest';
export const BUSYBOX_IMAGE = 'msm-busybox:latest';

export interface Run {
  stdout: string;
  stderr: string;
  exitCode: number;
}

function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...process.env, NO_COLOR: '1', ...env }, cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ stdout, stderr, exitCode: code });
    });
  });
}

export function docker(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return run('docker', args, env);
}

/** A throwaway registry location and helpers bound to it. */
export class Sandbox {
  readonly prefix = `t${process.pid.toString(36)}${Math.random().toString(36).slice(2, 6)}`;

  private constructor(readonly dir: string) {}

  static async create(): Promise<Sandbox> {
    return new Sandbox(await fs.mkdtemp(path.join(os.tmpdir(), 'msm-it-')));
  }

  get registry(): string {
    return path.join(this.dir, 'registry.yaml');
  }

  /** The CLI's $XDG_STATE_HOME: its state files stay in the sandbox. */
  get stateHome(): string {
    return path.join(this.dir, 'state');
  }

  /** A server name unique to this sandbox, so parallel runs and leftovers never collide. */
  name(base: string): string {
    return `${this.prefix}-${base}`;
  }

  mcp(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
    return run(process.execPath, [CLI, ...args], { MSM_REGISTRY: this.registry, MSM_HOSTS: path.join(this.dir, 'hosts.yaml'), XDG_STATE_HOME: this.stateHome, ...env }, this.dir);
  }

  /**
   * Start mcp as the leader of its own process group (as a shell does for a foreground job), so a
   * test can signal the whole group the way Ctrl-C at a terminal does.
   */
  spawnMcp(args: readonly string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<Run> } {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: this.dir,
      detached: true,
      env: { ...process.env, NO_COLOR: '1', MSM_REGISTRY: this.registry, MSM_HOSTS: path.join(this.dir, 'hosts.yaml'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const done = new Promise<Run>((resolve) => child.on('close', (code, signal) => resolve({ stdout, stderr, exitCode: code ?? 128 + (signal ? os.constants.signals[signal] : 0) })));
    return { child, done };
  }

  async mcpJson<T>(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<T> {
    const result = await this.mcp([...args, '--json'], env);
    try {
      return JSON.parse(result.stdout) as T;
    } catch {
      throw new Error(`mcp ${args.join(' ')} --json printed no JSON (exit ${result.exitCode}): ${result.stdout}${result.stderr}`);
    }
  }

  async readRegistry(): Promise<string | undefined> {
    return fs.readFile(this.registry, 'utf8').catch(() => undefined);
  }

  /** Remove every container this sandbox created, and its files. */
  async dispose(): Promise<void> {
    const ids = await docker(['ps', '-aq', '--filter', 'label=msm.name']);
    const mine: string[] = [];
    for (const id of ids.stdout.split('\n').filter(Boolean)) {
      const label = await docker(['inspect', '--format', '{{index .Config.Labels "msm.name"}}', id]);
      if (label.stdout.trim().startsWith(this.prefix)) mine.push(id);
    }
    if (mine.length > 0) await docker(['rm', '-f', ...mine]);
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

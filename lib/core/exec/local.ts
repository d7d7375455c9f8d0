/** Executor for this machine, on execa. */
import os from 'node:os';
import { execa, type Options } from 'execa';
import { HostUnreachableError } from '../../errors.js';
import type { CommandListener, ExecOptions, ExecResult, Executor, InteractiveOptions, InteractiveProcess, StreamOptions } from './executor.js';
import { INTERACTIVE_WRAPPER, shownCommand, STOP_GRACE_MS } from './executor.js';

export class LocalExecutor implements Executor {
  readonly host = 'localhost';

  constructor(
    private readonly options: { cwd?: string; onCommand?: CommandListener } = {},
  ) {}

  private execaOptions(options: ExecOptions | undefined): Options {
    return {
      reject: false,
      stdin: 'ignore',
      stripFinalNewline: false,
      env: options?.env ? { ...options.env } : {},
      extendEnv: true,
      ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
      ...(options?.timeoutMs ? { timeout: options.timeoutMs } : {}),
      ...(options?.signal ? { cancelSignal: options.signal } : {}),
    };
  }

  private announce(argv: readonly string[], options: { display?: readonly string[] } | undefined): void {
    this.options.onCommand?.(this.host, shownCommand(argv, options));
  }

  /**
   * A docker command that changes things must run to its end whatever happens to us: Ctrl-C at a
   * terminal signals the whole foreground process group, and a docker client interrupted between
   * create and start leaves a half-made container (or, attached, passes the signal to it). So it
   * runs in its own process group (`detached`), is not killed when we exit (`cleanup: false`), and
   * the caller decides when to stop waiting. Only a deadline kills it, SIGKILL 2 s after SIGTERM.
   */
  async run(argv: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    const [file, ...args] = argv;
    if (!file) throw new Error('empty argv');
    this.announce(argv, options);
    const result = await execa(file, args, { ...this.execaOptions(options), encoding: 'utf8', detached: true, cleanup: false, forceKillAfterDelay: 2000 });
    return this.toResult(file, result);
  }

  async stream(argv: readonly string[], options: StreamOptions): Promise<ExecResult> {
    const [file, ...args] = argv;
    if (!file) throw new Error('empty argv');
    this.announce(argv, options);
    const child = execa(file, args, { ...this.execaOptions(options), encoding: 'utf8', buffer: false });
    child.stdout?.setEncoding('utf8').on('data', options.onStdout);
    child.stderr?.setEncoding('utf8').on('data', options.onStderr);
    const result = await child;
    if (options.signal?.aborted) return { stdout: '', stderr: '', exitCode: 0 };
    return this.toResult(file, result);
  }

  /** Detached, so the wrapper's `kill 0` reaches its own process group and never ours. */
  async spawn(argv: readonly string[], options: InteractiveOptions = {}): Promise<InteractiveProcess> {
    if (argv.length === 0) throw new Error('empty argv');
    this.announce(argv, options);
    const [shell, ...shellArgs] = INTERACTIVE_WRAPPER;
    const child = execa(shell, [...shellArgs, ...argv], {
      reject: false,
      detached: true,
      buffer: false,
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
      env: options.env ? { ...options.env } : {},
      extendEnv: true,
      ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => options.onStderr?.(chunk));
    child.stdin?.on('error', () => undefined);
    const exited = child.then((result) => (result.signal ? null : (result.exitCode ?? null)));
    let ended = false;
    void exited.then(() => (ended = true));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (err) => reject(new HostUnreachableError(`localhost: cannot start ${argv[0]}: ${err.message}`, 'PROGRAM_NOT_FOUND')));
    });
    return {
      stdin: child.stdin as NonNullable<typeof child.stdin>,
      stdout: child.stdout as NonNullable<typeof child.stdout>,
      exited,
      stop: () => {
        child.stdin?.end();
        setTimeout(() => {
          if (!ended && child.pid) {
            try {
              process.kill(-child.pid, 'SIGKILL');
            } catch {
              // Already gone.
            }
          }
        }, STOP_GRACE_MS).unref();
      },
    };
  }

  private toResult(
    file: string,
    result: { stdout?: unknown; stderr?: unknown; exitCode?: number; signal?: string; timedOut?: boolean; code?: string; failed?: boolean },
  ): ExecResult {
    if (result.code === 'ENOENT') {
      throw new HostUnreachableError(`localhost: "${file}" was not found on PATH`, 'PROGRAM_NOT_FOUND');
    }
    return {
      stdout: typeof result.stdout === 'string' ? result.stdout : '',
      stderr: typeof result.stderr === 'string' ? result.stderr : '',
      exitCode: result.exitCode ?? (result.failed ? 1 : 0),
      ...(result.timedOut ? { timedOut: true } : {}),
      ...(result.signal && !result.timedOut ? { signal: result.signal } : {}),
    };
  }

  homeDir(): Promise<string> {
    return Promise.resolve(os.homedir());
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

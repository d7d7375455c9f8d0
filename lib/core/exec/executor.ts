/**
 * The only way the tool runs a process: an Executor runs an argv on one host (this machine with
 * execa, or a remote one over SSH) and reports what came back. Commands are argv arrays, never
 * shell strings.
 */

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** The process's exit status; a command killed or timed out reports a non-zero one. */
  exitCode: number;
  timedOut?: boolean;
  /**
   * The signal that ended the process when it was not our deadline (e.g. a Ctrl-C that reached a
   * process just spawned, before it left our process group).
   */
  signal?: string;
}

export interface ExecOptions {
  /** Extra environment for the process (merged over the executor's own). */
  env?: Readonly<Record<string, string>>;
  timeoutMs?: number;
  /** What to log instead of the argv (secrets replaced by their references). */
  display?: readonly string[];
  signal?: AbortSignal;
}

export interface StreamOptions extends ExecOptions {
  onStdout: (chunk: string) => void;
  onStderr: (chunk: string) => void;
}

export interface Executor {
  /** The host this executor runs on, as the registry names it ('localhost', an alias, an address). */
  readonly host: string;
  /**
   * Run to completion. Resolves with the exit status, whatever it is; rejects with a
   * HostUnreachableError only when the host (or the program) could not be reached at all.
   */
  run(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Run and hand output over as it arrives (e.g. `docker logs --follow`) until exit or abort. */
  stream(argv: readonly string[], options: StreamOptions): Promise<ExecResult>;
  /** The home directory of the user commands run as on that host. */
  homeDir(): Promise<string>;
  close(): Promise<void>;
}

/** Called with each command before it runs (for --verbose); gets the display form. */
export type CommandListener = (host: string, display: readonly string[]) => void;

/** What a command looks like in logs: the program, then the display form of its arguments if given. */
export function shownCommand(argv: readonly string[], options: ExecOptions | undefined): readonly string[] {
  return options?.display ? [argv[0] ?? '', ...options.display] : argv;
}

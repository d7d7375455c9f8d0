/**
 * The only way the tool runs a process: an Executor runs an argv on one host (this machine with
 * execa, or a remote one over SSH) and reports what came back. Commands are argv arrays, never
 * shell strings.
 */
import type { Readable, Writable } from 'node:stream';

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

/** A process whose stdin we write and whose stdout we read as it runs (`docker attach`, `docker run -i`). */
export interface InteractiveProcess {
  readonly stdin: Writable;
  readonly stdout: Readable;
  /** Resolves when the process has ended: its exit status, or null when it was killed or cut off. */
  readonly exited: Promise<number | null>;
  /** End it: EOF on its stdin ends the wrapper and everything under it; forced after a grace period. */
  stop(): void;
}

export interface InteractiveOptions {
  /** What to log instead of the argv (secrets replaced by their references). */
  display?: readonly string[];
  /** Extra environment (local only, as for run()). */
  env?: Readonly<Record<string, string>>;
  onStderr?: (chunk: string) => void;
}

/**
 * Runs an interactive command so that it cannot outlive its reader: `cat` copies our stdin to the
 * command, and when our end goes away (stop(), our process dying, the SSH channel closing) cat
 * sees EOF and `kill 0` ends the whole process group, the command with it (SIGTERM, so `docker
 * run` passes it on to its container; then SIGKILL a second later, because recent docker clients
 * catch SIGTERM and `docker attach` would stay). That is needed because `docker attach` ignores
 * EOF on its stdin and a dropped SSH channel signals nothing. The process
 * group is the command's own: sshd starts each session with setsid(), and the local executor
 * starts this wrapper detached. When the command ends first, its side ends cat the same way and
 * the wrapper (which only traps TERM, so the command keeps the default) exits with its status.
 * The shells' own stderr goes to /dev/null (their "Terminated" notices); the command's is fd 4.
 * The argv travels as sh's positional parameters ("$@"), never as script text.
 */
export const INTERACTIVE_WRAPPER = [
  'sh',
  '-c',
  'exec 3<&0 4>&2 2>/dev/null; trap : TERM; { cat <&3; trap "" TERM; kill 0; sleep 1; kill -9 0; } | { "$@" 2>&4; s=$?; trap : TERM; kill 0; exit $s; }',
  'sh',
] as const;

/** How long stop() waits for the wrapper to end by itself before forcing it. */
export const STOP_GRACE_MS = 1500;

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
  /** Start an interactive process (see INTERACTIVE_WRAPPER); rejects when the host cannot be reached. */
  spawn(argv: readonly string[], options?: InteractiveOptions): Promise<InteractiveProcess>;
  /** The home directory of the user commands run as on that host. */
  homeDir(): Promise<string>;
  close(): Promise<void>;
}

/** Called with each command before it runs (for --verbose); gets the display form. */
export type CommandListener = (host: string, display: readonly string[]) => void;

/** What a command looks like in logs: the program, then the display form of its arguments if given. */
export function shownCommand(argv: readonly string[], options: { display?: readonly string[] } | undefined): readonly string[] {
  return options?.display ? [argv[0] ?? '', ...options.display] : argv;
}

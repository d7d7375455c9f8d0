/**
 * One error hierarchy for the whole tool. Every error the user can cause or meet carries a stable
 * `code` (for --json and the HTTP API) and the process `exitCode` the CLI uses for it:
 * 0 ok, 1 runtime failure, 2 usage or validation error, 3 some targets failed (set by the CLI).
 */
export class MsmError extends Error {
  readonly code: string;
  readonly exitCode: number;

  constructor(message: string, code = 'ERROR', exitCode = 1, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** Bad input: names, flags, commands, hosts. Nothing was changed. */
export class ValidationError extends MsmError {
  constructor(message: string, code = 'INVALID_INPUT') {
    super(message, code, 2);
  }
}

/**
 * A docker command msm will not register or run as given: not `docker run`, shell syntax, an
 * option docker does not have. Well-formed input that cannot be processed (HTTP 422).
 */
export class CommandRefusedError extends ValidationError {
  constructor(message: string) {
    super(message, 'COMMAND_REFUSED');
  }
}

/** A server name (or host alias) that is not registered. */
export class NotFoundError extends MsmError {
  constructor(message: string, code = 'NOT_FOUND') {
    super(message, code, 2);
  }
}

/** A registry or hosts file that cannot be read, parsed or validated; it is never overwritten. */
export class FileError extends MsmError {
  constructor(message: string, code = 'BAD_FILE', options?: { cause?: unknown }) {
    super(message, code, 1, options);
  }
}

/** A docker command that ran and failed (non-zero exit), or could not be started. */
export class DockerError extends MsmError {
  readonly stderr: string;
  readonly exitStatus: number | undefined;

  constructor(message: string, stderr = '', exitStatus?: number, code = 'DOCKER_FAILED') {
    super(message, code, 1);
    this.stderr = stderr;
    this.exitStatus = exitStatus;
  }
}

/** The host (or its docker engine) could not be asked at all. Its servers' state is unknown. */
export class HostUnreachableError extends MsmError {
  constructor(message: string, code = 'HOST_UNREACHABLE', options?: { cause?: unknown }) {
    super(message, code, 1, options);
  }
}

/**
 * The user interrupted the command (Ctrl-C, SIGTERM) before this target's work began; nothing was
 * done to it. Exit code 130, as a shell reports an interrupted command.
 */
export class InterruptedError extends MsmError {
  constructor(message = 'not started: the command was interrupted') {
    super(message, 'INTERRUPTED', 130);
  }
}

/** Another mcp process kept working on the server for longer than we would wait. Nothing was done. */
export class ServerBusyError extends MsmError {
  constructor(name: string, waitedMs: number) {
    super(`another mcp process has been working on server "${name}" for over ${Math.round(waitedMs / 1000)} s; nothing was done to it (try again when that one is done)`, 'BUSY', 1);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The one file on a host msm handles itself: a `--cidfile`, which docker refuses to overwrite, so
 * a replacement moves the old container's aside and back. Plain `mv`/`rm`/`test` argv, run beside
 * docker with its privileges (DockerClient.execBeside), each bounded and checked.
 */
import type { DockerClient } from './dockerClient.js';
import type { ExecResult } from './exec/executor.js';
import { timedOutAfter } from './docker/deadlines.js';
import { MsmError } from '../errors.js';

export function buildMoveHostFile(from: string, to: string): string[] {
  return ['mv', '-f', '--', from, to];
}

export function buildRemoveHostFile(file: string): string[] {
  return ['rm', '-f', '--', file];
}

/** Exits 0 when the file is there, 1 when not. */
export function buildHostFileExists(file: string): string[] {
  return ['test', '-e', file];
}

/** Where a replacement keeps the old container's cidfile until the new container runs. */
export function cidfileAside(cidfile: string): string {
  return `${cidfile}.msm-old`;
}

/** Move a file on the docker host; one that is not there (deleted by hand, say) is nothing to move. */
export async function moveHostFile(docker: DockerClient, from: string, to: string, timeoutMs: number): Promise<void> {
  const moved = await docker.execBeside(buildMoveHostFile(from, to), { timeoutMs });
  if (moved.exitCode === 0) return;
  const there = await docker.execBeside(buildHostFileExists(from), { timeoutMs });
  if (there.exitCode === 1 && !there.timedOut) return;
  throw hostFileError(`could not move ${from} to ${to} on ${docker.host}`, moved, timeoutMs);
}

export async function removeHostFile(docker: DockerClient, file: string, timeoutMs: number): Promise<void> {
  const removed = await docker.execBeside(buildRemoveHostFile(file), { timeoutMs });
  if (removed.exitCode !== 0) throw hostFileError(`could not remove ${file} on ${docker.host}`, removed, timeoutMs);
}

function hostFileError(what: string, result: ExecResult, timeoutMs: number): MsmError {
  const reason = result.timedOut ? timedOutAfter(timeoutMs) : result.stderr.trim().split('\n').at(-1) || `exit code ${result.exitCode}`;
  return new MsmError(`${what}: ${reason}`, 'HOST_FILE_FAILED');
}

/**
 * Per-server results over HTTP: the same records as the CLI's --json, and the status a response
 * gets from them (bulk: 200 when all succeeded, 207 when any failed; one server: its error's).
 */
import type { TargetResult } from '../../core/target.js';

export function bulkStatus(results: readonly { ok: boolean }[]): 200 | 207 {
  return results.every((result) => result.ok) ? 200 : 207;
}

/** The HTTP status for one failed target, from its error code. */
export function failureStatus(result: TargetResult): number {
  const code = result.error?.code ?? 'ERROR';
  if (code === 'DOCKER_TIMEOUT') return 504;
  if (code === 'NAME_CONFLICT' || code === 'ALREADY_EXISTS') return 409;
  if (code === 'NOT_FOUND' || code === 'NO_CONTAINER') return 404;
  // The registered config cannot be run as it is (a variable not set, an option refused).
  if (code === 'MISSING_VARIABLE' || code.startsWith('INVALID')) return 422;
  // Anything else is the host's or docker's failure (unreachable, refused, docker failed).
  return 502;
}

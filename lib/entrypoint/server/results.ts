/**
 * Per-server results over HTTP: the same records as the CLI's --json, and the status a response
 * gets from them (bulk: 200 when all succeeded, 207 when any failed; one server: its error's).
 */
import type { TargetResult } from '../../core/target.js';
import { statusForCode } from './httpErrors.js';

export function bulkStatus(results: readonly { ok: boolean }[]): 200 | 207 {
  return results.every((result) => result.ok) ? 200 : 207;
}

/** The HTTP status for one failed target: its error code's, as if it had been thrown. */
export function failureStatus(result: TargetResult): number {
  return statusForCode(result.error?.code ?? 'ERROR');
}

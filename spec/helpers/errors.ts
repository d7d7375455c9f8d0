/** Catching the tool's errors in tests, failing when nothing (or something else) was thrown. */
import { MsmError, ValidationError } from '../../lib/errors.js';

export function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

/** The error `promise` rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<MsmError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof MsmError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

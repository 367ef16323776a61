// Test helper: the AppError a promise rejects with, failing the test when it resolves or rejects
// with anything else. Used by the client's tests only.

import { AppError } from '../../shared/errors.ts';

export async function rejectionOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

// Reads and writes `details.delivery` on AppErrors (did a failed request reach the API?); the
// values are defined with the client interface.

import { AppError, type ErrorCode } from '../../shared/errors.ts';
import type { Delivery } from './crystal-client-types.ts';

export function deliveryOf(error: unknown): Delivery | undefined {
  if (!(error instanceof AppError)) return undefined;
  const value = error.details?.['delivery'];
  return value === 'not_sent' || value === 'unknown' || value === 'answered' ? value : undefined;
}

/** An AppError carrying its delivery (and any other details). */
export function requestError(
  code: ErrorCode,
  message: string,
  delivery: Delivery,
  extra: { retryAt?: number; details?: Record<string, unknown>; cause?: unknown } = {},
): AppError {
  return new AppError(code, message, {
    ...extra,
    details: { ...extra.details, delivery },
  });
}

// Decides what a failed feedback send means for the report. The API has no idempotency key, so
// only a failure that surely did not reach the server is retried automatically.

import { AppError } from '../../shared/errors.ts';
import { deliveryOf } from '../api/request-delivery.ts';

export type DeliveryVerdict =
  /** Surely not delivered: try again (at `retryAt` when the API said when, else after backoff). */
  | { kind: 'retry'; retryAt?: number }
  /** Not sent because the app cannot send yet (no credentials): wait for a nudge. */
  | { kind: 'wait' }
  /** The API answered and refused it: the agent may fix and resend. */
  | { kind: 'failed' }
  /** It may have arrived: never retried automatically. */
  | { kind: 'unconfirmed' };

/**
 * Codes first (an answer that says "no" is final whatever the transport), then the client's
 * `details.delivery`: 'not_sent' retries; 'unknown' and 'answered' (e.g. a 500, a body that could
 * not be read: the server may have recorded it) wait for the agent.
 */
export function deliveryVerdict(error: unknown): DeliveryVerdict {
  if (!(error instanceof AppError)) return { kind: 'unconfirmed' };
  switch (error.code) {
    // The server answered "no": it did not record the report, and sending it again as is
    // would be refused again.
    case 'BAD_INPUT':
    case 'AUTH_REJECTED':
    case 'NOT_FOUND':
      return { kind: 'failed' };
    case 'AUTH_MISSING':
    case 'KEYCHAIN_UNAVAILABLE':
      return { kind: 'wait' };
    default:
      break;
  }
  const delivery = deliveryOf(error);
  if (delivery === 'unknown') return { kind: 'unconfirmed' };
  const refusedBeforeProcessing = error.code === 'RATE_LIMITED' || error.code === 'QUOTA_EXHAUSTED';
  if (delivery === 'not_sent' || refusedBeforeProcessing) {
    return error.retryAt === undefined
      ? { kind: 'retry' }
      : { kind: 'retry', retryAt: error.retryAt };
  }
  return { kind: 'unconfirmed' };
}

// The outbox's retry delays: exponential in the number of consecutive failures, capped, with
// jitter so that many desktops coming back online at once do not retry in step.

export interface BackoffOptions {
  /** Delay after the first failure (ms). */
  baseMs: number;
  /** Longest delay (ms). */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 2_000, capMs: 5 * 60_000 };

/**
 * "Equal jitter": half the exponential delay is fixed, the other half random, so a retry never
 * comes sooner than half the planned delay. `random` returns [0, 1).
 */
export function retryDelayMs(
  consecutiveFailures: number,
  random: () => number,
  { baseMs, capMs }: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const exponent = Math.max(0, consecutiveFailures - 1);
  const planned = Math.min(capMs, baseMs * 2 ** Math.min(exponent, 30));
  return Math.round(planned / 2 + random() * (planned / 2));
}

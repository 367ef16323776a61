// The quota limiter's state as published to the UI (quota.state, quota.changed).

import type { EndpointName } from './api-limits.ts';

export interface EndpointQuotaState {
  /** Requests sent in the last rolling 24 hours. */
  used: number;
  /** The daily quota, or null when the plan names none. */
  limit: number | null;
  /** limit - used (never below 0), or null without a daily quota. */
  remaining: number | null;
  /** Part of the daily quota background work may not spend. */
  reserve: number;
  /** Requests waiting for a slot. */
  queued: number;
  inFlight: number;
  /**
   * Unix ms of the earliest moment one more request could be sent, whether or not any waits:
   * `at` when it could go now; later while a rate window, a Retry-After or the daily quota holds
   * it (for the daily quota: when the request that frees a slot leaves the rolling day); null
   * while it depends on answers to requests still in flight.
   */
  nextSlotAt: number | null;
  /** Unix ms until which the API asked us to hold off (429 Retry-After), else null. */
  blockedUntil: number | null;
}

export interface QuotaState {
  customerId: string;
  plan: string;
  /** Unix ms the state was taken. */
  at: number;
  endpoints: Record<EndpointName, EndpointQuotaState>;
  /** Requests waiting over all endpoints. */
  queueLength: number;
}

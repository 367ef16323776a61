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
  /** Unix ms of the next free slot when requests are waiting, else null. */
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

// Per-customer, per-endpoint rolling windows from the plan's limits table: short rates (per second,
// per minute) and the 24-hour quota. Counts only requests it lets through.

import { DAY_MS, type EndpointName, type PlanLimits } from '../shared/api-limits.ts';

export type LimitVerdict =
  | { ok: true }
  | { ok: false; reason: 'rate_limited' | 'quota'; retryAfterSec: number; message: string };

export interface RateLimiter {
  /** Admits (and records) one request at `nowMs`, or says why not and for how long. */
  admit(customerId: string, endpoint: EndpointName, nowMs: number): LimitVerdict;
}

function describeWindow(ms: number): string {
  if (ms >= DAY_MS && ms % DAY_MS === 0) return `${(ms / DAY_MS) * 24} h`;
  if (ms >= 60000 && ms % 60000 === 0) return `${ms / 60000} min`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000} s`;
  return `${Math.round(ms * 1000) / 1000} ms`;
}

const retryAfter = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/** Entries of a sorted log in (nowMs - windowMs, nowMs]: their count and the oldest. */
function inWindow(
  log: readonly number[],
  nowMs: number,
  windowMs: number,
): { count: number; oldest: number } {
  let count = 0;
  let oldest = nowMs;
  for (let i = log.length - 1; i >= 0; i--) {
    const t = log[i] ?? 0;
    if (t > nowMs) continue; // recorded "later": only when a test moves the clock back
    if (t <= nowMs - windowMs) break;
    count++;
    oldest = t;
  }
  return { count, oldest };
}

export function createRateLimiter(plan: PlanLimits): RateLimiter {
  // Timestamps of admitted requests, sorted, kept for the longest window (24 h).
  const logs = new Map<string, number[]>();
  return {
    admit(customerId, endpoint, nowMs) {
      const limits = plan.endpoints[endpoint];
      const key = `${customerId}\u0000${endpoint}`;
      let log = logs.get(key);
      if (log === undefined) {
        log = [];
        logs.set(key, log);
      }
      const longest = Math.max(DAY_MS, ...limits.rates.map((r) => r.windowMs));
      let drop = 0;
      while (drop < log.length && (log[drop] ?? 0) <= nowMs - longest) drop++;
      if (drop > 0) log.splice(0, drop);

      if (limits.perDay !== null) {
        const day = inWindow(log, nowMs, DAY_MS);
        if (day.count >= limits.perDay) {
          return {
            ok: false,
            reason: 'quota',
            retryAfterSec: retryAfter(day.oldest + DAY_MS - nowMs),
            message: `daily quota exceeded: at most ${limits.perDay} requests per 24 h on ${limits.path}`,
          };
        }
      }
      for (const r of limits.rates) {
        const w = inWindow(log, nowMs, r.windowMs);
        if (w.count >= r.limit) {
          return {
            ok: false,
            reason: 'rate_limited',
            retryAfterSec: retryAfter(w.oldest + r.windowMs - nowMs),
            message: `rate limit exceeded: at most ${r.limit} requests per ${describeWindow(r.windowMs)} on ${limits.path}`,
          };
        }
      }
      let at = log.length;
      while (at > 0 && (log[at - 1] ?? 0) > nowMs) at--;
      log.splice(at, 0, nowMs);
      return { ok: true };
    },
  };
}

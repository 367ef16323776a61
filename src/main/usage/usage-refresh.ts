// usage.refresh: fills the archive's daily usage for the API's whole usage lookback with at most
// one request (interactive), skipping days already stored and days the API cannot report yet.
// The usage quota is tiny (1 a minute, 10 a day): when the next request could go only later, it
// says when instead of queuing the agent's click behind the limiter.

import type { PlanLimits } from '../../shared/api-limits.ts';
import type { UsageRefreshResult } from '../../shared/archive-types.ts';
import { AppError } from '../../shared/errors.ts';
import type { CrystalClient } from '../api/crystal-client-types.ts';
import { deliveryOf } from '../api/request-delivery.ts';
import type { QuotaLimiter } from '../quota/index.ts';
import type { Db } from '../store/index.ts';
import { createUsageStore } from '../store/usage-store.ts';
import { DAY_SEC, reportableUsageDays } from './usage-days.ts';

/** The API access usage.refresh needs: whose usage, the client, its limiter and plan. */
export interface UsageConnection {
  appid: string;
  client: CrystalClient;
  limiter: Pick<QuotaLimiter, 'state'>;
  plan: PlanLimits;
}

export interface UsageRefreshDeps {
  db: Db;
  /** A profile's connection (by id), or the active profile's when undefined. */
  connection(profile: string | undefined): UsageConnection;
  /** Unix ms; default Date.now. */
  clock?: () => number;
  /**
   * A click waits for the request slot at most this long (ms); a later slot is reported as
   * waitUntilMs instead. Default 5 s.
   */
  maxWaitMs?: number;
}

export interface UsageRefresh {
  refresh(args: { profile?: string | undefined }): Promise<UsageRefreshResult>;
}

export function createUsageRefresh(deps: UsageRefreshDeps): UsageRefresh {
  const usage = createUsageStore(deps.db);
  const clock = deps.clock ?? Date.now;
  const maxWaitMs = deps.maxWaitMs ?? 5_000;
  // A second click while one refresh of the same appid runs shares its outcome.
  const running = new Map<string, Promise<UsageRefreshResult>>();

  async function run(conn: UsageConnection): Promise<UsageRefreshResult> {
    const nowMs = clock();
    const days = reportableUsageDays(conn.plan, Math.floor(nowMs / 1000));
    const first = days[0];
    const last = days[days.length - 1];
    const known = new Set(
      first === undefined || last === undefined
        ? []
        : usage.read(conn.appid, first, last).map((d) => d.dayTs),
    );
    const missing = days.filter((d) => !known.has(d));
    const result: UsageRefreshResult = {
      appid: conn.appid,
      fromDayTs: first ?? null,
      toDayTs: last ?? null,
      missingDays: missing.length,
      daysAdded: 0,
      requests: 0,
      waitUntilMs: null,
      waitReason: null,
    };
    const from = missing[0];
    const to = missing[missing.length - 1];
    if (from === undefined || to === undefined) return result;

    const quota = conn.limiter.state().endpoints.usageByTime;
    const daily = quota.limit !== null && quota.used >= quota.limit;
    // null: a usage request (e.g. a sync's) is in flight; its answer frees the slot a window on.
    const windowMs = Math.max(0, ...conn.plan.endpoints.usageByTime.rates.map((r) => r.windowMs));
    const slotAt = quota.nextSlotAt ?? nowMs + windowMs;
    if (slotAt - nowMs > maxWaitMs) {
      return { ...result, waitUntilMs: slotAt, waitReason: daily ? 'day' : 'minute' };
    }
    try {
      const answer = await conn.client.usageByTime(
        {
          startTs: from,
          endTs: to + DAY_SEC - 1,
          metrics: ['userCount', 'sessionCount', 'channelCount'],
        },
        { priority: 'interactive' },
      );
      const wanted = new Set(missing);
      const fresh = answer.data
        .map((d) => ({
          dayTs: Math.floor(d.ts / DAY_SEC) * DAY_SEC,
          userCount: d.userCount,
          sessionCount: d.sessionCount,
          channelCount: d.channelCount,
        }))
        .filter((d) => wanted.has(d.dayTs));
      usage.write(conn.appid, fresh, clock());
      return { ...result, requests: 1, daysAdded: new Set(fresh.map((d) => d.dayTs)).size };
    } catch (error) {
      // The limiter refused (or the API said 429 with a long Retry-After): say when, not fail.
      if (
        error instanceof AppError &&
        (error.code === 'RATE_LIMITED' || error.code === 'QUOTA_EXHAUSTED')
      ) {
        return {
          ...result,
          requests: deliveryOf(error) === 'not_sent' ? 0 : 1,
          waitUntilMs: error.retryAt ?? clock() + windowMs,
          waitReason: error.code === 'QUOTA_EXHAUSTED' ? 'day' : 'minute',
        };
      }
      throw error;
    }
  }

  return {
    refresh({ profile }) {
      const conn = deps.connection(profile);
      const shared = running.get(conn.appid);
      if (shared !== undefined) return shared;
      const promise = run(conn).finally(() => running.delete(conn.appid));
      running.set(conn.appid, promise);
      return promise;
    },
  };
}

// Keeps daily usage (users, sessions, channels) for a sync's days: asks the API once for the days
// it can serve and the archive lacks; older days are served from the archive. Failures are notes.

import type { PlanLimits } from '../../shared/api-limits.ts';
import { AppError } from '../../shared/errors.ts';
import { syncNote } from '../../shared/sync-notes.ts';
import type { CrystalClient } from '../api/crystal-client-types.ts';
import type { SyncJobRecord } from '../store/sync-job-store.ts';
import type { UsageStore } from '../store/usage-store.ts';
import { earliestRequestTs } from './call-enumerator.ts';
import { addNotes } from './sync-job-notes.ts';

const DAY_SEC = 86400;

export interface UsageSyncContext {
  client: CrystalClient;
  appid: string;
  plan: PlanLimits;
  clock: () => number;
  usage: UsageStore;
  signal: AbortSignal;
}

/** UTC days overlapping [fromTs, toTs] that the API can report now (ended, delay passed). */
export function servableDays(
  plan: PlanLimits,
  fromTs: number,
  toTs: number,
  nowSec: number,
): number[] {
  const limits = plan.endpoints.usageByTime;
  const earliest = earliestRequestTs(plan, 'usageByTime', nowSec * 1000);
  const days: number[] = [];
  for (let day = Math.floor(fromTs / DAY_SEC) * DAY_SEC; day <= toTs; day += DAY_SEC) {
    if (day + DAY_SEC + limits.dataDelaySec > nowSec) break;
    if (day >= earliest) days.push(day);
  }
  return days;
}

export async function syncUsage(job: SyncJobRecord, ctx: UsageSyncContext): Promise<void> {
  const now = Math.floor(ctx.clock() / 1000);
  const known = new Set(
    ctx.usage.read(ctx.appid, job.fromTs - DAY_SEC, job.toTs).map((d) => d.dayTs),
  );
  const missing = servableDays(ctx.plan, job.fromTs, job.toTs, now).filter((d) => !known.has(d));
  const first = missing[0];
  const last = missing[missing.length - 1];
  if (first === undefined || last === undefined) return;
  try {
    const answer = await ctx.client.usageByTime(
      {
        startTs: first,
        endTs: last + DAY_SEC - 1,
        metrics: ['userCount', 'sessionCount', 'channelCount'],
      },
      { priority: 'background', signal: ctx.signal },
    );
    job.usageRequests++;
    ctx.usage.write(
      ctx.appid,
      answer.data.map((d) => ({
        dayTs: Math.floor(d.ts / DAY_SEC) * DAY_SEC,
        userCount: d.userCount,
        sessionCount: d.sessionCount,
        channelCount: d.channelCount,
      })),
      ctx.clock(),
    );
  } catch (error) {
    if (error instanceof AppError && error.code === 'CANCELLED') throw error;
    if (ctx.signal.aborted) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const errorCode = error instanceof AppError ? error.code : 'INTERNAL';
    addNotes(job, syncNote('usageFailed', { errorCode, reason }));
  }
}

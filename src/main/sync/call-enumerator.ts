// Lists every call of a time range into the archive with the fewest list requests: the oldest
// start of a full answer is the cursor for the next request; a second in which more calls start
// than one answer holds is stepped over, then looked up channel by channel, and reported.

import type { EndpointName, PlanLimits } from '../../shared/api-limits.ts';
import { syncNote, type SyncNote } from '../../shared/sync-notes.ts';
import type { WireCallLists } from '../../shared/api-wire.ts';
import type { CrystalClient } from '../api/crystal-client-types.ts';
import type { CallArchiveStore } from '../store/call-archive-store.ts';
import type { SyncJobRecord } from '../store/sync-job-store.ts';

/** Requests start this far inside the lookback edge, so a slow run is never refused for it. */
export const LOOKBACK_MARGIN_SEC = 120;

export interface ListingContext {
  client: CrystalClient;
  appid: string;
  plan: PlanLimits;
  clock: () => number;
  calls: CallArchiveStore;
  signal: AbortSignal;
  /** Saves the job (and tells listeners) after each answered request. */
  commit(): void;
  /** Crowded seconds met by earlier jobs of this appid. */
  pastCrowdedSeconds(): number[];
}

/** The earliest start a request to `endpoint` may have at `nowMs`, with the margin above. */
export function earliestRequestTs(plan: PlanLimits, endpoint: EndpointName, nowMs: number): number {
  const lookback = plan.endpoints[endpoint].lookbackSec;
  return lookback === null ? 0 : Math.floor(nowMs / 1000) - lookback + LOOKBACK_MARGIN_SEC;
}

export function earliestListableTs(plan: PlanLimits, nowMs: number): number {
  return earliestRequestTs(plan, 'callLists', nowMs);
}

async function list(
  ctx: ListingContext,
  job: SyncJobRecord,
  startTs: number,
  endTs: number,
  cname: string | null,
): Promise<WireCallLists> {
  const answer = await ctx.client.listCalls(
    { startTs, endTs, ...(cname !== null ? { cname } : {}) },
    { priority: 'background', signal: ctx.signal },
  );
  job.listRequests++;
  ctx.calls.recordListed(ctx.appid, answer.call_lists, ctx.clock());
  return answer;
}

/**
 * Walks the job's range from its cursor (newest) down to its start, one request per full answer.
 * Resumable: the cursor is saved after every answer. When the range grew at its end since the
 * walk began (a rerun of a relative range), the new part is walked first.
 */
export async function enumerateCalls(job: SyncJobRecord, ctx: ListingContext): Promise<void> {
  const now = (): number => Math.floor(ctx.clock() / 1000);
  const floor = (): number =>
    Math.max(job.listFloorTs ?? job.fromTs, earliestListableTs(ctx.plan, ctx.clock()));
  const top = Math.min(job.toTs, now());
  if (job.cursorTs === null) {
    job.listTopTs = top;
  } else if (job.listTopTs !== null && top > job.listTopTs) {
    // Not saved as the cursor: if this is cut short, the next run walks the new part again.
    const below = job.listTopTs;
    await walkDown(
      job,
      ctx,
      top,
      () => Math.max(below, floor()),
      () => ctx.commit(),
    );
    job.listTopTs = top;
    ctx.commit();
  }
  job.total = Math.max(1, top - floor());
  await walkDown(job, ctx, job.cursorTs ?? top, floor, (cursor) => {
    job.cursorTs = cursor;
    job.done = Math.min(job.total, Math.max(0, top - Math.max(cursor, floor())));
    ctx.commit();
  });
  await refreshRunningBelowFloor(job, ctx);
  await resolveCrowdedSeconds(job, ctx);
}

/** Lists from `start` down to `floor()`, calling `step` with the next cursor after each answer. */
async function walkDown(
  job: SyncJobRecord,
  ctx: ListingContext,
  start: number,
  floor: () => number,
  step: (cursor: number) => void,
): Promise<void> {
  let cursor = start;
  while (cursor >= floor()) {
    const startTs = floor();
    const answer = await list(ctx, job, startTs, cursor, job.cname);
    if (!answer.has_more || answer.call_lists.length === 0) {
      cursor = startTs - 1;
    } else {
      const oldest = Math.min(...answer.call_lists.map((c) => c.created_ts));
      if (oldest < cursor) {
        // Calls starting at `oldest` come again in the next answer; the archive de-duplicates.
        cursor = oldest;
      } else {
        // Every call shown starts in the same second and there are more: the cursor cannot
        // move. Step over that second; it is looked up by channel afterwards.
        if (!job.crowded.some((c) => c.ts === cursor)) {
          job.crowded.push({ ts: cursor, resolved: false, found: answer.call_lists.length });
        }
        cursor -= 1;
      }
    }
    step(cursor);
  }
}

/**
 * A pass that lists only what is new (listFloorTs) still learns whether the older calls it saw
 * running have ended: one request per such call, for its channel and start second (a channel
 * holds one call at a time). Cheaper than listing back to the oldest of them when few run long.
 */
async function refreshRunningBelowFloor(job: SyncJobRecord, ctx: ListingContext): Promise<void> {
  if (job.listFloorTs === null) return;
  const from = Math.max(job.fromTs, earliestListableTs(ctx.plan, ctx.clock()));
  const running = ctx.calls.unfinishedInRange(
    ctx.appid,
    from,
    job.listFloorTs - 1,
    job.cname ?? undefined,
  );
  for (const call of running) {
    await list(ctx, job, call.createdTs, call.createdTs, call.cname);
    ctx.commit();
  }
}

/**
 * Looks up each crowded second channel by channel. The candidates are the channels seen starting
 * in any crowded second, of this job or earlier ones (timetabled classes start on the hour, again
 * and again), minus channels
 * already seen in that second and channels busy with another call then (one call per channel).
 */
async function resolveCrowdedSeconds(job: SyncJobRecord, ctx: ListingContext): Promise<void> {
  if (job.crowded.every((c) => c.resolved)) return;
  const candidates = new Set<string>();
  const seconds = new Set([...job.crowded.map((c) => c.ts), ...ctx.pastCrowdedSeconds()]);
  for (const ts of seconds) {
    for (const call of ctx.calls.callsStartingAt(ctx.appid, ts)) candidates.add(call.cname);
  }
  for (const crowded of job.crowded) {
    if (crowded.resolved) continue;
    if (crowded.ts >= earliestListableTs(ctx.plan, ctx.clock()) && job.cname === null) {
      const seen = new Set(ctx.calls.callsStartingAt(ctx.appid, crowded.ts).map((c) => c.cname));
      const busy = ctx.calls.channelsBusyAt(ctx.appid, crowded.ts);
      for (const cname of candidates) {
        if (seen.has(cname) || busy.has(cname)) continue;
        const answer = await list(ctx, job, crowded.ts, crowded.ts, cname);
        for (const call of answer.call_lists) {
          seen.add(call.cname);
          candidates.add(call.cname);
        }
        ctx.commit();
      }
      crowded.found = seen.size;
    }
    crowded.resolved = true;
    ctx.commit();
  }
}

/** The notes about crowded seconds (a summary, then one per second), none without any. */
export function crowdedNotes(job: SyncJobRecord, plan: PlanLimits): SyncNote[] {
  if (job.crowded.length === 0) return [];
  return [
    syncNote('crowdedSeconds', { count: job.crowded.length, maxCalls: plan.maxCallsPerList }),
    ...job.crowded.map((c) => syncNote('crowdedSecond', { atTs: c.ts, found: c.found })),
  ];
}

// Fetches one call's details in chunks no longer than the plan allows, merges the chunks (users by
// session, series by timestamp), and narrows crowded answers to find early joiners. Writes nothing.

import type { PlanLimits } from '../../shared/api-limits.ts';
import type { WireCallDetails } from '../../shared/api-wire.ts';
import type { CallUser, MetricSeries } from '../../shared/archive-types.ts';
import { syncNote, type SyncNote } from '../../shared/sync-notes.ts';
import type { CrystalClient, RequestPriority } from '../api/crystal-client-types.ts';
import { columnsFromPairs, mergeSeries } from '../store/series-codec.ts';

export interface CallToFetch {
  callId: string;
  createdTs: number;
  destroyedTs: number;
  finished: boolean;
  /** Span of the details already archived, or null. */
  detailsFromTs: number | null;
  detailsToTs: number | null;
}

export interface FetchedDetails {
  fromTs: number;
  toTs: number;
  users: CallUser[];
  series: MetricSeries[];
  archive: 'full' | 'partial';
  notes: SyncNote[];
  requests: number;
}

/** Requests the crowded-answer narrowing may add to one chunk. */
const MAX_NARROWING = 3;

/**
 * The span still to fetch for a call at `nowSec`, or null when nothing can be fetched (yet, or
 * any more: the span has aged out, or the details of the ended call reach its end already).
 */
export function spanToFetch(
  call: CallToFetch,
  plan: PlanLimits,
  nowSec: number,
  earliestTs: number,
): { fromTs: number; toTs: number } | null {
  const delay = plan.endpoints.callDetails.dataDelaySec;
  if (call.createdTs + delay > nowSec) return null;
  // Cut at the lookback edge, say: what is missing can never be fetched again.
  if (call.finished && call.detailsToTs !== null && call.detailsToTs >= call.destroyedTs) {
    return null;
  }
  const end = call.finished ? call.destroyedTs : nowSec;
  // Re-fetch one sample before what we have, so the series join without a gap.
  const resume =
    call.detailsToTs === null ? call.createdTs : call.detailsToTs - plan.sampleIntervalSec;
  const fromTs = Math.max(call.createdTs, resume, earliestTs);
  if (end < fromTs) return null;
  return { fromTs, toTs: end };
}

/** Requests a span takes (one per maxDetailsSpanSec chunk), before any narrowing. */
export function requestsForSpan(span: { fromTs: number; toTs: number }, plan: PlanLimits): number {
  return Math.max(1, Math.ceil((span.toTs - span.fromTs) / plan.maxDetailsSpanSec));
}

export interface FetchOptions {
  client: CrystalClient;
  plan: PlanLimits;
  priority: RequestPriority;
  signal?: AbortSignal;
  /** Called after each request is answered (for counting and progress). */
  onRequest?: () => void;
  /** Asked before each narrowing request (beyond one per chunk); false skips it. */
  mayNarrow?: () => boolean;
}

function toUser(u: WireCallDetails['call_info'][number]): CallUser {
  return {
    sid: u.sid,
    uid: u.uid,
    network: u.network,
    platform: u.platform,
    speaker: u.speaker,
    sdkVersion: u.sdk_version,
    deviceType: u.device_type,
    joinTs: u.join_ts,
    leaveTs: u.leave_ts,
    finished: u.finished,
  };
}

export async function fetchCallDetails(
  call: CallToFetch,
  span: { fromTs: number; toTs: number },
  options: FetchOptions,
): Promise<FetchedDetails> {
  const { client, plan } = options;
  const users = new Map<string, CallUser>();
  const series = new Map<string, MetricSeries>();
  let requests = 0;
  let narrowed = false;

  const absorb = (answer: WireCallDetails): void => {
    for (const u of answer.call_info) users.set(u.sid, toUser(u));
    for (const m of answer.metrics) {
      for (const d of m.data) {
        const columns = columnsFromPairs(d.kvs);
        if (columns.ts.length === 0) continue;
        const key = `${m.sid}\u0000${d.mid}\u0000${d.peer_uid}`;
        const old = series.get(key);
        const merged = old === undefined ? columns : mergeSeries(old, columns);
        series.set(key, { sid: m.sid, mid: d.mid, peerUid: d.peer_uid, ...merged });
      }
    }
  };
  const ask = async (startTs: number, endTs: number): Promise<WireCallDetails> => {
    const answer = await client.getCallDetails(
      { callId: call.callId, startTs, endTs },
      { priority: options.priority, ...(options.signal ? { signal: options.signal } : {}) },
    );
    requests++;
    options.onRequest?.();
    absorb(answer);
    return answer;
  };

  for (let chunkStart = span.fromTs; chunkStart <= span.toTs;) {
    const chunkEnd = Math.min(span.toTs, chunkStart + plan.maxDetailsSpanSec);
    let answer = await ask(chunkStart, chunkEnd);
    // A full user list shows the latest joiners only: earlier joiners are found in the part of
    // the chunk before the earliest join shown (their figures then cover only that part).
    for (let depth = 0; depth < MAX_NARROWING; depth++) {
      if (answer.call_info.length < plan.maxUsersPerDetails) break;
      const earliestJoin = Math.min(...answer.call_info.map((u) => u.join_ts));
      if (earliestJoin - 1 < chunkStart) break;
      if (options.mayNarrow !== undefined && !options.mayNarrow()) break;
      narrowed = true;
      answer = await ask(chunkStart, earliestJoin - 1);
    }
    if (chunkEnd >= span.toTs) break;
    chunkStart = chunkEnd;
  }

  const notes: SyncNote[] = [];
  if (narrowed) notes.push(syncNote('usersCapped', { maxUsers: plan.maxUsersPerDetails }));
  return {
    fromTs: span.fromTs,
    toTs: span.toTs,
    users: [...users.values()],
    series: [...series.values()],
    archive: archiveAfterFetch(call, span),
    notes,
    requests,
  };
}

/**
 * Full only when the call had ended and what is archived then runs from its start to its end
 * without a gap: this fetch from the start, or earlier details from the start that this fetch
 * carries on from. A call cut at the lookback edge (details starting after it began) stays
 * partial however often it is fetched again.
 */
export function archiveAfterFetch(
  call: CallToFetch,
  span: { fromTs: number; toTs: number },
): 'full' | 'partial' {
  const earlierFromStart =
    call.detailsFromTs !== null &&
    call.detailsFromTs <= call.createdTs &&
    call.detailsToTs !== null &&
    span.fromTs <= call.detailsToTs;
  const fromStart = span.fromTs <= call.createdTs || earlierFromStart;
  return call.finished && span.toTs >= call.destroyedTs && fromStart ? 'full' : 'partial';
}

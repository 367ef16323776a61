// Runs sync jobs for one profile (appid + client): list every call in range, keep daily usage,
// then spend details requests by priority within the budget. Jobs are persisted after every step
// (resumable after a crash), cancellable, and report progress; waiting jobs resume by timer.

import { DAY_MS, type EndpointName, type PlanLimits } from '../../shared/api-limits.ts';
import type { CallDetail } from '../../shared/archive-types.ts';
import { AppError } from '../../shared/errors.ts';
import type { QuotaState } from '../../shared/quota-types.ts';
import { syncNote } from '../../shared/sync-notes.ts';
import type { SyncJobStatus, SyncPlan } from '../../shared/sync-types.ts';
import type { CrystalClient } from '../api/crystal-client-types.ts';
import type { Timers } from '../core/timers.ts';
import { detectIssues } from '../quality/issue-detector.ts';
import { createCallArchiveStore, type DetailsCandidate } from '../store/call-archive-store.ts';
import type { Db } from '../store/database.ts';
import { createSyncJobStore, type SyncJobRecord } from '../store/sync-job-store.ts';
import { createUsageStore } from '../store/usage-store.ts';
import { crowdedNotes, earliestListableTs, enumerateCalls } from './call-enumerator.ts';
import {
  fetchCallDetails,
  requestsForSpan,
  spanToFetch,
  type FetchedDetails,
} from './call-details-fetcher.ts';
import {
  earliestDetailsTs,
  orderForLookback,
  requestSpacingMs,
  withinBudget,
} from './details-queue.ts';
import { addNotes, dropNoteFamily } from './sync-job-notes.ts';
import { jobStatus } from './sync-job-status.ts';
import { syncUsage } from './usage-sync.ts';

export interface SyncEngineOptions {
  db: Db;
  client: CrystalClient;
  appid: string;
  profile?: string | null;
  plan: PlanLimits;
  /** Unix ms. Default Date.now. */
  clock?: () => number;
  /** The quota limiter's state, for the plan and ETA (optional). */
  quota?: () => QuotaState;
  onProgress?: (status: SyncJobStatus) => void;
  /** With timers, waiting jobs resume by themselves (the app); without, a rerun resumes them. */
  timers?: Timers;
  /** Details requests in flight at once (the limiter paces them). Default 2. */
  detailsConcurrency?: number;
  /**
   * How long after a pass a job with running calls looks again, and a watch job rolls on to its
   * next pass (ms). Default 10 min.
   */
  refreshAfterMs?: number;
  /**
   * The profile's background watch while it is enabled (null when off): the look-back its
   * rolling job keeps synced, and the channels whose calls get details before the rest.
   */
  watch?: () => EngineWatch | null;
}

export interface EngineWatch {
  lookbackSec: number;
  channels: readonly string[];
}

export interface StartSyncArgs {
  fromTs: number;
  toTs: number;
  cname?: string | undefined;
  maxDetailsRequests?: number | undefined;
}

export interface SyncEngine {
  readonly appid: string;
  /** Starts a job (or resumes the unfinished one for the same range); it runs in the background. */
  start(args: StartSyncArgs): SyncJobStatus;
  /** Resolves when the job stops running (done, waiting, cancelled or failed). */
  settled(jobId: number): Promise<SyncJobStatus>;
  cancel(jobId: number): SyncJobStatus;
  status(jobId: number): SyncJobStatus;
  recent(limit: number): SyncJobStatus[];
  /** Resumes this appid's jobs that were running when the process stopped, and waiting ones. */
  resumeOpen(): void;
  /**
   * Keeps the profile's rolling watch job going while the watch is on (starts it, or moves its
   * range on and runs the next pass if it has ended or was left by a restart), and stops it when
   * the watch is off. Returns its status, or null when there is none.
   */
  ensureWatch(): SyncJobStatus | null;
  /** Fetches one call's missing details now, ahead of background work. */
  fetchCall(callId: string, signal?: AbortSignal): Promise<CallDetail>;
  close(): void;
}

const MAX_CONSECUTIVE_FAILURES = 5;
/**
 * Share of each daily quota a watch may spend on average: after a pass, the next one waits until
 * that pass's requests fit this share of the day (running calls refreshed, new ones fetched).
 */
const WATCH_QUOTA_SHARE = 0.5;

function isCode(error: unknown, code: string): boolean {
  return error instanceof AppError && error.code === code;
}

function retryAtOf(error: unknown): number | undefined {
  return error instanceof AppError ? error.retryAt : undefined;
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db, client, appid, plan } = options;
  const clock = options.clock ?? Date.now;
  const profile = options.profile ?? null;
  const calls = createCallArchiveStore(db);
  const jobs = createSyncJobStore(db);
  const usage = createUsageStore(db);
  const concurrency = Math.max(1, options.detailsConcurrency ?? 2);
  const refreshAfterMs = options.refreshAfterMs ?? 10 * 60_000;
  /**
   * A running job nobody has saved for this long has no process running it any more: a running
   * job is saved after every answer, and the slowest endpoint answers well within this.
   */
  const orphanAfterMs = Math.max(
    refreshAfterMs,
    ...(Object.keys(plan.endpoints) as EndpointName[]).map((e) => 10 * requestSpacingMs(plan, e)),
  );
  const running = new Map<
    number,
    { job: SyncJobRecord; controller: AbortController; done: Promise<SyncJobStatus> }
  >();
  const timers = new Map<number, unknown>();
  /**
   * For a watch pass that followed another here: the requests spent before it, and how much
   * new time it covers (ms since the end of the last pass).
   */
  const passStart = new Map<number, { list: number; details: number; newMs: number }>();
  /** For the ETA of a job listing here: its counters when this walk began. */
  const listingProgress = new Map<number, { requestsAtStart: number; doneAtStart: number }>();
  /**
   * For the ETA of a job fetching details here: the requests planned for the calls that fit the
   * budget (kept up to date as calls age out, narrow or fit after all), and the count before.
   */
  const detailsProgress = new Map<number, { planned: number; requestsAtStart: number }>();
  let closed = false;

  const nowSec = (): number => Math.floor(clock() / 1000);
  const watchNow = (): EngineWatch | null =>
    profile === null ? null : (options.watch?.() ?? null);
  const watchedChannels = (): readonly string[] => watchNow()?.channels ?? [];
  const candidatesOf = (job: SyncJobRecord): DetailsCandidate[] =>
    calls.detailsCandidates(appid, job.fromTs, job.toTs, job.cname ?? undefined, watchedChannels());

  function backgroundDetailsLeft(): number | null {
    const state = options.quota?.().endpoints.callDetails;
    if (state === undefined || state.remaining === null) return null;
    return Math.max(0, state.remaining - state.reserve);
  }

  /**
   * When a running job should finish at the plan's pace: the requests it still has to send
   * (listing extrapolated from its answers so far; details planned for the calls that fit the
   * budget, less those answered, never more than the budget left), from the limiter's next free
   * slot (or the end of a Retry-After). Null while unknown (before the first list answer).
   */
  function etaOf(job: SyncJobRecord): number | null {
    if (job.state !== 'running') return null;
    const budget = detailsBudgetLeft(job);
    let listLeft = 0;
    let detailsLeft: number;
    const details = detailsProgress.get(job.id);
    if (job.phase === 'details' && details !== undefined) {
      const answered = job.detailsRequests - details.requestsAtStart;
      detailsLeft = Math.min(Math.max(0, details.planned - answered), budget);
    } else if (job.phase === 'listing' || job.phase === 'usage') {
      const counts = calls.countInRange(appid, job.fromTs, job.toTs, job.cname ?? undefined);
      let toFetch = counts.listed - counts.full;
      if (job.phase === 'listing') {
        const walk = listingProgress.get(job.id);
        const walked = job.done - (walk?.doneAtStart ?? 0);
        if (walk === undefined || walked <= 0) return null;
        const left = job.total - job.done;
        listLeft = Math.ceil(((job.listRequests - walk.requestsAtStart) * left) / walked);
        // The calls of the part not listed yet are as many, pro rata, as those listed so far.
        toFetch = Math.round((toFetch * job.total) / Math.max(1, job.done));
      }
      detailsLeft = Math.min(toFetch, budget);
    } else {
      return null;
    }
    const quota = options.quota?.().endpoints;
    const endpoint = job.phase === 'listing' ? 'callLists' : 'callDetails';
    const start = Math.max(
      clock(),
      quota?.[endpoint].nextSlotAt ?? 0,
      quota?.[endpoint].blockedUntil ?? 0,
    );
    const ms =
      listLeft * requestSpacingMs(plan, 'callLists') +
      detailsLeft * requestSpacingMs(plan, 'callDetails');
    return start + Math.round(ms);
  }

  const toStatus = (job: SyncJobRecord): SyncJobStatus => jobStatus(job, etaOf(job));

  function commit(job: SyncJobRecord): void {
    // A closed engine's job may be run by a new engine of the same profile already: leave its row.
    if (closed) return;
    jobs.save(job, clock());
    options.onProgress?.(toStatus(job));
  }

  function requireJob(jobId: number): SyncJobRecord {
    const job = jobs.get(jobId);
    if (job === undefined || job.appid !== appid) {
      throw new AppError('NOT_FOUND', `There is no sync job ${jobId} for this profile.`);
    }
    return job;
  }

  /** Requests this job may still spend on details (its own cap and the background quota). */
  function detailsBudgetLeft(job: SyncJobRecord): number {
    const cap =
      job.maxDetails === null ? Infinity : Math.max(0, job.maxDetails - job.detailsRequests);
    const quota = backgroundDetailsLeft() ?? plan.endpoints.callDetails.perDay ?? Infinity;
    return Math.min(cap, quota);
  }

  function planOf(job: SyncJobRecord, candidates: readonly DetailsCandidate[]): SyncPlan {
    const counts = calls.countInRange(appid, job.fromTs, job.toTs, job.cname ?? undefined);
    const now = nowSec();
    const earliest = earliestDetailsTs(plan, clock());
    let needed = 0;
    for (const c of candidates) {
      const span = spanToFetch(c, plan, now, earliest);
      if (span !== null) needed += requestsForSpan(span, plan);
    }
    const allowed = detailsBudgetLeft(job);
    return {
      callsListed: counts.listed,
      callsFull: counts.full,
      detailsRequestsNeeded: needed,
      detailsRequestsAllowed: Number.isFinite(allowed) ? allowed : needed,
      callsLeftListedOnly: counts.listed - counts.full,
    };
  }

  async function detailsPhase(job: SyncJobRecord, signal: AbortSignal): Promise<AppError | null> {
    const now = nowSec();
    const earliest = earliestDetailsTs(plan, clock());
    const candidates = candidatesOf(job);
    const fetchable: Array<{ call: DetailsCandidate; span: { fromTs: number; toTs: number } }> = [];
    let agedOut = 0;
    for (const call of candidates) {
      const span = spanToFetch(call, plan, now, earliest);
      if (span !== null) fetchable.push({ call, span });
      else if (call.finished && call.destroyedTs < earliest) agedOut++;
    }
    let budget = detailsBudgetLeft(job);
    const queue = orderForLookback(fetchable, plan, clock(), budget);
    // Notes about an earlier details pass (and about waiting for quota) no longer hold.
    for (const code of [
      'detailsBudget',
      'detailsAgedOut',
      'detailsFailed',
      'detailsQuota',
    ] as const) {
      job.notes = dropNoteFamily(job.notes, code);
    }
    // Progress counts the calls the budget reaches (so it ends at its total), and the ETA the
    // requests they take.
    const { fits, requests } = withinBudget(queue, plan, budget);
    const planned = planOf(job, candidates);
    // What will stay listed-only once this phase ends: all that is not archived in full now, less
    // the calls the budget reaches.
    job.plan = {
      ...planned,
      callsLeftListedOnly: Math.max(0, planned.callsLeftListedOnly - fits.size),
    };
    const progress = { planned: requests, requestsAtStart: job.detailsRequests };
    detailsProgress.set(job.id, progress);
    job.total = fits.size;
    job.done = 0;
    commit(job);

    let skipped = 0;
    let failures = 0;
    let consecutive = 0;
    // Set by a worker; read after all workers end (a holder, so TypeScript does not narrow it).
    const halt: { error: AppError | null } = { error: null };
    let next = 0;

    const worker = async (): Promise<void> => {
      while (halt.error === null && next < queue.length) {
        if (signal.aborted) throw new AppError('CANCELLED', 'The sync was cancelled.');
        const item = queue[next++];
        if (item === undefined) continue;
        const counted = fits.has(item);
        const plannedCost = counted ? requestsForSpan(item.span, plan) : 0;
        /** A counted call dealt with without fetching it: it needs none of its requests. */
        const passOver = (): void => {
          progress.planned -= plannedCost;
          if (!counted) return;
          job.done++;
          commit(job);
        };
        // The lookback edge moves while the phase runs: what is left of the call now.
        const span = spanToFetch(item.call, plan, nowSec(), earliestDetailsTs(plan, clock()));
        if (span === null) {
          agedOut++;
          passOver();
          continue;
        }
        const cost = requestsForSpan(span, plan);
        if (cost > budget) {
          skipped++;
          passOver();
          continue;
        }
        budget -= cost;
        // Its span may have shrunk since the plan, or budget freed by others lets it in after all.
        progress.planned += cost - plannedCost;
        if (!counted) job.total++;
        let sent = cost;
        let answered = 0;
        let fetched: FetchedDetails;
        try {
          fetched = await fetchCallDetails(item.call, span, {
            client,
            plan,
            priority: 'background',
            signal,
            onRequest: () => {
              job.detailsRequests++;
              answered++;
            },
            mayNarrow: () => {
              if (budget < 1) return false;
              budget--;
              progress.planned++;
              sent++;
              return true;
            },
          });
        } catch (error) {
          // What it would still have sent is not coming.
          progress.planned -= sent - answered;
          job.done++;
          if (isCode(error, 'CANCELLED') || signal.aborted) throw error;
          if (
            isCode(error, 'QUOTA_EXHAUSTED') ||
            isCode(error, 'AUTH_REJECTED') ||
            isCode(error, 'AUTH_MISSING')
          ) {
            halt.error = error as AppError;
            return;
          }
          if (isCode(error, 'OUT_OF_RANGE')) {
            // Aged out between asking and sending: nothing can fetch it any more.
            agedOut++;
            commit(job);
            continue;
          }
          failures++;
          consecutive++;
          if (consecutive >= MAX_CONSECUTIVE_FAILURES) {
            halt.error =
              error instanceof AppError ? error : new AppError('INTERNAL', String(error));
          }
          commit(job);
          continue;
        }
        consecutive = 0;
        db.transaction(() => {
          calls.writeDetails({
            appid,
            callId: item.call.callId,
            fromTs: fetched.fromTs,
            toTs: fetched.toTs,
            users: fetched.users,
            series: fetched.series,
            archive: fetched.archive,
            notes: fetched.notes,
            detect: (users, series) =>
              detectIssues({ users, series, sampleIntervalSec: plan.sampleIntervalSec }),
            nowMs: clock(),
          });
          job.done++;
          if (!closed) jobs.save(job, clock());
        })();
        options.onProgress?.(toStatus(job));
      }
    };
    try {
      await Promise.all(
        Array.from({ length: Math.min(concurrency, Math.max(1, queue.length)) }, worker),
      );
    } finally {
      detailsProgress.delete(job.id);
    }

    const allowedAtStart = job.plan.detailsRequestsAllowed;
    job.plan = {
      ...planOf(job, candidatesOf(job)),
      detailsRequestsAllowed: allowedAtStart,
    };
    const left = job.plan.callsLeftListedOnly;
    if (skipped > 0) {
      addNotes(job, syncNote('detailsBudget', { count: skipped }));
    }
    if (agedOut > 0) {
      addNotes(job, syncNote('detailsAgedOut', { count: agedOut }));
    }
    if (failures > 0) {
      addNotes(job, syncNote('detailsFailed', { count: failures }));
    }
    const stop = halt.error;
    if (stop !== null && isCode(stop, 'QUOTA_EXHAUSTED')) {
      const retryAt = retryAtOf(stop);
      addNotes(
        job,
        retryAt === undefined
          ? syncNote('detailsQuotaLater', { count: left })
          : syncNote('detailsQuota', { count: left, resumeTs: Math.ceil(retryAt / 1000) }),
      );
    }
    return stop;
  }

  async function runJob(job: SyncJobRecord, signal: AbortSignal): Promise<void> {
    job.state = 'running';
    job.error = null;
    job.resumeAtMs = null;
    commit(job);

    const now = nowSec();
    const listEarliest = earliestListableTs(plan, clock());
    // A watch job's range follows the clock by design; these notes would only repeat that.
    const manual = job.origin === 'manual';
    if (manual && job.fromTs < listEarliest) {
      const days = (plan.endpoints.callLists.lookbackSec ?? 0) / 86400;
      addNotes(job, syncNote('lookback', { days, beforeTs: listEarliest }));
    }
    const delay = plan.endpoints.callLists.dataDelaySec;
    if (manual && job.toTs > now - delay) {
      addNotes(job, syncNote('dataDelay', { delaySec: delay }));
    }

    if (job.phase === 'listing') {
      listingProgress.set(job.id, {
        requestsAtStart: job.listRequests,
        doneAtStart: job.cursorTs === null ? 0 : job.done,
      });
      try {
        await enumerateCalls(job, {
          client,
          appid,
          plan,
          clock,
          calls,
          signal,
          commit: () => commit(job),
          pastCrowdedSeconds: () => jobs.crowdedSeconds(appid),
        });
      } finally {
        listingProgress.delete(job.id);
      }
      addNotes(job, ...crowdedNotes(job, plan));
      job.phase = 'usage';
      commit(job);
    }
    const checkCancelled = (): void => {
      if (signal.aborted) throw new AppError('CANCELLED', 'The sync was cancelled.');
    };
    checkCancelled();
    if (job.phase === 'usage') {
      await syncUsage(job, { client, appid, plan, clock, usage, signal });
      job.phase = 'details';
      commit(job);
    }
    checkCancelled();
    if (job.phase === 'details') {
      const stop = await detailsPhase(job, signal);
      if (stop !== null) {
        if (isCode(stop, 'QUOTA_EXHAUSTED')) {
          job.state = 'waiting';
          job.resumeAtMs = retryAtOf(stop) ?? clock() + refreshAfterMs;
        } else {
          job.state = 'failed';
          job.error = { code: stop.code, message: stop.message };
        }
        commit(job);
        return;
      }
    }
    checkCancelled();
    finishPass(job);
  }

  /** Ends a pass: done, or (with timers) waiting to refresh calls that were still running. */
  function finishPass(job: SyncJobRecord): void {
    if (job.origin === 'watch') {
      // The next pass moves the range on (rollWatch); phase 'done' says this one is complete.
      job.phase = 'done';
      job.state = options.timers === undefined ? 'done' : 'waiting';
      job.resumeAtMs = options.timers === undefined ? null : clock() + watchGapMs(job);
      commit(job);
      return;
    }
    const counts = calls.countInRange(appid, job.fromTs, job.toTs, job.cname ?? undefined);
    const young = job.toTs > nowSec() - plan.endpoints.callDetails.dataDelaySec;
    job.phase = 'done';
    job.state = 'done';
    if (counts.unfinished > 0 || young) {
      if (options.timers !== undefined) {
        // Look again later, listing only what can have changed since this pass.
        job.state = 'waiting';
        job.phase = 'listing';
        job.cursorTs = null;
        job.listFloorTs = refreshFloor(job, job.fromTs, nowSec());
        job.resumeAtMs = clock() + refreshAfterMs;
      } else if (counts.unfinished > 0) {
        addNotes(job, syncNote('runningCalls', { count: counts.unfinished }));
      }
    }
    commit(job);
  }

  /**
   * Where a new pass over a range already listed up to `listedTop` starts listing: the oldest call
   * seen running (it may have ended since) or what was too young to be listed then.
   */
  function refreshFloor(job: SyncJobRecord, fromTs: number, listedTop: number): number {
    const cname = job.cname ?? undefined;
    const top = Math.max(listedTop, nowSec());
    const newOnly = Math.max(fromTs, listedTop - plan.endpoints.callLists.dataDelaySec);
    const older = calls
      .unfinishedInRange(appid, Math.max(fromTs, earliestListableTs(plan, clock())), top, cname)
      .filter((c) => c.createdTs < newOnly);
    const oldest = older[0];
    if (oldest === undefined) return newOnly;
    // Listing back to the oldest running call, or asking for each running call by channel
    // (refreshRunningBelowFloor): whichever takes fewer requests by what the archive knows.
    const perAnswer = plan.maxCallsPerList;
    const listBack = Math.ceil(
      calls.countInRange(appid, oldest.createdTs, top, cname).listed / perAnswer,
    );
    const oneByOne =
      Math.ceil(calls.countInRange(appid, newOnly, top, cname).listed / perAnswer) + older.length;
    return listBack <= oneByOne ? oldest.createdTs : newOnly;
  }

  /**
   * Moves a resumed job's end to `toTs`. A job past listing lists again what can have changed
   * (the new part, calls seen running); one in the middle of listing walks the new part first.
   */
  function extendEnd(job: SyncJobRecord, toTs: number): void {
    const listedTop = job.toTs;
    job.toTs = toTs;
    if (job.phase !== 'listing') {
      job.listFloorTs = refreshFloor(job, job.fromTs, listedTop);
      job.phase = 'listing';
      job.cursorTs = null;
    }
  }

  /**
   * How long a watch waits after a pass: refreshAfterMs, or longer when a pass like this one,
   * repeated at that pace, would spend more than WATCH_QUOTA_SHARE of a daily quota. A pass that
   * covered more new time than usual (the first after a sleep) is scaled down to the usual.
   */
  function watchGapMs(job: SyncJobRecord): number {
    const start = passStart.get(job.id);
    passStart.delete(job.id);
    if (start === undefined) return refreshAfterMs;
    const scale = Math.min(1, refreshAfterMs / Math.max(1, start.newMs));
    const spent = [
      { n: job.listRequests - start.list, perDay: plan.endpoints.callLists.perDay },
      { n: job.detailsRequests - start.details, perDay: plan.endpoints.callDetails.perDay },
    ];
    let gap = refreshAfterMs;
    for (const { n, perDay } of spent) {
      if (perDay !== null && perDay > 0) {
        gap = Math.max(gap, Math.ceil((n * scale * DAY_MS) / (perDay * WATCH_QUOTA_SHARE)));
      }
    }
    return gap;
  }

  /** The range a watch keeps synced now: its look-back, within what the API still lists. */
  function watchRange(watch: EngineWatch): { fromTs: number; toTs: number } {
    const now = nowSec();
    const fromTs = Math.max(now - watch.lookbackSec, earliestListableTs(plan, clock()));
    return { fromTs, toTs: Math.max(now, fromTs + 1) };
  }

  /**
   * Moves a watch job between passes to the latest look-back and starts a new pass that lists
   * only what can have changed since the last one. A job in the middle of a pass keeps its range
   * until that pass ends.
   */
  function rollWatch(job: SyncJobRecord, watch: EngineWatch): void {
    const fresh = job.phase === 'listing' && job.cursorTs === null;
    if (job.phase !== 'done' && !fresh) return;
    const { fromTs, toTs } = watchRange(watch);
    if (job.phase === 'done') {
      const newMs = (toTs - job.toTs) * 1000;
      passStart.set(job.id, { list: job.listRequests, details: job.detailsRequests, newMs });
      // The last pass covered [job.fromTs, job.toTs]; listing that again would only repeat it.
      job.listFloorTs = job.toTs < fromTs ? null : refreshFloor(job, fromTs, job.toTs);
    } else if (job.listFloorTs !== null) {
      job.listFloorTs = Math.max(fromTs, job.listFloorTs);
    }
    job.fromTs = fromTs;
    job.toTs = toTs;
    job.phase = 'listing';
    job.cursorTs = null;
    job.done = 0;
    job.total = 0;
    job.error = null;
    job.notes = [];
    job.crowded = job.crowded.filter((c) => c.ts >= fromTs);
  }

  function schedule(job: SyncJobRecord): void {
    if (options.timers === undefined || job.state !== 'waiting' || job.resumeAtMs === null) return;
    const old = timers.get(job.id);
    if (old !== undefined) options.timers.clearTimeout(old);
    const handle = options.timers.setTimeout(
      () => {
        timers.delete(job.id);
        const fresh = jobs.get(job.id);
        if (fresh === undefined || fresh.state !== 'waiting' || closed) return;
        if (fresh.origin === 'watch') {
          const watch = watchNow();
          if (watch === null) {
            fresh.state = 'done';
            fresh.resumeAtMs = null;
            commit(fresh);
            return;
          }
          rollWatch(fresh, watch);
        }
        void launch(fresh);
      },
      Math.max(0, job.resumeAtMs - clock()),
    );
    timers.set(job.id, handle);
  }

  function launch(job: SyncJobRecord): Promise<SyncJobStatus> {
    const active = running.get(job.id);
    if (active !== undefined) return active.done;
    const controller = new AbortController();
    const done = (async (): Promise<SyncJobStatus> => {
      try {
        await runJob(job, controller.signal);
      } catch (error) {
        if (closed && job.state === 'running') {
          // Shut down (app quit, Ctrl-C), not cancelled: the job stays open and resumes later.
          running.delete(job.id);
          return toStatus(job);
        }
        if (controller.signal.aborted) {
          job.state = 'cancelled';
        } else if (isCode(error, 'QUOTA_EXHAUSTED')) {
          job.state = 'waiting';
          job.resumeAtMs = retryAtOf(error) ?? clock() + refreshAfterMs;
          addNotes(job, syncNote('listQuota', {}));
        } else {
          job.state = 'failed';
          const data = error instanceof AppError ? error : new AppError('INTERNAL', String(error));
          job.error = { code: data.code, message: data.message };
        }
        commit(job);
      } finally {
        running.delete(job.id);
      }
      schedule(job);
      return toStatus(job);
    })();
    running.set(job.id, { job, controller, done });
    return done;
  }

  function cancel(jobId: number): SyncJobStatus {
    const active = running.get(jobId);
    const job = active?.job ?? requireJob(jobId);
    const t = timers.get(jobId);
    if (t !== undefined) options.timers?.clearTimeout(t);
    timers.delete(jobId);
    if (job.state === 'running' || job.state === 'waiting') {
      job.state = 'cancelled';
      job.resumeAtMs = null;
      commit(job);
    }
    active?.controller.abort();
    return toStatus(job);
  }

  return {
    appid,
    start(args) {
      if (closed) throw new AppError('INTERNAL', 'The sync engine is closed.');
      if (!(args.toTs > args.fromTs)) {
        throw new AppError('BAD_INPUT', 'The end of the range must be after its start.', {
          details: { fields: ['toTs'] },
        });
      }
      const wanted = {
        appid,
        profile,
        fromTs: args.fromTs,
        toTs: args.toTs,
        cname: args.cname ?? null,
        maxDetails: args.maxDetailsRequests ?? null,
      };
      const existing = jobs.findResumable(wanted);
      let job: SyncJobRecord;
      if (existing !== undefined) {
        const active = running.get(existing.id);
        if (active !== undefined) return toStatus(active.job);
        job = existing;
        job.maxDetails = wanted.maxDetails ?? job.maxDetails;
        if (wanted.toTs > job.toTs) extendEnd(job, wanted.toTs);
        const t = timers.get(job.id);
        if (t !== undefined) options.timers?.clearTimeout(t);
        timers.delete(job.id);
      } else {
        job = jobs.create(wanted, clock());
      }
      void launch(job);
      return toStatus(job);
    },
    settled(jobId) {
      const active = running.get(jobId);
      return active !== undefined ? active.done : Promise.resolve(toStatus(requireJob(jobId)));
    },
    cancel,
    status: (jobId) => toStatus(requireJob(jobId)),
    recent: (limit) =>
      jobs
        .recent(limit)
        .filter((j) => j.appid === appid)
        .map(toStatus),
    resumeOpen() {
      for (const job of jobs.open()) {
        if (job.appid !== appid || running.has(job.id)) continue;
        // Watch jobs follow the watch's setting: ensureWatch resumes or stops them.
        if (job.origin === 'watch') continue;
        if (job.profile !== profile) {
          // Another profile's job stays with it. One a CLI run left (no profile) is adopted, once
          // no process can still be running it.
          if (job.profile !== null || profile === null) continue;
          if (job.state === 'running' && clock() - job.updatedAtMs < orphanAfterMs) continue;
          job.profile = profile;
          jobs.save(job, clock());
        }
        if (job.state === 'waiting' && job.resumeAtMs !== null && job.resumeAtMs > clock()) {
          schedule(job);
        } else {
          void launch(job);
        }
      }
    },
    ensureWatch() {
      if (profile === null || closed) return null;
      const watch = watchNow();
      const job = jobs.latestWatch(appid, profile);
      if (job === undefined) {
        if (watch === null) return null;
        const created = jobs.create(
          {
            appid,
            profile,
            ...watchRange(watch),
            cname: null,
            maxDetails: null,
            origin: 'watch',
          },
          clock(),
        );
        void launch(created);
        return toStatus(created);
      }
      const active = running.get(job.id);
      if (watch === null) {
        return job.state === 'running' || job.state === 'waiting' ? cancel(job.id) : toStatus(job);
      }
      if (active !== undefined) return toStatus(active.job);
      if (job.state === 'waiting' && job.resumeAtMs !== null && job.resumeAtMs > clock()) {
        if (!timers.has(job.id)) schedule(job);
        if (options.timers !== undefined) return toStatus(job);
      }
      // Ended, left running by a restart, or due: carry on (the next pass, or the one cut short).
      const t = timers.get(job.id);
      if (t !== undefined) options.timers?.clearTimeout(t);
      timers.delete(job.id);
      rollWatch(job, watch);
      void launch(job);
      return toStatus(job);
    },
    async fetchCall(callId, signal) {
      const call = calls.getCall(appid, callId, false);
      if (call === undefined) {
        throw new AppError(
          'NOT_FOUND',
          `Call ${callId} is not in the archive; sync its time range first.`,
        );
      }
      if (call.archive !== 'full') {
        calls.markWanted(appid, callId, clock());
        const now = nowSec();
        const earliest = earliestDetailsTs(plan, clock());
        const target = {
          callId,
          createdTs: call.createdTs,
          destroyedTs: call.destroyedTs,
          finished: call.finished,
          detailsFromTs: call.detailsFromTs,
          detailsToTs: call.detailsToTs,
        };
        const span = spanToFetch(target, plan, now, earliest);
        if (span !== null) {
          const fetched = await fetchCallDetails(target, span, {
            client,
            plan,
            priority: 'interactive',
            ...(signal ? { signal } : {}),
          });
          calls.writeDetails({
            appid,
            callId,
            ...fetched,
            detect: (users, series) =>
              detectIssues({ users, series, sampleIntervalSec: plan.sampleIntervalSec }),
            nowMs: clock(),
          });
        }
      }
      const detail = calls.getCall(appid, callId, true);
      if (detail === undefined) throw new AppError('NOT_FOUND', `Call ${callId} vanished.`);
      return detail;
    },
    close() {
      closed = true;
      for (const t of timers.values()) options.timers?.clearTimeout(t);
      timers.clear();
      for (const r of running.values()) r.controller.abort();
    },
  };
}

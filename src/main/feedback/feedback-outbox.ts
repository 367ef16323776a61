// The feedback outbox service: validates a report, persists it before any send, and delivers the
// queue one report at a time through the API client (whose limiter paces the endpoint's rate).
// Retries only what surely did not arrive; what may have arrived waits for the agent.

import { AppError } from '../../shared/errors.ts';
import type { WireFeedbackBody } from '../../shared/api-wire.ts';
import {
  feedbackFormSchema,
  type FeedbackChanged,
  type FeedbackCounts,
  type FeedbackList,
  type FeedbackReport,
  type FeedbackStatus,
} from '../../shared/feedback.ts';
import type { CrystalClient } from '../api/crystal-client-types.ts';
import { UNREF_TIMERS, type Timers } from '../core/timers.ts';
import type { ErrorNote, FeedbackOutboxStore } from '../store/feedback-outbox-store.ts';
import { deliveryVerdict } from './delivery-verdict.ts';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffOptions } from './retry-backoff.ts';

export type { Timers };

export interface FeedbackOutboxDeps {
  store: FeedbackOutboxStore;
  /**
   * The API client of a profile. Throws AppError AUTH_MISSING / KEYCHAIN_UNAVAILABLE while it
   * cannot send (the report waits), NOT_FOUND when the profile is gone (the report fails).
   */
  clientFor(profileId: string): Promise<CrystalClient> | CrystalClient;
  /** The profile new reports are filed under (the active one), or undefined when none is set up. */
  activeProfile(): { id: string; appid: string } | undefined;
  /** Unix ms. */
  clock?: () => number;
  /** [0, 1), for backoff jitter. */
  random?: () => number;
  timers?: Timers;
  backoff?: BackoffOptions;
  onChange?: (change: FeedbackChanged) => void;
}

export interface FeedbackListQuery {
  statuses?: FeedbackStatus[] | undefined;
  limit?: number | undefined;
  beforeId?: number | undefined;
}

export interface FeedbackOutbox {
  /** Recovers reports a crash left in flight, then starts delivering. */
  start(): void;
  /** Validates and persists a report (status queued), then starts sending it. */
  submit(form: unknown): FeedbackReport;
  list(query?: FeedbackListQuery): FeedbackList;
  counts(): FeedbackCounts;
  /** The agent sends an unconfirmed or failed report again (or hurries a queued one). */
  resend(id: number): FeedbackReport;
  /** The agent gives up on a report that is not sent (and not in flight). */
  discard(id: number): FeedbackCounts;
  /** The network is back (an online event, a successful request): retry what waits, now. */
  nudge(): void;
  /** Resolves when nothing is in flight and nothing is due now (tests, shutdown). */
  idle(): Promise<void>;
  /** Stops timers; an in-flight request is aborted and settled like any failure. */
  close(): Promise<void>;
}

const INTERRUPTED: ErrorNote = {
  code: 'INTERRUPTED',
  message: 'Crystal Desk stopped while this report was being sent; it may have arrived.',
};

function wireBody(report: FeedbackReport): WireFeedbackBody {
  const body: WireFeedbackBody = {
    cname: report.channel,
    teacher_uid: report.teacherUid,
    type: report.type,
  };
  if (report.actingUid !== null) body.action_uid = report.actingUid;
  if (report.problemTs !== null) body.ts = report.problemTs;
  if (report.comments !== null && report.comments !== '') body.comments = report.comments;
  return body;
}

function noteOf(error: unknown): ErrorNote {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

function waitingOf(counts: FeedbackCounts): number {
  return counts.queued + counts.sending + counts.unconfirmed + counts.failed;
}

export function createFeedbackOutbox(deps: FeedbackOutboxDeps): FeedbackOutbox {
  const { store } = deps;
  const clock = deps.clock ?? Date.now;
  const random = deps.random ?? Math.random;
  const timers = deps.timers ?? UNREF_TIMERS;
  const backoff = deps.backoff ?? DEFAULT_BACKOFF;
  const formSchema = feedbackFormSchema(clock);

  let started = false;
  let closed = false;
  let pumping: Promise<void> | undefined;
  let rerun = false;
  let timer: unknown;
  /** After a failure that did not reach the server, nothing is sent before this (Unix ms). */
  let pausedUntil = 0;
  let consecutiveFailures = 0;
  let inFlight: AbortController | undefined;

  const changed = (ids: number[]) => {
    if (!deps.onChange) return;
    const counts = store.counts();
    deps.onChange({ ids, counts, waiting: waitingOf(counts) });
  };

  const clearTimer = () => {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
  };

  const schedule = () => {
    clearTimer();
    if (closed || !started) return;
    const earliest = store.earliestQueuedAttempt();
    if (earliest === undefined) return;
    const at = Math.max(earliest, pausedUntil);
    timer = timers.setTimeout(
      () => {
        timer = undefined;
        kick();
      },
      Math.max(0, at - clock()),
    );
  };

  const kick = () => {
    if (closed || !started) return;
    if (pumping) {
      rerun = true;
      return;
    }
    clearTimer();
    pumping = deliverDue()
      // Only the store can throw here (its database closed under a shutdown): the report stays
      // as last written, and start() recovers it next time.
      .catch(() => undefined)
      .finally(() => {
        pumping = undefined;
        if (rerun) {
          rerun = false;
          kick();
        } else schedule();
      });
  };

  async function sendOne(report: FeedbackReport): Promise<void> {
    const controller = new AbortController();
    inFlight = controller;
    let client: CrystalClient | undefined;
    try {
      client = await deps.clientFor(report.profileId);
      await client.reportFeedback(wireBody(report), {
        priority: 'interactive',
        signal: controller.signal,
      });
      store.markSent(report.id, clock());
      consecutiveFailures = 0;
      pausedUntil = 0;
    } catch (error) {
      const now = clock();
      let verdict = deliveryVerdict(error);
      // Without a client nothing left this machine, whatever the error says.
      if (client === undefined && verdict.kind === 'unconfirmed') verdict = { kind: 'retry' };
      const note = noteOf(error);
      if (verdict.kind === 'retry') {
        consecutiveFailures++;
        const at = verdict.retryAt ?? now + retryDelayMs(consecutiveFailures, random, backoff);
        pausedUntil = at;
        store.requeue(report.id, at, note, now);
        // What failed was the way to the API, not this report: the whole queue waits, in order,
        // and a restart in between keeps the wait.
        store.postponeQueued(at, now);
      } else if (verdict.kind === 'wait') {
        store.requeue(report.id, now + backoff.capMs, note, now);
      } else {
        store.settle(report.id, verdict.kind, note, now);
      }
    } finally {
      inFlight = undefined;
    }
    changed([report.id]);
  }

  async function deliverDue(): Promise<void> {
    while (!closed) {
      const now = clock();
      if (now < pausedUntil) return;
      const due = store.nextDue(now);
      if (!due) return;
      // Persisted before the request leaves: a crash from here on leaves 'sending' behind,
      // which start() turns into 'unconfirmed'.
      if (!store.markSending(due.id, now)) continue;
      changed([due.id]);
      await sendOne({ ...due, status: 'sending', attempts: due.attempts + 1 });
    }
  }

  const mustGet = (id: number): FeedbackReport => {
    const report = store.get(id);
    if (!report) throw new AppError('NOT_FOUND', `feedback report ${id}`);
    return report;
  };

  return {
    start() {
      if (started || closed) return;
      started = true;
      const recovered = store.recoverInterrupted(INTERRUPTED, clock());
      if (recovered.length > 0) changed(recovered);
      kick();
    },

    submit(form) {
      const parsed = formSchema.safeParse(form);
      if (!parsed.success) {
        const message = parsed.error.issues
          .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
          .join('; ');
        throw new AppError('BAD_INPUT', message, {
          details: { fields: parsed.error.issues.map((i) => i.path.map(String).join('.')) },
        });
      }
      const profile = deps.activeProfile();
      if (profile === undefined) {
        throw new AppError(
          'AUTH_MISSING',
          'Set up a profile (App ID and credentials) before filing a report.',
        );
      }
      const f = parsed.data;
      const report = store.insert({
        profileId: profile.id,
        appid: profile.appid,
        channel: f.channel,
        teacherUid: f.teacherUid,
        actingUid: f.actingUid ?? null,
        problemTs: f.problemTs ?? null,
        comments: f.comments ?? null,
        type: f.type,
        callId: f.callId ?? null,
        nowMs: clock(),
      });
      changed([report.id]);
      kick();
      return report;
    },

    list(query = {}) {
      const reports = store.list({
        limit: query.limit ?? 200,
        ...(query.statuses !== undefined ? { statuses: query.statuses } : {}),
        ...(query.beforeId !== undefined ? { beforeId: query.beforeId } : {}),
      });
      return { reports, counts: store.counts() };
    },

    counts() {
      return store.counts();
    },

    resend(id) {
      const report = mustGet(id);
      if (report.status === 'sending') {
        throw new AppError('BAD_INPUT', `feedback report ${id} is being sent right now`);
      }
      if (report.status === 'sent') {
        throw new AppError('BAD_INPUT', `feedback report ${id} was already delivered`);
      }
      store.resend(id, clock());
      // The agent asked for it: do not make them wait out an earlier backoff.
      pausedUntil = 0;
      changed([id]);
      kick();
      return mustGet(id);
    },

    discard(id) {
      const report = mustGet(id);
      if (report.status === 'sending' || report.status === 'sent') {
        throw new AppError(
          'BAD_INPUT',
          report.status === 'sending'
            ? `feedback report ${id} is being sent right now`
            : `feedback report ${id} was delivered and stays on record`,
        );
      }
      store.discard(id);
      changed([id]);
      return store.counts();
    },

    nudge() {
      if (closed) return;
      pausedUntil = 0;
      const now = clock();
      store.makeQueuedDue(now);
      kick();
    },

    async idle() {
      while (pumping) await pumping;
    },

    async close() {
      closed = true;
      clearTimer();
      inFlight?.abort();
      while (pumping) await pumping;
    },
  };
}

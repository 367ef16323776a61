// Decides when each API request of one customer may be sent: the plan's rolling rate windows and
// daily quotas (counted from the persisted log, so every process on the same data file shares
// them), interactive before background with a reserve, coalescing of identical requests, and
// Retry-After after a 429. It never builds or sends HTTP itself (the client does).

import { DAY_MS, type EndpointName, type PlanLimits } from '../../shared/api-limits.ts';
import { AppError } from '../../shared/errors.ts';
import type { EndpointQuotaState, QuotaState } from '../../shared/quota-types.ts';
import type { RequestPriority } from '../api/crystal-client-types.ts';
import { deliveryOf, requestError } from '../api/request-delivery.ts';
import type { Timers } from '../core/timers.ts';
import { createQuotaLogStore, type Db, type QuotaLogStore } from '../store/index.ts';

export type { Timers };

export interface QuotaLimiterOptions {
  customerId: string;
  plan: PlanLimits;
  /**
   * Persists one row per request sent (quota_log) and counts the day from it, so a restart, or
   * another process on the same file (a CLI sync beside the app), shares the daily quota; without
   * it counts live in memory only.
   */
  db?: Db;
  /** Alternatively, the quota log store itself. */
  log?: QuotaLogStore;
  /** Unix ms. Default Date.now. */
  clock?: () => number;
  timers?: Timers;
  /** Share of each daily quota that background work may not spend. Default 0.1. */
  backgroundReserve?: number;
  /**
   * Added to the 24-hour window: the server counts a request when it arrives (later than we sent
   * it) on its own clock. Default 60 s.
   */
  dayMarginMs?: number;
  /** A 429 asking to wait longer than this fails the request instead of retrying. Default 30 s. */
  maxAutoRetryWaitMs?: number;
  /** Automatic retries of one request after 429s. Default 3. */
  maxRetries?: number;
  onChange?: (state: QuotaState) => void;
}

export interface ScheduleRequest {
  endpoint: EndpointName;
  priority?: RequestPriority;
  /** Requests with the same key while one is queued or in flight share its response. */
  key?: string;
  signal?: AbortSignal;
}

export interface QuotaLimiter {
  readonly customerId: string;
  /**
   * Runs `send` once a slot is free, or refuses before sending (QUOTA_EXHAUSTED, RATE_LIMITED,
   * CANCELLED, all with details.delivery 'not_sent'). `send` gets a signal that aborts when every
   * caller sharing the request has cancelled.
   */
  schedule<T>(request: ScheduleRequest, send: (signal: AbortSignal) => Promise<T>): Promise<T>;
  state(): QuotaState;
  setPlan(plan: PlanLimits): void;
  /** Cancels waiting requests and in-flight ones; the limiter is unusable afterwards. */
  close(): void;
}

interface Sent {
  sentAt: number;
  /** When the answer (or failure) came; null while in flight. */
  doneAt: number | null;
  rowId: number | null;
}

interface Waiter {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  detach(): void;
}

interface Job {
  endpoint: EndpointName;
  priority: RequestPriority;
  key: string | undefined;
  send: (signal: AbortSignal) => Promise<unknown>;
  waiters: Set<Waiter>;
  controller: AbortController;
  state: 'queued' | 'running' | 'settled';
  attempts: number;
}

interface Lane {
  sent: Sent[];
  interactive: Job[];
  background: Job[];
  running: number;
  blockedUntil: number;
  blockedCode: 'RATE_LIMITED' | 'QUOTA_EXHAUSTED';
  /** >= 1: rate windows are stretched by this after a 429, decaying back with successes. */
  slowFactor: number;
}

const MAX_SLOW_FACTOR = 8;
const DEFAULT_TIMERS: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function createQuotaLimiter(options: QuotaLimiterOptions): QuotaLimiter {
  const { customerId } = options;
  const log = options.log ?? (options.db ? createQuotaLogStore(options.db) : undefined);
  const clock = options.clock ?? Date.now;
  const timers = options.timers ?? DEFAULT_TIMERS;
  const reserveShare = options.backgroundReserve ?? 0.1;
  const dayMarginMs = options.dayMarginMs ?? 60_000;
  const maxAutoRetryWaitMs = options.maxAutoRetryWaitMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 3;
  const dayWindow = DAY_MS + dayMarginMs;
  let plan = options.plan;
  let closed = false;

  const lanes = new Map<EndpointName, Lane>();
  const lane = (endpoint: EndpointName): Lane => {
    let l = lanes.get(endpoint);
    if (l === undefined) {
      l = {
        sent: [],
        interactive: [],
        background: [],
        running: 0,
        blockedUntil: 0,
        blockedCode: 'RATE_LIMITED',
        slowFactor: 1,
      };
      lanes.set(endpoint, l);
    }
    return l;
  };
  for (const endpoint of Object.keys(plan.endpoints) as EndpointName[]) lane(endpoint);

  /** How long sent requests matter to the short rate windows (stretched after a 429). */
  function rateHistoryMs(): number {
    return Math.max(
      0,
      ...Object.values(plan.endpoints).flatMap((e) =>
        e.rates.map((r) => r.windowMs * MAX_SLOW_FACTOR),
      ),
    );
  }

  // The daily counts are read from the log whenever they are needed; only the last moments are
  // kept in memory, so a restart right after a burst still paces by the rate windows.
  if (log !== undefined) {
    const now = clock();
    log.prune(now - dayWindow);
    for (const row of log.since(customerId, now - rateHistoryMs())) {
      if (Object.hasOwn(plan.endpoints, row.endpoint)) {
        lane(row.endpoint as EndpointName).sent.push({
          sentAt: row.sentAt,
          doneAt: row.sentAt,
          rowId: null,
        });
      }
    }
  }

  const coalescing = new Map<string, Job>();
  const running = new Set<Job>();

  // ---- counting -------------------------------------------------------------------------------

  function forget(l: Lane, now: number): void {
    // Without a log the memory is the day's only record.
    const longest = log === undefined ? Math.max(dayWindow, rateHistoryMs()) : rateHistoryMs();
    let drop = 0;
    while (drop < l.sent.length) {
      const s = l.sent[drop]!;
      if (s.doneAt === null || s.sentAt > now - longest) break;
      drop++;
    }
    if (drop > 0) l.sent.splice(0, drop);
  }

  /** Requests of this endpoint sent in the rolling day, by any process sharing the log. */
  function usedToday(endpoint: EndpointName, now: number): number {
    if (log !== undefined) return log.count(customerId, endpoint, now - dayWindow);
    return lane(endpoint).sent.filter((s) => s.sentAt > now - dayWindow).length;
  }

  /** When the `index`-th oldest request of the rolling day was sent (0: the oldest). */
  function sentAtInDay(endpoint: EndpointName, now: number, index: number): number | undefined {
    if (log !== undefined) return log.sentAtOf(customerId, endpoint, now - dayWindow, index);
    return lane(endpoint).sent.filter((s) => s.sentAt > now - dayWindow)[index]?.sentAt;
  }

  function reserveOf(endpoint: EndpointName): number {
    const perDay = plan.endpoints[endpoint].perDay;
    return perDay === null ? 0 : Math.floor(perDay * reserveShare);
  }

  /** How many requests of this priority the day allows (Infinity without a daily quota). */
  function dailyAllowance(endpoint: EndpointName, priority: RequestPriority): number {
    const perDay = plan.endpoints[endpoint].perDay;
    if (perDay === null) return Infinity;
    return priority === 'background' ? perDay - reserveOf(endpoint) : perDay;
  }

  /** Refusal if `ahead` waiting requests plus this one would exceed the daily allowance. */
  function dailyRefusal(
    endpoint: EndpointName,
    priority: RequestPriority,
    ahead: number,
    now: number,
    used = usedToday(endpoint, now),
  ): AppError | null {
    const allowance = dailyAllowance(endpoint, priority);
    if (allowance === Infinity) return null;
    const excess = used + ahead + 1 - allowance;
    if (excess <= 0) return null;
    const retryAt = (sentAtInDay(endpoint, now, excess - 1) ?? now) + dayWindow;
    const perDay = plan.endpoints[endpoint].perDay;
    const who = priority === 'background' ? ' (the rest is kept for interactive requests)' : '';
    return requestError(
      'QUOTA_EXHAUSTED',
      `The daily quota of ${plan.endpoints[endpoint].path} is used up: ${used} of ${perDay} requests in the last 24 hours${who}.`,
      'not_sent',
      {
        retryAt,
        details: {
          endpoint,
          priority,
          used,
          limit: perDay,
          reserve: reserveOf(endpoint),
        },
      },
    );
  }

  /**
   * Refusal while the API has asked to hold off for longer than a request should wait (a long
   * Retry-After, or a daily quota it reports used up), else null.
   */
  function blockedRefusal(
    endpoint: EndpointName,
    priority: RequestPriority,
    now: number,
  ): AppError | null {
    const l = lane(endpoint);
    if (l.blockedUntil - now <= maxAutoRetryWaitMs) return null;
    const code = l.blockedCode;
    return requestError(
      code,
      code === 'QUOTA_EXHAUSTED'
        ? `The API reports the daily quota of ${plan.endpoints[endpoint].path} used up.`
        : `The API asked to wait before calling ${plan.endpoints[endpoint].path} again.`,
      'not_sent',
      { retryAt: l.blockedUntil, details: { endpoint, priority } },
    );
  }

  /**
   * The earliest time the short rate windows allow one more request: `now` when free, a later
   * time, or null while the slot depends on requests still in flight. A request occupies its
   * window from when it was sent until its answer came plus the window: the server counted it at
   * some moment in between, so spacing by answers can never look too dense to it.
   */
  function nextRateSlot(endpoint: EndpointName, now: number): number | null {
    const l = lane(endpoint);
    let slot = now;
    for (const rate of plan.endpoints[endpoint].rates) {
      const windowMs = rate.windowMs * l.slowFactor + Math.min(50, rate.windowMs * 0.02);
      const busy: number[] = [];
      let inFlight = 0;
      for (const s of l.sent) {
        if (s.doneAt === null) inFlight++;
        else if (s.doneAt > now - windowMs) busy.push(s.doneAt);
      }
      const excess = inFlight + busy.length + 1 - rate.limit;
      if (excess <= 0) continue;
      if (excess > busy.length) return null;
      busy.sort((a, b) => a - b);
      slot = Math.max(slot, busy[excess - 1]! + windowMs);
    }
    return slot;
  }

  // ---- queue ----------------------------------------------------------------------------------

  let timer: unknown = null;
  let timerAt = Infinity;
  let pumpQueued = false;
  let changeQueued = false;

  function notifyChange(): void {
    if (options.onChange === undefined || changeQueued || closed) return;
    changeQueued = true;
    queueMicrotask(() => {
      changeQueued = false;
      if (!closed) options.onChange?.(state());
    });
  }

  function requestPump(): void {
    if (pumpQueued || closed) return;
    pumpQueued = true;
    queueMicrotask(() => {
      pumpQueued = false;
      pump();
    });
  }

  function wakeAt(at: number, now: number): void {
    if (at >= timerAt) return;
    if (timer !== null) timers.clearTimeout(timer);
    timerAt = at;
    timer = timers.setTimeout(
      () => {
        timer = null;
        timerAt = Infinity;
        pump();
      },
      Math.max(0, at - now),
    );
  }

  function pump(): void {
    if (closed) return;
    const now = clock();
    for (const [endpoint, l] of lanes) {
      forget(l, now);
      for (;;) {
        const job = l.interactive[0] ?? l.background[0];
        if (job === undefined) break;
        // The day used up on the API's word: waiting would take hours, so say so now (as
        // schedule() does for new requests). A shorter hold is waited out.
        const held =
          l.blockedCode === 'QUOTA_EXHAUSTED' ? blockedRefusal(endpoint, job.priority, now) : null;
        if (held !== null) {
          dequeue(job);
          settle(job, (w) => w.reject(held));
          continue;
        }
        if (l.blockedUntil > now) {
          wakeAt(l.blockedUntil, now);
          break;
        }
        const refusal = dailyRefusal(endpoint, job.priority, 0, now);
        if (refusal !== null) {
          dequeue(job);
          settle(job, (w) => w.reject(refusal));
          continue;
        }
        const slot = nextRateSlot(endpoint, now);
        if (slot === null) break; // an answer will call pump()
        if (slot > now) {
          wakeAt(slot, now);
          break;
        }
        dequeue(job);
        if (!dispatch(job, l, now)) {
          // Another process on the same log took the last slot since the check above.
          const taken = dailyRefusal(endpoint, job.priority, 0, now) ?? dayTaken(endpoint, job);
          settle(job, (w) => w.reject(taken));
        }
      }
    }
    notifyChange();
  }

  function dequeue(job: Job): void {
    const l = lane(job.endpoint);
    const queue = job.priority === 'interactive' ? l.interactive : l.background;
    const at = queue.indexOf(job);
    if (at >= 0) queue.splice(at, 1);
  }

  function settle(job: Job, each: (waiter: Waiter) => void): void {
    job.state = 'settled';
    if (job.key !== undefined && coalescing.get(job.key) === job) coalescing.delete(job.key);
    for (const waiter of job.waiters) {
      waiter.detach();
      each(waiter);
    }
    job.waiters.clear();
  }

  function dayTaken(endpoint: EndpointName, job: Job): AppError {
    return requestError(
      'QUOTA_EXHAUSTED',
      `The daily quota of ${plan.endpoints[endpoint].path} is used up.`,
      'not_sent',
      { details: { endpoint, priority: job.priority } },
    );
  }

  /** Sends the job, or returns false when the persisted day has no room for it after all. */
  function dispatch(job: Job, l: Lane, now: number): boolean {
    let rowId: number | null = null;
    if (log !== undefined) {
      // Counted and recorded in one write transaction: the check in pump() read the log, but a
      // process sharing it may have sent since.
      const allowance = dailyAllowance(job.endpoint, job.priority);
      rowId = log.claim(customerId, job.endpoint, now, now - dayWindow, allowance);
      if (rowId === null) return false;
    }
    job.state = 'running';
    job.attempts++;
    l.running++;
    running.add(job);
    const entry: Sent = { sentAt: now, doneAt: null, rowId };
    l.sent.push(entry);
    let outcome: Promise<unknown>;
    try {
      outcome = job.send(job.controller.signal);
    } catch (error) {
      outcome = Promise.reject(error);
    }
    outcome.then(
      (value) => {
        l.running--;
        running.delete(job);
        if (closed) return; // already settled by close(); the log may be gone
        entry.doneAt = clock();
        l.slowFactor = Math.max(1, l.slowFactor * 0.8);
        settle(job, (w) => w.resolve(value));
        pump();
      },
      (error: unknown) => {
        l.running--;
        running.delete(job);
        if (closed) return;
        const at = clock();
        entry.doneAt = at;
        failed(job, l, entry, error, at);
        pump();
      },
    );
    return true;
  }

  /**
   * The API says the day is used up but not until when (no Retry-After): hold the endpoint until
   * the oldest request of the rolling day leaves it (the failed one itself when it is the only
   * one), and tell the caller that time.
   */
  function withDayHold(error: unknown, endpoint: EndpointName, now: number): unknown {
    if (!(error instanceof AppError) || error.code !== 'QUOTA_EXHAUSTED') return error;
    if (error.retryAt !== undefined) return error;
    const oldest = sentAtInDay(endpoint, now, 0) ?? now;
    return new AppError(error.code, error.message, {
      retryAt: Math.max(oldest + dayWindow, now),
      details: error.details,
      cause: error.cause,
    });
  }

  function failed(job: Job, l: Lane, entry: Sent, thrown: unknown, now: number): void {
    if (deliveryOf(thrown) === 'not_sent') {
      // It never reached the API: it must not count against the quota.
      l.sent.splice(l.sent.indexOf(entry), 1);
      if (entry.rowId !== null) log?.remove(entry.rowId);
    }
    const error = withDayHold(thrown, job.endpoint, now);
    const code = error instanceof AppError ? error.code : undefined;
    if (code === 'RATE_LIMITED' || code === 'QUOTA_EXHAUSTED') {
      const window = Math.max(...plan.endpoints[job.endpoint].rates.map((r) => r.windowMs), 0);
      const retryAt = (error as AppError).retryAt ?? now + window;
      if (retryAt > l.blockedUntil) {
        l.blockedUntil = retryAt;
        l.blockedCode = code;
      }
      if (code === 'RATE_LIMITED') {
        l.slowFactor = Math.min(MAX_SLOW_FACTOR, l.slowFactor * 2);
        const canRetry =
          job.attempts <= maxRetries && retryAt - now <= maxAutoRetryWaitMs && job.waiters.size > 0;
        if (canRetry) {
          job.state = 'queued';
          (job.priority === 'interactive' ? l.interactive : l.background).unshift(job);
          return;
        }
      }
    }
    settle(job, (w) => w.reject(error));
  }

  function cancelled(inFlight: boolean): AppError {
    return requestError(
      'CANCELLED',
      inFlight ? 'The request was cancelled after it was sent.' : 'The request was cancelled.',
      inFlight ? 'unknown' : 'not_sent',
    );
  }

  function addWaiter<T>(job: Job, signal: AbortSignal | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        job.waiters.delete(waiter);
        reject(cancelled(job.state === 'running'));
        if (job.waiters.size > 0) return;
        if (job.state === 'queued') {
          dequeue(job);
          settle(job, () => {});
          requestPump();
        } else if (job.state === 'running') {
          job.controller.abort();
        }
      };
      const waiter: Waiter = {
        resolve: resolve as (value: unknown) => void,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      job.waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  // ---- state ----------------------------------------------------------------------------------

  function endpointState(endpoint: EndpointName, now: number): EndpointQuotaState {
    const l = lane(endpoint);
    const limits = plan.endpoints[endpoint];
    const used = usedToday(endpoint, now);
    const queued = l.interactive.length + l.background.length;
    let nextSlotAt: number | null = nextRateSlot(endpoint, now);
    if (nextSlotAt !== null && l.blockedUntil > nextSlotAt) nextSlotAt = l.blockedUntil;
    const daily = dailyRefusal(endpoint, 'interactive', 0, now, used);
    if (daily?.retryAt !== undefined && (nextSlotAt === null || daily.retryAt > nextSlotAt)) {
      nextSlotAt = daily.retryAt;
    }
    return {
      used,
      limit: limits.perDay,
      remaining: limits.perDay === null ? null : Math.max(0, limits.perDay - used),
      reserve: reserveOf(endpoint),
      queued,
      inFlight: l.running,
      nextSlotAt,
      blockedUntil: l.blockedUntil > now ? l.blockedUntil : null,
    };
  }

  function state(): QuotaState {
    const now = clock();
    const endpoints = Object.fromEntries(
      (Object.keys(plan.endpoints) as EndpointName[]).map((e) => [e, endpointState(e, now)]),
    ) as Record<EndpointName, EndpointQuotaState>;
    return {
      customerId,
      plan: plan.name,
      at: now,
      endpoints,
      queueLength: Object.values(endpoints).reduce((n, e) => n + e.queued, 0),
    };
  }

  return {
    customerId,
    schedule<T>(request: ScheduleRequest, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
      const { endpoint, key, signal } = request;
      const priority = request.priority ?? 'interactive';
      if (closed) return Promise.reject(cancelled(false));
      if (signal?.aborted) return Promise.reject(cancelled(false));
      if (!Object.hasOwn(plan.endpoints, endpoint)) {
        return Promise.reject(new AppError('INTERNAL', `Unknown endpoint: ${String(endpoint)}`));
      }
      const l = lane(endpoint);

      const shared = key === undefined ? undefined : coalescing.get(key);
      if (shared !== undefined) {
        if (priority === 'interactive' && shared.priority === 'background') {
          if (shared.state === 'queued') {
            dequeue(shared);
            shared.priority = 'interactive';
            l.interactive.push(shared);
          } else shared.priority = 'interactive';
        }
        const promise = addWaiter<T>(shared, signal);
        notifyChange();
        return promise;
      }

      const now = clock();
      const held = blockedRefusal(endpoint, priority, now);
      if (held !== null) return Promise.reject(held);
      // Waiting requests that will be sent before this one count against the day too.
      const ahead =
        priority === 'interactive'
          ? l.interactive.length
          : l.interactive.length + l.background.length;
      const refusal = dailyRefusal(endpoint, priority, ahead, now);
      if (refusal !== null) return Promise.reject(refusal);

      const job: Job = {
        endpoint,
        priority,
        key,
        send: send as (signal: AbortSignal) => Promise<unknown>,
        waiters: new Set(),
        controller: new AbortController(),
        state: 'queued',
        attempts: 0,
      };
      if (key !== undefined) coalescing.set(key, job);
      (priority === 'interactive' ? l.interactive : l.background).push(job);
      const promise = addWaiter<T>(job, signal);
      requestPump();
      return promise;
    },
    state,
    setPlan(next) {
      plan = next;
      for (const endpoint of Object.keys(plan.endpoints) as EndpointName[]) lane(endpoint);
      requestPump();
    },
    close() {
      if (closed) return;
      closed = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      for (const l of lanes.values()) {
        for (const job of [...l.interactive, ...l.background]) {
          settle(job, (w) => w.reject(cancelled(false)));
        }
        l.interactive.length = 0;
        l.background.length = 0;
      }
      for (const job of running) {
        settle(job, (w) => w.reject(cancelled(true)));
        job.controller.abort();
      }
    },
  };
}

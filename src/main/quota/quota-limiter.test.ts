import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BETA_PLAN, DAY_MS } from '../../shared/api-limits.ts';
import { AppError } from '../../shared/errors.ts';
import type { QuotaState } from '../../shared/quota-types.ts';
import { requestError } from '../api/request-delivery.ts';
import { openDatabase, type Db } from '../store/index.ts';
import { createQuotaLimiter, type QuotaLimiterOptions, type Timers } from './quota-limiter.ts';

/** A clock and timers that move only when the test says so. */
function manualTime(start = Date.UTC(2025, 0, 15, 12)) {
  let now = start;
  let seq = 0;
  const pending = new Map<number, { at: number; callback: () => void }>();
  const timers: Timers = {
    setTimeout(callback, ms) {
      const id = ++seq;
      pending.set(id, { at: now + ms, callback });
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  const flush = async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  return {
    clock: () => now,
    timers,
    flush,
    /** Moves time forward, firing due timers in order, letting promises settle in between. */
    async advance(ms: number) {
      const target = now + ms;
      await flush();
      for (;;) {
        const due = [...pending.entries()]
          .filter(([, t]) => t.at <= target)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (due === undefined) break;
        pending.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].callback();
        await flush();
      }
      now = target;
      await flush();
    },
  };
}

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );

describe('quota limiter', () => {
  let dir: string;
  let db: Db;
  let time: ReturnType<typeof manualTime>;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crystal-desk-quota-'));
    db = openDatabase({ file: join(dir, 'q.sqlite') });
    time = manualTime();
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const limiter = (extra: Partial<QuotaLimiterOptions> = {}) =>
    createQuotaLimiter({
      customerId: 'c1',
      plan: BETA_PLAN,
      db,
      clock: time.clock,
      timers: time.timers,
      ...extra,
    });

  it('sends at most the plan rate per rolling second, spacing requests by their answers', async () => {
    const q = limiter();
    const sentAt: number[] = [];
    const all = Array.from({ length: 7 }, () =>
      q.schedule({ endpoint: 'callLists' }, async () => void sentAt.push(time.clock())),
    );
    await time.advance(5000);
    await Promise.all(all);
    const start = sentAt[0]!;
    expect(sentAt.map((t) => t - start)).toEqual([0, 0, 0, 1020, 1020, 1020, 2040]);
    q.close();
  });

  it('serves interactive requests before background ones waiting for the same endpoint', async () => {
    const q = limiter();
    const order: string[] = [];
    const run = (label: string, priority: 'interactive' | 'background') =>
      q.schedule({ endpoint: 'callDetails', priority }, async () => void order.push(label));
    const jobs = [run('b1', 'background'), run('b2', 'background'), run('i1', 'interactive')];
    jobs.push(run('i2', 'interactive'));
    await time.advance(10_000);
    await Promise.all(jobs);
    expect(order).toEqual(['i1', 'i2', 'b1', 'b2']);
    q.close();
  });

  it('coalesces identical requests in flight into one send and one shared answer', async () => {
    const q = limiter();
    let sends = 0;
    const send = async () => ({ n: ++sends });
    const a = q.schedule({ endpoint: 'callLists', key: 'same' }, send);
    const b = q.schedule({ endpoint: 'callLists', key: 'same' }, send);
    const c = q.schedule({ endpoint: 'callLists', key: 'other' }, send);
    await time.advance(10);
    expect(await a).toBe(await b);
    expect(await c).not.toBe(await a);
    expect(sends).toBe(2);
    q.close();
  });

  it('keeps a daily reserve that background work may not spend', async () => {
    const q = limiter();
    // usage/by_time: 10 a day, 1 a minute; background may use 9.
    for (let i = 0; i < 9; i++) {
      await time.advance(61_000);
      await q.schedule({ endpoint: 'usageByTime', priority: 'background' }, async () => i);
    }
    await time.advance(61_000);
    const refused = q.schedule({ endpoint: 'usageByTime', priority: 'background' }, async () => 0);
    await expect(refused).rejects.toMatchObject({
      code: 'QUOTA_EXHAUSTED',
      details: { delivery: 'not_sent', priority: 'background' },
    });
    expect(await code(q.schedule({ endpoint: 'usageByTime' }, async () => 0))).toBe('ok');
    expect(q.state().endpoints.usageByTime).toMatchObject({ used: 10, remaining: 0, reserve: 1 });
    q.close();
  });

  it('refuses a request that would exceed the daily quota before sending, with retryAt', async () => {
    const q = limiter();
    const first = time.clock();
    let sends = 0;
    for (let i = 0; i < 10; i++) {
      const p = q.schedule({ endpoint: 'usageByTime' }, async () => ++sends);
      await time.advance(61_000);
      await p;
    }
    const error = await q
      .schedule({ endpoint: 'usageByTime' }, async () => ++sends)
      .catch((e: unknown) => e as AppError);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('QUOTA_EXHAUSTED');
    expect((error as AppError).retryAt).toBe(first + DAY_MS + 60_000);
    expect(sends).toBe(10);
    q.close();
  });

  it('counts waiting requests against the day, refusing the ones that cannot fit', async () => {
    const q = limiter();
    const jobs = Array.from({ length: 12 }, () =>
      code(q.schedule({ endpoint: 'usageByTime' }, async () => 0)),
    );
    await time.advance(15 * 61_000);
    expect(await Promise.all(jobs)).toEqual([
      ...Array<string>(10).fill('ok'),
      'QUOTA_EXHAUSTED',
      'QUOTA_EXHAUSTED',
    ]);
    q.close();
  });

  it('keeps the daily count across a restart on the same database', async () => {
    const q1 = limiter();
    for (let i = 0; i < 3; i++) {
      const p = q1.schedule({ endpoint: 'callDetails' }, async () => 0);
      await time.advance(1100);
      await p;
    }
    q1.close();
    const q2 = limiter();
    expect(q2.state().endpoints.callDetails.used).toBe(3);
    await time.advance(DAY_MS + 60_000);
    expect(q2.state().endpoints.callDetails.used).toBe(0);
    q2.close();
  });

  it('does not count a request that surely never left this machine', async () => {
    const q = limiter();
    const refused = code(
      q.schedule({ endpoint: 'callLists' }, async () => {
        throw requestError('NETWORK', 'connection refused', 'not_sent');
      }),
    );
    await time.advance(10);
    expect(await refused).toBe('NETWORK');
    expect(q.state().endpoints.callLists.used).toBe(0);
    const lost = code(
      q.schedule({ endpoint: 'callLists' }, async () => {
        throw requestError('TIMEOUT', 'no answer', 'unknown');
      }),
    );
    await time.advance(10);
    expect(await lost).toBe('TIMEOUT');
    expect(q.state().endpoints.callLists.used).toBe(1);
    q.close();
  });

  it('waits out Retry-After after a 429, slows down, and retries', async () => {
    const q = limiter();
    const sentAt: number[] = [];
    let first = true;
    const result = q.schedule({ endpoint: 'callDetails' }, async () => {
      sentAt.push(time.clock());
      if (first) {
        first = false;
        throw requestError('RATE_LIMITED', 'slow down', 'answered', {
          retryAt: time.clock() + 5000,
        });
      }
      return 'done';
    });
    await time.advance(10_000);
    expect(await result).toBe('done');
    expect(sentAt[1]! - sentAt[0]!).toBe(5000);
    // Slowed down: the next request waits about twice the 1 s window after the last answer.
    const next: number[] = [];
    const later = q.schedule({ endpoint: 'callDetails' }, async () => void next.push(time.clock()));
    await time.advance(5000);
    await later;
    expect(next[0]! - sentAt[1]!).toBeGreaterThan(1500);
    q.close();
  });

  it('holds an endpoint until the oldest request leaves the day after a daily-quota 429 without Retry-After', async () => {
    const q = limiter();
    const first = time.clock();
    let sends = 0;
    for (let i = 0; i < 2; i++) {
      const p = q.schedule({ endpoint: 'usageByTime' }, async () => ++sends);
      await time.advance(61_000);
      await p;
    }
    // The API counts more than we sent (other desktops on the account): it says the day is full.
    const refusedByApi = q
      .schedule({ endpoint: 'usageByTime' }, async () => {
        sends++;
        throw requestError('QUOTA_EXHAUSTED', 'daily quota used up', 'answered', {
          details: { status: 429 },
        });
      })
      .catch((e: unknown) => e as AppError);
    const waiting = code(q.schedule({ endpoint: 'usageByTime' }, async () => ++sends));
    await time.advance(10);
    const dayLeaves = first + DAY_MS + 60_000;
    expect(await refusedByApi).toMatchObject({ code: 'QUOTA_EXHAUSTED', retryAt: dayLeaves });
    expect(await waiting).toBe('QUOTA_EXHAUSTED');
    expect(sends).toBe(3);

    await time.advance(3 * 3600_000);
    const later = await q
      .schedule({ endpoint: 'usageByTime' }, async () => ++sends)
      .catch((e: unknown) => e as AppError);
    expect(later).toMatchObject({
      code: 'QUOTA_EXHAUSTED',
      retryAt: dayLeaves,
      details: { delivery: 'not_sent' },
    });
    expect(q.state().endpoints.usageByTime.blockedUntil).toBe(dayLeaves);
    expect(sends).toBe(3);

    await time.advance(dayLeaves - time.clock());
    const again = q.schedule({ endpoint: 'usageByTime' }, async () => ++sends);
    await time.advance(10);
    expect(await again).toBe(4);
    q.close();
  });

  it('never lets two limiters on the same database file (two processes) exceed the daily quota together', async () => {
    // A second connection to the same file, as a CLI sync beside the app would open.
    const other = openDatabase({ file: join(dir, 'q.sqlite') });
    try {
      const app = limiter();
      const cli = limiter({ db: other });
      const sent: string[] = [];
      const jobs: Array<Promise<string>> = [];
      for (let i = 0; i < 8; i++) {
        jobs.push(
          code(app.schedule({ endpoint: 'usageByTime' }, async () => void sent.push('app'))),
        );
        jobs.push(
          code(cli.schedule({ endpoint: 'usageByTime' }, async () => void sent.push('cli'))),
        );
      }
      await time.advance(20 * 61_000);
      const outcomes = await Promise.all(jobs);
      expect(sent).toHaveLength(10);
      expect(sent.filter((s) => s === 'app').length).toBeGreaterThan(0);
      expect(sent.filter((s) => s === 'cli').length).toBeGreaterThan(0);
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(10);
      expect(outcomes.filter((o) => o === 'QUOTA_EXHAUSTED')).toHaveLength(6);
      expect(app.state().endpoints.usageByTime).toMatchObject({ used: 10, remaining: 0 });
      expect(cli.state().endpoints.usageByTime).toMatchObject({ used: 10, remaining: 0 });
      app.close();
      cli.close();
    } finally {
      other.close();
    }
  });

  it('fails fast while the API has asked to hold off for longer than it will wait', async () => {
    const q = limiter({ maxAutoRetryWaitMs: 1000 });
    const first = code(
      q.schedule({ endpoint: 'usageByTime' }, async () => {
        throw requestError('RATE_LIMITED', 'slow down', 'answered', {
          retryAt: time.clock() + 60_000,
        });
      }),
    );
    await time.advance(10);
    expect(await first).toBe('RATE_LIMITED');
    let sent = false;
    const second = q.schedule({ endpoint: 'usageByTime' }, async () => void (sent = true));
    await expect(second).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryAt: time.clock() + 60_000 - 10,
      details: { delivery: 'not_sent' },
    });
    expect(sent).toBe(false);
    q.close();
  });

  it('cancels a waiting request without sending it, and aborts a shared one only when all cancel', async () => {
    const q = limiter();
    await Promise.all([1, 2, 3].map(() => q.schedule({ endpoint: 'callLists' }, async () => 0)));
    const waiting = new AbortController();
    let sent = false;
    const p = q.schedule({ endpoint: 'callLists', signal: waiting.signal }, async () => {
      sent = true;
    });
    waiting.abort();
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED', details: { delivery: 'not_sent' } });
    await time.advance(2000);
    expect(sent).toBe(false);

    let aborted = false;
    const slow = (signal: AbortSignal) =>
      new Promise<string>((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          aborted = true;
          reject(requestError('CANCELLED', 'aborted', 'unknown'));
        });
      });
    const a = new AbortController();
    const b = new AbortController();
    const pa = q.schedule({ endpoint: 'callLists', key: 'k', signal: a.signal }, slow);
    const pb = q.schedule({ endpoint: 'callLists', key: 'k', signal: b.signal }, slow);
    await time.advance(10);
    a.abort();
    await expect(pa).rejects.toMatchObject({ code: 'CANCELLED', details: { delivery: 'unknown' } });
    expect(aborted).toBe(false);
    b.abort();
    await expect(pb).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(aborted).toBe(true);
    q.close();
  });

  it('publishes used, remaining, queue length and the next slot', async () => {
    const states: QuotaState[] = [];
    const q = limiter({ onChange: (s) => states.push(s) });
    const jobs = Array.from({ length: 3 }, () =>
      q.schedule({ endpoint: 'callDetails' }, async () => 0),
    );
    await time.flush();
    const mid = q.state();
    expect(mid.endpoints.callDetails).toMatchObject({
      used: 1,
      limit: 1000,
      remaining: 999,
      queued: 2,
    });
    expect(mid.queueLength).toBe(2);
    expect(mid.endpoints.callDetails.nextSlotAt).toBeGreaterThan(time.clock());
    await time.advance(5000);
    await Promise.all(jobs);
    expect(states.length).toBeGreaterThan(0);
    expect(states.at(-1)!.endpoints.callDetails).toMatchObject({ used: 3, queued: 0, inFlight: 0 });
    expect(states.at(-1)!.customerId).toBe('c1');
    // An endpoint that could send now says so: its next slot is the state's own time.
    const idle = q.state();
    expect(idle.endpoints.callLists.nextSlotAt).toBe(idle.at);
    q.close();
  });
});

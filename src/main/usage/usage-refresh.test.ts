import { afterEach, describe, expect, it } from 'vitest';
import { createUsageStore } from '../store/usage-store.ts';
import {
  fixedStartClock,
  startSimulatedApi,
  type SimulatedApi,
} from '../sync/sync-test-fixture.ts';
import { reportableUsageDays } from './usage-days.ts';
import { createUsageRefresh } from './usage-refresh.ts';

const DAY = 86400;

describe('usage.refresh against the simulator', () => {
  let api: SimulatedApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  async function setUp(rateScale: number) {
    api = await startSimulatedApi({
      seed: 'usage-refresh',
      callsPerDay: 400,
      rateScale,
      clock: fixedStartClock(),
    });
    const a = api;
    const refresh = createUsageRefresh({
      db: a.db,
      clock: a.clock,
      connection: () => ({
        appid: a.sim.appid,
        client: a.client,
        limiter: a.limiter,
        plan: a.plan,
      }),
    });
    const usageRequests = () => {
      const e = a.sim.stats().endpoints.usageByTime;
      return e.accepted + Object.values(e.rejected).reduce((n, v) => n + v, 0);
    };
    return { a, refresh, usageRequests, store: createUsageStore(a.db) };
  }

  it('stores every day of the lookback the API reports, equal to its truth, with one request', async () => {
    const { a, refresh, usageRequests, store } = await setUp(50);
    const nowSec = Math.floor(a.clock() / 1000);
    const days = reportableUsageDays(a.plan, nowSec);
    // The whole lookback (7 days on the beta plan), less the day the delay holds back.
    const lookbackDays = a.plan.endpoints.usageByTime.lookbackSec! / DAY;
    expect(days.length).toBeGreaterThanOrEqual(lookbackDays - 3);
    expect(
      days[days.length - 1]! + DAY + a.plan.endpoints.usageByTime.dataDelaySec,
    ).toBeLessThanOrEqual(nowSec);

    const result = await refresh.refresh({});
    expect(result).toMatchObject({
      appid: a.sim.appid,
      fromDayTs: days[0],
      toDayTs: days[days.length - 1],
      missingDays: days.length,
      daysAdded: days.length,
      requests: 1,
      waitUntilMs: null,
    });
    expect(usageRequests()).toBe(1);
    const stored = store.read(a.sim.appid, 0, nowSec);
    expect(stored.map((d) => d.dayTs)).toEqual(days);
    for (const day of stored) {
      expect({
        userCount: day.userCount,
        sessionCount: day.sessionCount,
        channelCount: day.channelCount,
      }).toEqual(a.sim.usageTruth(day.dayTs));
    }
  });

  it('sends no request when nothing is missing', async () => {
    const { refresh, usageRequests } = await setUp(50);
    await refresh.refresh({});
    const again = await refresh.refresh({});
    expect(again).toMatchObject({ missingDays: 0, daysAdded: 0, requests: 0, waitUntilMs: null });
    expect(usageRequests()).toBe(1);
  });

  it('asks only for the days missing, between the first and the last of them', async () => {
    const { a, refresh, usageRequests, store } = await setUp(50);
    const nowSec = Math.floor(a.clock() / 1000);
    const days = reportableUsageDays(a.plan, nowSec);
    // The oldest two days are stored already (say, by an earlier sync).
    store.write(
      a.sim.appid,
      days.slice(0, 2).map((dayTs) => ({ dayTs, ...a.sim.usageTruth(dayTs) })),
      1,
    );
    const result = await refresh.refresh({});
    expect(result).toMatchObject({ missingDays: days.length - 2, daysAdded: days.length - 2 });
    expect(usageRequests()).toBe(1);
    // The stored days were not written again.
    expect(store.read(a.sim.appid, days[0]!, days[1]!).map((d) => d.fetchedAtMs)).toEqual([1, 1]);
  });

  it('says when it can run instead of failing when the per-minute quota was just spent', async () => {
    const { a, refresh, usageRequests, store } = await setUp(1);
    await refresh.refresh({});
    // A day goes missing again (say, pruned); the API allows one usage request a minute.
    const day = reportableUsageDays(a.plan, Math.floor(a.clock() / 1000))[0]!;
    a.db.prepare('DELETE FROM daily_usage WHERE day_ts = ?').run(day);
    const before = a.clock();
    const second = await refresh.refresh({});
    expect(second).toMatchObject({
      missingDays: 1,
      daysAdded: 0,
      requests: 0,
      waitReason: 'minute',
    });
    expect(second.waitUntilMs).toBeGreaterThan(before);
    expect(usageRequests()).toBe(1);
    expect(store.read(a.sim.appid, day, day)).toEqual([]);
  });

  it('shares one refresh between two clicks at once', async () => {
    const { refresh, usageRequests } = await setUp(50);
    const [one, two] = await Promise.all([refresh.refresh({}), refresh.refresh({})]);
    expect(two).toEqual(one);
    expect(usageRequests()).toBe(1);
  });
});

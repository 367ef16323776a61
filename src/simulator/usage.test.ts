// usage/by_time: one entry per UTC day, the 24-hour delay, lookback, and counts that agree with the
// generated calls.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA_PLAN, ENDPOINT_PATHS } from '../shared/api-limits.ts';
import type { WireUsageByTime } from '../shared/api-wire.ts';
import { startSimulator, type SimulatorHandle, type TruthCall } from './index.ts';
import { call } from './test-http-client.ts';

const DAY = 86400;
const START_MS = Date.UTC(2025, 4, 14, 10, 30, 0);
const DELAY = BETA_PLAN.endpoints.usageByTime.dataDelaySec;
const LOOKBACK = BETA_PLAN.endpoints.usageByTime.lookbackSec!;

let now = START_MS;
let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ seed: 'usage', callsPerDay: 800, clock: () => now });
});
afterAll(() => sim.close());

const nowSec = (): number => Math.floor(now / 1000);
const today = (): number => Math.floor(nowSec() / DAY) * DAY;

async function usage(params: Record<string, string | number>): Promise<WireUsageByTime> {
  const res = await call(sim, ENDPOINT_PATHS.usageByTime, params);
  now += 61_000; // past the 1-a-minute rate for the next request
  expect(res.status).toBe(200);
  return res.json<WireUsageByTime>();
}

describe('usage/by_time', () => {
  it('answers one entry per UTC day with ts at 00:00 UTC and only the metrics asked for', async () => {
    const body = await usage({
      start_ts: nowSec() - LOOKBACK,
      end_ts: nowSec(),
      metric: 'userCount,channelCount',
    });
    expect(body).toMatchObject({ code: 200, message: 'success' });
    expect(body.data.length).toBeGreaterThanOrEqual(5);
    for (const [k, entry] of body.data.entries()) {
      expect(entry.ts % DAY).toBe(0);
      if (k > 0) expect(entry.ts - body.data[k - 1]!.ts).toBe(DAY);
      expect(Object.keys(entry).sort()).toEqual(['channelCount', 'ts', 'userCount']);
      expect(entry.userCount).toBeGreaterThan(0);
    }
  });

  it('leaves out days whose data is younger than the 24-hour delay', async () => {
    const body = await usage({
      start_ts: nowSec() - 3 * DAY,
      end_ts: nowSec(),
      metric: 'sessionCount',
    });
    const last = body.data[body.data.length - 1]!;
    expect(last.ts + DAY + DELAY).toBeLessThanOrEqual(nowSec());
    expect(body.data.some((e) => e.ts === today())).toBe(false);
    expect(body.data.some((e) => e.ts === today() - DAY)).toBe(false);
    expect(body.data.some((e) => e.ts === today() - 2 * DAY)).toBe(true);
  });

  it('counts users, sessions and channels exactly as the generated calls say', async () => {
    const day = today() - 3 * DAY;
    const body = await usage({
      start_ts: day + 100,
      end_ts: day + 200,
      metric: 'userCount,sessionCount,channelCount',
    });
    expect(body.data).toHaveLength(1);
    // Joins on `day` can belong to calls started the evening before: look back one more day.
    const calls: TruthCall[] = sim.truth({
      startTs: day - DAY,
      endTs: day + DAY - 1,
      includeSessions: true,
    });
    const sessions = calls.flatMap((c) => c.sessions!.map((s) => ({ ...s, cname: c.cname })));
    const joined = sessions.filter((s) => s.join_ts >= day && s.join_ts < day + DAY);
    const expected = {
      ts: day,
      userCount: new Set(joined.map((s) => `${s.cname}\u0000${s.uid}`)).size,
      sessionCount: joined.length,
      channelCount: calls.filter((c) => c.created_ts >= day).length,
    };
    expect(body.data[0]).toEqual(expected);
    expect(sim.usageTruth(day)).toEqual({
      userCount: expected.userCount,
      sessionCount: expected.sessionCount,
      channelCount: expected.channelCount,
    });
    // A uid in two channels counts twice; a reconnect does not count again.
    expect(expected.userCount).toBeGreaterThan(new Set(joined.map((s) => s.uid)).size);
    expect(expected.sessionCount).toBeGreaterThan(expected.userCount);
  });

  it('answers 400 naming start_ts when the range reaches back more than 7 days', async () => {
    const res = await call(sim, ENDPOINT_PATHS.usageByTime, {
      start_ts: nowSec() - LOOKBACK - 1,
      end_ts: nowSec(),
      metric: 'userCount',
    });
    expect(res.status).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(/^start_ts /);
  });
});

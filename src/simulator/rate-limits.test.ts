// Rate windows and daily quotas per customer and endpoint: 429 with Retry-After, rolling windows.

import { afterEach, describe, expect, it } from 'vitest';
import { BETA_PLAN, DAY_MS, ENDPOINT_PATHS } from '../shared/api-limits.ts';
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from './index.ts';
import { call, type RawResponse } from './test-http-client.ts';

const START_MS = Date.UTC(2025, 4, 14, 10, 30, 0);
const ALICE = { customerId: 'alice', secret: 'alice-secret' };
const BOB = { customerId: 'bob', secret: 'bob-secret' };

let now = START_MS;
let sim: SimulatorHandle | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function open(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  now = START_MS;
  sim = await startSimulator({
    seed: 'limits',
    credentials: [ALICE, BOB],
    clock: () => now,
    ...options,
  });
  return sim;
}

const LIMITS = BETA_PLAN.endpoints;
/** A gap that always leaves the short rate window of an endpoint. */
const pastRate = (name: keyof typeof LIMITS): number => LIMITS[name].rates[0]!.windowMs + 1000;

const nowSec = (): number => Math.floor(now / 1000);
const lists = (s: SimulatorHandle, auth?: string): Promise<RawResponse> =>
  call(
    s,
    ENDPOINT_PATHS.callLists,
    { start_ts: nowSec() - 600, end_ts: nowSec() },
    { authorization: auth },
  );
const details = (s: SimulatorHandle): Promise<RawResponse> =>
  call(s, ENDPOINT_PATHS.callDetails, {
    start_ts: nowSec() - 600,
    end_ts: nowSec(),
    call_id: '0123456789abcdef01234567',
  });
const usage = (s: SimulatorHandle): Promise<RawResponse> =>
  call(s, ENDPOINT_PATHS.usageByTime, {
    start_ts: nowSec() - 3 * 86400,
    end_ts: nowSec(),
    metric: 'userCount',
  });

function expect429(res: RawResponse, reason: RegExp): number {
  expect(res.status).toBe(429);
  expect(res.json()).toMatchObject({ code: 429, message: expect.stringMatching(reason) });
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
  return retryAfter;
}

describe('per-second rates', () => {
  it('answers 429 with Retry-After once call/lists exceeds 3 requests a second', async () => {
    const s = await open();
    for (let i = 0; i < LIMITS.callLists.rates[0]!.limit; i++) {
      expect((await lists(s)).status).toBe(200);
    }
    expect(expect429(await lists(s), /rate limit/)).toBe(1);
    now += 1000;
    expect((await lists(s)).status).toBe(200);
    expect(s.stats().endpoints.callLists.rejected.rate_limited).toBe(1);
  });

  it('answers 429 on the second call/details request within a second', async () => {
    const s = await open();
    const params = {
      start_ts: nowSec() - 600,
      end_ts: nowSec(),
      call_id: '0123456789abcdef01234567',
    };
    expect((await call(s, ENDPOINT_PATHS.callDetails, params)).status).toBe(200);
    expect429(await call(s, ENDPOINT_PATHS.callDetails, params), /rate limit/);
    now += 999;
    expect429(await call(s, ENDPOINT_PATHS.callDetails, params), /rate limit/);
    now += 1;
    expect((await call(s, ENDPOINT_PATHS.callDetails, params)).status).toBe(200);
  });

  it('answers 429 on the eleventh feedback report within a second', async () => {
    const s = await open();
    const body = JSON.stringify({ cname: 'c', teacher_uid: 1, type: 4 });
    const limit = LIMITS.feedbackReport.rates[0]!.limit;
    for (let i = 0; i < limit; i++) {
      expect(
        (await call(s, ENDPOINT_PATHS.feedbackReport, {}, { method: 'POST', body })).status,
      ).toBe(200);
    }
    expect429(
      await call(s, ENDPOINT_PATHS.feedbackReport, {}, { method: 'POST', body }),
      /rate limit/,
    );
    expect(s.feedbackReports()).toHaveLength(limit);
  });

  it('does not count refused requests: after the window passes the full rate is available again', async () => {
    const s = await open();
    for (let i = 0; i < 3; i++) await lists(s);
    for (let i = 0; i < 5; i++) expect((await lists(s)).status).toBe(429);
    now += 1000;
    for (let i = 0; i < 3; i++) expect((await lists(s)).status).toBe(200);
  });

  it('counts a request refused with 400 against the rate (the gateway counts before the handler)', async () => {
    const s = await open();
    for (let i = 0; i < 3; i++) {
      expect((await call(s, ENDPOINT_PATHS.callLists, { end_ts: nowSec() })).status).toBe(400);
    }
    expect((await lists(s)).status).toBe(429);
  });

  it('shortens the windows by --rate-scale', async () => {
    const s = await open({ rateScale: 4 });
    for (let i = 0; i < 3; i++) expect((await lists(s)).status).toBe(200);
    expect((await lists(s)).status).toBe(429);
    now += 250;
    expect((await lists(s)).status).toBe(200);
  });
});

describe('per-minute rate and per-day quota of usage/by_time', () => {
  it('answers 429 with a Retry-After of up to a minute on the second request within a minute', async () => {
    const s = await open();
    expect((await usage(s)).status).toBe(200);
    now += 30_000;
    expect(expect429(await usage(s), /rate limit/)).toBe(30);
    now += 30_000;
    expect((await usage(s)).status).toBe(200);
  });

  it('refuses the eleventh request in 24 hours with a quota 429 until the oldest leaves the window', async () => {
    const s = await open();
    const first = now;
    for (let i = 0; i < LIMITS.usageByTime.perDay!; i++) {
      expect((await usage(s)).status).toBe(200);
      now += pastRate('usageByTime');
    }
    const retryAfter = expect429(await usage(s), /daily quota/);
    expect(retryAfter).toBe(Math.ceil((first + 86_400_000 - now) / 1000));
    expect(s.stats().endpoints.usageByTime.rejected.quota).toBe(1);
    now = first + 86_400_000 - 1;
    expect((await usage(s)).status).toBe(429);
    now = first + 86_400_000;
    expect((await usage(s)).status).toBe(200);
  });
});

describe('per-day quota of call/lists', () => {
  it('allows 1000 list requests in a rolling 24 hours and refuses the next', async () => {
    const s = await open();
    const limit = LIMITS.callLists.perDay!;
    const statuses = new Set<number>();
    for (let i = 0; i < limit; i++) {
      statuses.add((await lists(s)).status);
      now += 60_000; // 1000 requests spread over 16.7 hours: well inside one day
    }
    expect([...statuses]).toEqual([200]);
    expect429(await lists(s), /daily quota/);
  });
});

describe('per-day quota of call/details', () => {
  it('allows 1000 details requests in a rolling 24 hours and refuses the next until the oldest leaves', async () => {
    const s = await open();
    const limit = LIMITS.callDetails.perDay!;
    const first = now;
    const statuses = new Set<number>();
    for (let i = 0; i < limit; i++) {
      statuses.add((await details(s)).status);
      now += 60_000; // past the 1-a-second rate; 1000 requests take 16.7 hours
    }
    expect([...statuses]).toEqual([200]);
    const retryAfter = expect429(await details(s), /daily quota/);
    expect(retryAfter).toBe(Math.ceil((first + DAY_MS - now) / 1000));
    expect(s.stats().endpoints.callDetails.rejected.quota).toBe(1);
    // The quota is per endpoint: call/lists still answers.
    expect((await lists(s)).status).toBe(200);
    now = first + DAY_MS - 1;
    expect((await details(s)).status).toBe(429);
    now = first + DAY_MS;
    expect((await details(s)).status).toBe(200);
  });
});

describe('limits belong to the customer', () => {
  it('keeps serving one customer while another is rate limited', async () => {
    const s = await open();
    const alice = s.authorization(ALICE);
    const bob = s.authorization(BOB);
    for (let i = 0; i < 3; i++) expect((await lists(s, alice)).status).toBe(200);
    expect((await lists(s, alice)).status).toBe(429);
    expect((await lists(s, bob)).status).toBe(200);
  });

  it("keeps one customer's daily quota apart from another's", async () => {
    const s = await open();
    for (let i = 0; i < LIMITS.usageByTime.perDay!; i++) {
      await call(
        s,
        ENDPOINT_PATHS.usageByTime,
        { start_ts: nowSec() - 86400, end_ts: nowSec(), metric: 'userCount' },
        { authorization: s.authorization(ALICE) },
      );
      now += pastRate('usageByTime');
    }
    const params = { start_ts: nowSec() - 86400, end_ts: nowSec(), metric: 'userCount' };
    expect(
      (await call(s, ENDPOINT_PATHS.usageByTime, params, { authorization: s.authorization(ALICE) }))
        .status,
    ).toBe(429);
    expect(
      (await call(s, ENDPOINT_PATHS.usageByTime, params, { authorization: s.authorization(BOB) }))
        .status,
    ).toBe(200);
  });
});

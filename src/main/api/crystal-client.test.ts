import { afterEach, describe, expect, it } from 'vitest';
import { BETA_PLAN, DAY_MS, type PlanLimits } from '../../shared/api-limits.ts';
import { toErrorData } from '../../shared/errors.ts';
import {
  startSimulator,
  type SimulatorHandle,
  type SimulatorOptions,
} from '../../simulator/index.ts';
import { createQuotaLimiter, type QuotaLimiterOptions, type Timers } from '../quota/index.ts';
import { createCrystalClient, type CrystalClientOptions } from './crystal-client.ts';
import { rejectionOf } from './rejection-of.ts';
import { startFixedAnswerServer } from './fixed-answer-server.ts';

const CUSTOMER = { customerId: 'acme-support', secret: 'client-test-secret-7f3a' };
const closers: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

async function simulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const sim = await startSimulator({ credentials: CUSTOMER, seed: 'client-tests', ...options });
  closers.push(() => sim.close());
  return sim;
}

function client(
  baseUrl: string,
  options: {
    plan?: PlanLimits;
    limiter?: Partial<QuotaLimiterOptions>;
    client?: Partial<CrystalClientOptions>;
    appid?: string;
  } = {},
) {
  const plan = options.plan ?? BETA_PLAN;
  const limiter = createQuotaLimiter({
    customerId: CUSTOMER.customerId,
    plan,
    ...options.limiter,
  });
  closers.push(() => limiter.close());
  return createCrystalClient({
    baseUrl,
    appid: options.appid ?? 'demoappid00000000000000000000000',
    customerId: CUSTOMER.customerId,
    getSecret: () => CUSTOMER.secret,
    limiter,
    plan,
    ...options.client,
  });
}

/** A loopback server answering every request with a hand-written (malformed on purpose) body. */
async function answeringServer(status: number, body: string) {
  const server = await startFixedAnswerServer({ status, body });
  closers.push(() => server.close());
  return server;
}

async function fixedServer(status: number, body: string): Promise<string> {
  return (await answeringServer(status, body)).url;
}

const nowSec = () => Math.floor(Date.now() / 1000);

/**
 * A clock that stands still until moved: `advance` moves it, and a timer moves it to the moment
 * the timer is due and then fires (on the next turn), so waits take no real time.
 */
function steppingTime(start = Math.floor(Date.now() / 1000) * 1000) {
  let now = start;
  const timers: Timers = {
    setTimeout(callback, ms) {
      const at = now + ms;
      return setImmediate(() => {
        now = Math.max(now, at);
        callback();
      });
    },
    clearTimeout: (handle) => clearImmediate(handle as NodeJS.Immediate),
  };
  return {
    clock: () => now,
    nowSec: () => Math.floor(now / 1000),
    timers,
    advance(ms: number) {
      now += ms;
    },
  };
}
const lastHour = () => ({ startTs: nowSec() - 3600, endTs: nowSec() });
const LIST_LOOKBACK = BETA_PLAN.endpoints.callLists.lookbackSec!;
const feedback = { cname: 'class-101', teacher_uid: 111, type: 3 as const, comments: 'choppy' };

describe('crystal client over HTTP', () => {
  it('reads all four endpoints, including the vendor feedback answer with its trailing comma', async () => {
    const sim = await simulator();
    const api = client(sim.url, { appid: sim.appid });
    // Calls that started an hour ago or earlier: their data delay has long passed.
    const list = await api.listCalls({ startTs: nowSec() - 3 * 3600, endTs: nowSec() - 3600 });
    expect(list.code).toBe(200);
    expect(list.call_lists.length).toBeGreaterThan(0);
    const call = list.call_lists[0]!;
    const details = await api.getCallDetails({
      callId: call.call_id,
      startTs: call.created_ts,
      endTs: Math.min(call.destroyed_ts || nowSec(), call.created_ts + 600),
    });
    expect(details.call_id).toBe(call.call_id);
    expect(details.call_info.length).toBeGreaterThan(0);
    const usage = await api.usageByTime({
      startTs: nowSec() - 5 * 86400,
      endTs: nowSec(),
      metrics: ['userCount', 'channelCount'],
    });
    expect(usage.data.length).toBeGreaterThan(0);
    expect(await api.reportFeedback(feedback)).toEqual({ code: 200, message: '' });
    expect(sim.feedbackReports()).toHaveLength(1);
  });

  it('sends Basic auth built from the customer id and secret', async () => {
    const seen: string[] = [];
    const api = client('https://api.example.test', {
      client: {
        fetch: async (_url, init) => {
          seen.push(new Headers(init?.headers).get('authorization') ?? '');
          return new Response('{"code":200,"message":"","has_more":false,"call_lists":[]}');
        },
      },
    });
    await api.listCalls(lastHour());
    const expected = Buffer.from(`${CUSTOMER.customerId}:${CUSTOMER.secret}`).toString('base64');
    expect(seen).toEqual([`Basic ${expected}`]);
  });

  it('shares one answer between identical reads only when the credentials are the same', async () => {
    const sim = await simulator();
    const limiter = createQuotaLimiter({ customerId: CUSTOMER.customerId, plan: BETA_PLAN });
    closers.push(() => limiter.close());
    const withSecret = (secret: string) =>
      createCrystalClient({
        baseUrl: sim.url,
        appid: sim.appid,
        customerId: CUSTOMER.customerId,
        getSecret: () => secret,
        limiter,
      });
    const query = lastHour();
    const [a, b] = await Promise.all([
      withSecret(CUSTOMER.secret).listCalls(query),
      withSecret(CUSTOMER.secret).listCalls(query),
    ]);
    expect(a).toBe(b);
    expect(sim.stats().endpoints.callLists.accepted).toBe(1);

    const [right, wrong] = await Promise.allSettled([
      withSecret(CUSTOMER.secret).listCalls(query),
      withSecret('not-the-secret').listCalls(query),
    ]);
    expect(right.status).toBe('fulfilled');
    expect(wrong).toMatchObject({ status: 'rejected', reason: { code: 'AUTH_REJECTED' } });
    expect(sim.stats().endpoints.callLists.accepted).toBe(2);
  });

  it('maps 401, 403 and a missing secret to AUTH_MISSING / AUTH_REJECTED', async () => {
    const sim = await simulator();
    const noSecret = client(sim.url, { appid: sim.appid, client: { getSecret: () => null } });
    expect(await rejectionOf(noSecret.listCalls(lastHour()))).toMatchObject({
      code: 'AUTH_MISSING',
      details: { delivery: 'not_sent' },
    });
    const stripped = client(sim.url, {
      appid: sim.appid,
      client: {
        fetch: (url, init) => {
          const headers = new Headers(init?.headers);
          headers.delete('authorization');
          return fetch(url, { ...init, headers });
        },
      },
    });
    expect(await rejectionOf(stripped.listCalls(lastHour()))).toMatchObject({
      code: 'AUTH_MISSING',
      details: { delivery: 'answered', status: 401 },
    });
    const wrong = client(sim.url, { appid: sim.appid, client: { getSecret: () => 'wrong' } });
    expect(await rejectionOf(wrong.listCalls(lastHour()))).toMatchObject({
      code: 'AUTH_REJECTED',
      details: { status: 403 },
    });
    const otherApp = client(sim.url, { appid: 'someoneelsesappid' });
    expect((await rejectionOf(otherApp.listCalls(lastHour()))).code).toBe('AUTH_REJECTED');
    expect(sim.stats().endpoints.callLists.accepted).toBe(0);
  });

  it('maps a 400 to BAD_INPUT, or OUT_OF_RANGE when the range is beyond the lookback', async () => {
    const sim = await simulator();
    const api = client(sim.url, { appid: sim.appid });
    expect(await rejectionOf(api.listCalls({ ...lastHour(), cname: '' }))).toMatchObject({
      code: 'BAD_INPUT',
      details: { status: 400, delivery: 'answered' },
    });
    // Refused locally when this machine's clock already says it is too old: nothing is sent.
    const before = sim.stats().endpoints.callLists.rejected.bad_request;
    expect(
      await rejectionOf(
        api.listCalls({ startTs: nowSec() - LIST_LOOKBACK - 86400, endTs: nowSec() }),
      ),
    ).toMatchObject({ code: 'OUT_OF_RANGE', details: { delivery: 'not_sent' } });
    expect(sim.stats().endpoints.callLists.rejected.bad_request).toBe(before);
    // The server's clock is ahead of ours: its 400 names the window and maps the same way.
    const lagging = client(sim.url, {
      appid: sim.appid,
      client: { clock: () => Date.now() - 3600_000 },
    });
    const edge = nowSec() - 3600 - LIST_LOOKBACK + 60;
    expect(await rejectionOf(lagging.listCalls({ startTs: edge, endTs: edge + 60 }))).toMatchObject(
      {
        code: 'OUT_OF_RANGE',
        details: { status: 400, delivery: 'answered' },
      },
    );
    expect(
      await rejectionOf(api.listCalls({ startTs: nowSec(), endTs: nowSec() - 10 })),
    ).toMatchObject({ code: 'BAD_INPUT', details: { delivery: 'not_sent' } });
  });

  it('maps a 404 to NOT_FOUND', async () => {
    const sim = await simulator();
    const api = client(`${sim.url}/not-the-api`, { appid: sim.appid });
    expect(await rejectionOf(api.listCalls(lastHour()))).toMatchObject({
      code: 'NOT_FOUND',
      details: { status: 404 },
    });
  });

  it('maps a 5xx to SERVER', async () => {
    const sim = await simulator({ faults: { error500: 1 } });
    const api = client(sim.url, { appid: sim.appid });
    expect(await rejectionOf(api.listCalls(lastHour()))).toMatchObject({
      code: 'SERVER',
      details: { status: 500, delivery: 'answered' },
    });
  });

  it('maps a 429 to RATE_LIMITED with retryAt, and holds off locally afterwards', async () => {
    const sim = await simulator();
    // Another desktop on the same account spends usage/by_time's one request a minute.
    const q = `start_ts=${nowSec() - 86400}&end_ts=${nowSec()}&appid=${sim.appid}&metric=userCount`;
    await fetch(`${sim.url}/beta/insight/usage/by_time?${q}`, {
      headers: { authorization: sim.authorization() },
    });
    const api = client(sim.url, { appid: sim.appid });
    const query = { startTs: nowSec() - 86400, endTs: nowSec(), metrics: ['userCount' as const] };
    const error = await rejectionOf(api.usageByTime(query));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', details: { status: 429 } });
    expect(error.retryAt).toBeGreaterThan(Date.now() + 30_000);
    const again = await rejectionOf(api.usageByTime(query));
    expect(again).toMatchObject({ code: 'RATE_LIMITED', details: { delivery: 'not_sent' } });
    expect(sim.stats().endpoints.usageByTime.rejected.rate_limited).toBe(1);
  });

  it('retries after a 429 once Retry-After has passed', async () => {
    // One clock for the simulator, the client and its limiter; it jumps to each timer's moment,
    // so the three requests below and the client's first try share one instant.
    const time = steppingTime();
    const sim = await simulator({ clock: time.clock });
    const sec = time.nowSec();
    const q = `start_ts=${sec - 60}&end_ts=${sec}&appid=${sim.appid}`;
    await Promise.all(
      [1, 2, 3].map(() =>
        fetch(`${sim.url}/beta/analytics/call/lists?${q}`, {
          headers: { authorization: sim.authorization() },
        }),
      ),
    );
    const api = client(sim.url, {
      appid: sim.appid,
      limiter: { clock: time.clock, timers: time.timers },
      client: { clock: time.clock },
    });
    const started = time.clock();
    const list = await api.listCalls({ startTs: sec - 60, endTs: sec });
    expect(list.code).toBe(200);
    expect(sim.stats().endpoints.callLists).toMatchObject({
      accepted: 4,
      rejected: expect.objectContaining({ rate_limited: 1 }),
    });
    // The retry went out when the simulator's Retry-After (1 s) said, not before.
    expect(time.clock() - started).toBe(1000);
  });

  it('maps a 429 about the daily quota to QUOTA_EXHAUSTED', async () => {
    const time = steppingTime();
    const sim = await simulator({ clock: time.clock });
    const day = BETA_PLAN.endpoints.usageByTime;
    const first = time.clock();
    // Another desktop on the account spends the day, one request a minute as the plan allows.
    for (let i = 0; i < day.perDay!; i++) {
      const q = `start_ts=${time.nowSec() - 86400}&end_ts=${time.nowSec()}&appid=${sim.appid}&metric=userCount`;
      const answer = await fetch(`${sim.url}${day.path}?${q}`, {
        headers: { authorization: sim.authorization() },
      });
      expect(answer.status).toBe(200);
      time.advance(Math.max(...day.rates.map((r) => r.windowMs)) + 1000);
    }
    const api = client(sim.url, {
      appid: sim.appid,
      limiter: { clock: time.clock, timers: time.timers },
      client: { clock: time.clock },
    });
    const error = await rejectionOf(
      api.usageByTime({
        startTs: time.nowSec() - 86400,
        endTs: time.nowSec(),
        metrics: ['userCount'],
      }),
    );
    expect(error).toMatchObject({ code: 'QUOTA_EXHAUSTED', details: { status: 429 } });
    // Free again when the first of the day's requests is 24 hours old.
    expect(error.retryAt).toBe(first + DAY_MS);
  });

  it('maps connection refused and DNS failures to NETWORK, surely not sent', async () => {
    const sim = await simulator();
    await sim.stop();
    const api = client(sim.url, { appid: sim.appid });
    expect(await rejectionOf(api.reportFeedback(feedback))).toMatchObject({
      code: 'NETWORK',
      details: { delivery: 'not_sent', networkCode: 'ECONNREFUSED' },
    });
    const nowhere = client('http://crystal-desk-test.invalid', {});
    expect(await rejectionOf(nowhere.reportFeedback(feedback))).toMatchObject({
      code: 'NETWORK',
      details: { delivery: 'not_sent' },
    });
  });

  it('refuses a base URL holding credentials before sending, without echoing them', async () => {
    const sim = await simulator();
    const withCredentials = sim.url.replace('http://', 'http://someone:hunter2-secret@');
    const error = await rejectionOf(
      client(withCredentials, { appid: sim.appid }).listCalls(lastHour()),
    );
    expect(error).toMatchObject({
      code: 'BAD_INPUT',
      details: { delivery: 'not_sent', fields: ['baseUrl'] },
    });
    expect(error.message).not.toContain('hunter2-secret');
    expect(sim.stats().endpoints.callLists.accepted).toBe(0);
  });

  it('maps a request that fetch itself refused to NETWORK, surely not sent, without its URL', async () => {
    const server = await answeringServer(200, '{"code":200,"message":""}');
    let seen = 0;
    const api = client(server.url, {
      client: {
        // fetch refuses a URL with credentials (any local TypeError) before connecting.
        fetch: (url, init) => {
          seen++;
          const refused = new URL(String(url));
          refused.username = 'someone';
          refused.password = 'hunter2-secret';
          return fetch(refused, init);
        },
      },
    });
    const error = await rejectionOf(api.reportFeedback(feedback));
    expect(seen).toBe(1);
    expect(server.requests()).toBe(0);
    expect(error).toMatchObject({
      code: 'NETWORK',
      details: { delivery: 'not_sent', local: true },
    });
    expect(error.cause).toBeUndefined();
    expect(JSON.stringify(toErrorData(error))).not.toContain('hunter2-secret');
  });

  it('maps a connection dropped after the report was processed to NETWORK, delivery unknown', async () => {
    const sim = await simulator({ faults: { dropAfterProcessing: 1 } });
    const api = client(sim.url, { appid: sim.appid });
    expect(await rejectionOf(api.reportFeedback(feedback))).toMatchObject({
      code: 'NETWORK',
      details: { delivery: 'unknown' },
    });
    expect(sim.feedbackReports()).toHaveLength(1);
  });

  it('maps no answer in time to TIMEOUT, delivery unknown', async () => {
    const sim = await simulator({ faults: { slow: 1, slowMs: 2000 } });
    const api = client(sim.url, { appid: sim.appid, client: { timeoutMs: 150 } });
    expect(await rejectionOf(api.reportFeedback(feedback))).toMatchObject({
      code: 'TIMEOUT',
      details: { delivery: 'unknown' },
    });
  });

  it('maps cancellation to CANCELLED: not sent before sending, unknown in flight', async () => {
    const sim = await simulator({ faults: { slow: 1, slowMs: 2000 } });
    const api = client(sim.url, { appid: sim.appid });
    const early = new AbortController();
    early.abort();
    expect(await rejectionOf(api.reportFeedback(feedback, { signal: early.signal }))).toMatchObject(
      {
        code: 'CANCELLED',
        details: { delivery: 'not_sent' },
      },
    );
    const late = new AbortController();
    const pending = rejectionOf(api.reportFeedback(feedback, { signal: late.signal }));
    setTimeout(() => late.abort(), 100);
    expect(await pending).toMatchObject({ code: 'CANCELLED', details: { delivery: 'unknown' } });
  });

  it('maps a non-JSON or cut-off body to MALFORMED_RESPONSE', async () => {
    const malformed = await simulator({ faults: { malformed: 1 } });
    expect(
      await rejectionOf(client(malformed.url, { appid: malformed.appid }).listCalls(lastHour())),
    ).toMatchObject({ code: 'MALFORMED_RESPONSE', details: { delivery: 'answered' } });
    const truncated = await simulator({ faults: { truncated: 1 } });
    expect(
      await rejectionOf(client(truncated.url, { appid: truncated.appid }).listCalls(lastHour())),
    ).toMatchObject({ code: 'MALFORMED_RESPONSE' });
  });

  it('maps a megabyte body cut off mid-list to MALFORMED_RESPONSE', async () => {
    const call =
      '{"call_id":"c","cname":"class, 101","created_ts":1,"destroyed_ts":2,"finished":true}';
    const body = `{"code":200,"message":"","has_more":true,"call_lists":[${Array<string>(14_000).fill(call).join(',\n ')}`;
    expect(body.length).toBeGreaterThan(1_000_000);
    const url = await fixedServer(200, body);
    expect(await rejectionOf(client(url).listCalls(lastHour()))).toMatchObject({
      code: 'MALFORMED_RESPONSE',
      details: { delivery: 'answered', status: 200 },
    });
  });

  it('rejects missing or mistyped required fields and tolerates unknown extra ones', async () => {
    const missing = await fixedServer(200, '{"code":200,"message":"","has_more":false}');
    expect(await rejectionOf(client(missing).listCalls(lastHour()))).toMatchObject({
      code: 'MALFORMED_RESPONSE',
      details: { fields: ['call_lists'] },
    });
    const mistyped = await fixedServer(
      200,
      '{"code":200,"message":"","has_more":"no","call_lists":[]}',
    );
    expect((await rejectionOf(client(mistyped).listCalls(lastHour()))).code).toBe(
      'MALFORMED_RESPONSE',
    );
    const extra = await fixedServer(
      200,
      '{"code":200,"message":"","has_more":false,"call_lists":[],"request_id":"x",}',
    );
    expect(await client(extra).listCalls(lastHour())).toEqual({
      code: 200,
      message: '',
      has_more: false,
      call_lists: [],
    });
  });

  it("honours the body's code when the HTTP status says 200", async () => {
    const url = await fixedServer(200, '{"code":403,"message":"no access to this appid"}');
    expect(await rejectionOf(client(url).listCalls(lastHour()))).toMatchObject({
      code: 'AUTH_REJECTED',
      details: { status: 403, apiMessage: 'no access to this appid' },
    });
    const server = await fixedServer(200, '{"code":500,"message":"oops"}');
    expect((await rejectionOf(client(server).listCalls(lastHour()))).code).toBe('SERVER');
  });

  it('refuses an invalid feedback report before sending it', async () => {
    const sim = await simulator();
    const api = client(sim.url, { appid: sim.appid });
    const error = await rejectionOf(
      api.reportFeedback({ ...feedback, teacher_uid: -1 } as unknown as typeof feedback),
    );
    expect(error).toMatchObject({
      code: 'BAD_INPUT',
      details: { delivery: 'not_sent', fields: ['teacher_uid'] },
    });
    expect(sim.stats().endpoints.feedbackReport.accepted).toBe(0);
  });
});

// Routing (404), Basic auth (401/403), appid access and parameter validation (400 naming the
// parameter), over real HTTP.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINT_PATHS } from '../shared/api-limits.ts';
import { startSimulator, type SimulatorHandle } from './index.ts';
import { call } from './test-http-client.ts';

const NOW_MS = Date.UTC(2025, 4, 14, 10, 30, 0);
const NOW = NOW_MS / 1000;
const basic = (text: string): string => `Basic ${Buffer.from(text).toString('base64')}`;

let sim: SimulatorHandle;
beforeAll(async () => {
  // Each request sees the clock a minute later, so rate windows stay out of the way.
  let tick = NOW_MS;
  sim = await startSimulator({ seed: 'auth', clock: () => (tick += 61_000) });
});
afterAll(() => sim.close());

const listParams = { start_ts: NOW - 3600, end_ts: NOW };

describe('routing', () => {
  it('answers 404 with code and message for an unknown path', async () => {
    const res = await call(sim, '/beta/analytics/call/nope', listParams);
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ code: 404, message: expect.stringContaining('/beta') });
  });

  it('answers 404 for a known path with the wrong method', async () => {
    expect(
      (await call(sim, ENDPOINT_PATHS.callLists, listParams, { method: 'POST', body: '{}' }))
        .status,
    ).toBe(404);
    expect((await call(sim, ENDPOINT_PATHS.feedbackReport)).status).toBe(404);
  });

  it('counts unknown paths in the stats', async () => {
    const before = sim.stats().not_found;
    await call(sim, '/nowhere');
    expect(sim.stats().not_found).toBe(before + 1);
  });
});

describe('basic auth', () => {
  it('answers 401 with WWW-Authenticate when the Authorization header is missing', async () => {
    const res = await call(sim, ENDPOINT_PATHS.callLists, listParams, { authorization: null });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic/);
    expect(res.json()).toMatchObject({ code: 401, message: expect.any(String) });
  });

  it.each([
    ['another scheme', 'Bearer abc'],
    ['not base64', 'Basic %%%%'],
    ['no colon inside', basic('demo-customer')],
    ['empty customer id', basic(':demo-secret')],
  ])('answers 401 for a malformed header (%s)', async (_name, header) => {
    const res = await call(sim, ENDPOINT_PATHS.callLists, listParams, { authorization: header });
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ code: 401 });
  });

  it.each([
    ['a wrong secret', basic('demo-customer:wrong')],
    ['an unknown customer', basic('someone-else:demo-secret')],
  ])('answers 403 for %s', async (_name, header) => {
    const res = await call(sim, ENDPOINT_PATHS.callLists, listParams, { authorization: header });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({ code: 403, message: expect.any(String) });
  });

  it('counts auth failures by reason', async () => {
    const stats = sim.stats().endpoints.callLists.rejected;
    expect(stats.auth_missing).toBeGreaterThanOrEqual(5);
    expect(stats.auth_rejected).toBeGreaterThanOrEqual(2);
  });
});

describe('appid', () => {
  it('answers 403 for a well-formed appid the customer cannot access', async () => {
    const res = await call(sim, ENDPOINT_PATHS.callLists, {
      ...listParams,
      appid: 'ffffffffffffffffffffffffffffffff',
    });
    expect(res.status).toBe(403);
    expect(res.json<{ message: string }>().message).toContain('appid');
    expect(sim.stats().endpoints.callLists.rejected.appid_rejected).toBe(1);
  });

  it('answers 400 naming appid when it is missing or malformed', async () => {
    for (const appid of ['', 'not an appid!']) {
      const res = await call(sim, ENDPOINT_PATHS.callLists, { ...listParams, appid });
      expect(res.status).toBe(400);
      expect(res.json<{ message: string }>().message).toMatch(/^appid /);
    }
  });
});

describe('parameter validation', () => {
  const callId = '0123456789abcdef01234567';
  it.each([
    [ENDPOINT_PATHS.callLists, { end_ts: NOW }, 'start_ts'],
    [ENDPOINT_PATHS.callLists, { start_ts: NOW - 60 }, 'end_ts'],
    [ENDPOINT_PATHS.callLists, { start_ts: 'yesterday', end_ts: NOW }, 'start_ts'],
    [ENDPOINT_PATHS.callLists, { start_ts: NOW - 60, end_ts: '12.5' }, 'end_ts'],
    [ENDPOINT_PATHS.callLists, { start_ts: NOW - 60, end_ts: NOW - 120 }, 'end_ts'],
    [ENDPOINT_PATHS.callLists, { start_ts: (NOW - 60) * 1000, end_ts: NOW * 1000 }, 'start_ts'],
    [ENDPOINT_PATHS.callLists, { ...listParams, cname: '' }, 'cname'],
    [ENDPOINT_PATHS.callDetails, { start_ts: NOW - 60, end_ts: NOW }, 'call_id'],
    [ENDPOINT_PATHS.callDetails, { start_ts: NOW - 60, end_ts: NOW, call_id: 'C123' }, 'call_id'],
    [
      ENDPOINT_PATHS.callDetails,
      { start_ts: NOW - 60, end_ts: NOW, call_id: callId, exclude_server_user: 'maybe' },
      'exclude_server_user',
    ],
    [ENDPOINT_PATHS.callDetails, { end_ts: NOW, call_id: callId }, 'start_ts'],
    [ENDPOINT_PATHS.usageByTime, { start_ts: NOW - 86400, end_ts: NOW }, 'metric'],
    [
      ENDPOINT_PATHS.usageByTime,
      { start_ts: NOW - 86400, end_ts: NOW, metric: 'userCount,minutes' },
      'metric',
    ],
  ])(
    'answers 400 on %s with a message naming the parameter (%j → %s)',
    async (path, params, name) => {
      const res = await call(sim, path, params);
      expect(res.status).toBe(400);
      const body = res.json<{ code: number; message: string }>();
      expect(body.code).toBe(400);
      expect(body.message.startsWith(`${name} `)).toBe(true);
    },
  );

  it('says timestamps are in seconds, not milliseconds, for a 13-digit Date.now() value', async () => {
    const ms = Date.now();
    expect(String(ms)).toHaveLength(13);
    const cases = [
      [{ start_ts: ms - 60_000, end_ts: NOW }, 'start_ts'],
      [{ start_ts: NOW - 60, end_ts: ms }, 'end_ts'],
    ] as const;
    for (const [params, name] of cases) {
      const res = await call(sim, ENDPOINT_PATHS.callLists, params);
      expect(res.status).toBe(400);
      expect(res.json<{ message: string }>().message).toBe(
        `${name} must be in seconds, not milliseconds`,
      );
    }
  });

  it('answers 400 naming a parameter given twice', async () => {
    const url = `${ENDPOINT_PATHS.callLists}?start_ts=${NOW - 60}&start_ts=${NOW - 30}&end_ts=${NOW}`;
    const res = await call(sim, url);
    expect(res.status).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(/^start_ts .*more than once/);
  });
});

describe('control routes', () => {
  it('serves stats without auth', async () => {
    const res = await call(sim, '/__sim/stats', {}, { authorization: null });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      endpoints: { callLists: { accepted: expect.any(Number) } },
    });
  });

  it('serves the same ground truth over HTTP as in-process, and 400 for a bad range', async () => {
    const q = { start_ts: NOW - 7200, end_ts: NOW - 3600 };
    const res = await call(sim, '/__sim/truth', { ...q, sessions: 1 }, { authorization: null });
    expect(res.status).toBe(200);
    const calls = res.json<{ calls: unknown[] }>().calls;
    expect(calls.length).toBeGreaterThan(10);
    expect(calls).toEqual(
      sim.truth({ startTs: q.start_ts, endTs: q.end_ts, includeSessions: true }),
    );
    const bad = await call(sim, '/__sim/truth', { start_ts: NOW, end_ts: NOW - 1 });
    expect(bad.status).toBe(400);
  });

  it('answers 404 for unknown control routes', async () => {
    expect((await call(sim, '/__sim/nothing')).status).toBe(404);
  });
});

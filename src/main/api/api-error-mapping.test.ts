import { afterEach, describe, expect, it } from 'vitest';
import { BETA_PLAN } from '../../shared/api-limits.ts';
import { ERROR_CODES, toErrorData, type ErrorCode } from '../../shared/errors.ts';
import { createQuotaLimiter } from '../quota/index.ts';
import { createKeychainSecretStore } from '../secrets/index.ts';
import { createCrystalClient, type CrystalClientOptions } from './crystal-client.ts';
import type { CrystalClient, Delivery } from './crystal-client-types.ts';
import { rejectionOf } from './rejection-of.ts';
import { startFixedAnswerServer, type FixedAnswer } from './fixed-answer-server.ts';

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

// One fixed moment for the client and its limiter, so retryAt values are exact.
const NOW = Math.floor(Date.now() / 1000) * 1000;
const nowSec = NOW / 1000;
const lastHour = { startTs: nowSec - 3600, endTs: nowSec };

function client(baseUrl: string, extra: Partial<CrystalClientOptions> = {}): CrystalClient {
  // No automatic retry after a 429: these tests look at the mapping, and time stands still.
  const limiter = createQuotaLimiter({
    customerId: 'mapping-cust',
    plan: BETA_PLAN,
    clock: () => NOW,
    maxRetries: 0,
  });
  closers.push(() => limiter.close());
  return createCrystalClient({
    baseUrl,
    appid: 'abcdef0123456789abcdef0123456789',
    customerId: 'mapping-cust',
    getSecret: () => 'mapping-secret',
    limiter,
    clock: () => NOW,
    ...extra,
  });
}

async function answering(answer: FixedAnswer): Promise<string> {
  const server = await startFixedAnswerServer(answer);
  closers.push(() => server.close());
  return server.url;
}

/** A port nothing listens on (a server started and closed again). */
async function closedPort(): Promise<string> {
  const server = await startFixedAnswerServer({});
  await server.close();
  return server.url;
}

const envelope = (code: number, message: string) => JSON.stringify({ code, message });

/** The delivery each scenario below must report. */
const DELIVERY: Record<ErrorCode, Delivery> = {
  AUTH_MISSING: 'not_sent',
  AUTH_REJECTED: 'answered',
  QUOTA_EXHAUSTED: 'answered',
  RATE_LIMITED: 'answered',
  OUT_OF_RANGE: 'not_sent',
  BAD_INPUT: 'answered',
  NETWORK: 'not_sent',
  TIMEOUT: 'unknown',
  SERVER: 'answered',
  MALFORMED_RESPONSE: 'answered',
  NOT_FOUND: 'answered',
  KEYCHAIN_UNAVAILABLE: 'not_sent',
  CANCELLED: 'not_sent',
  INTERNAL: 'not_sent',
};

/** One way to reach each code through the client, the way it happens in the app. */
const REACH: Record<ErrorCode, () => Promise<unknown>> = {
  AUTH_MISSING: async () =>
    client('http://127.0.0.1:9', { getSecret: () => null }).listCalls(lastHour),
  AUTH_REJECTED: async () =>
    client(await answering({ status: 403, body: envelope(403, 'invalid credentials') })).listCalls(
      lastHour,
    ),
  QUOTA_EXHAUSTED: async () =>
    client(await answering({ status: 429, body: envelope(429, 'daily quota exceeded') })).listCalls(
      lastHour,
    ),
  RATE_LIMITED: async () =>
    client(
      await answering({
        status: 429,
        body: envelope(429, 'too many requests'),
        headers: { 'retry-after': '120' },
      }),
    ).listCalls(lastHour),
  OUT_OF_RANGE: async () =>
    client('http://127.0.0.1:9').listCalls({
      startTs: nowSec - BETA_PLAN.endpoints.callLists.lookbackSec! - 1,
      endTs: nowSec,
    }),
  BAD_INPUT: async () =>
    client(await answering({ status: 400, body: envelope(400, 'cname is empty') })).listCalls(
      lastHour,
    ),
  NETWORK: async () => client(await closedPort()).listCalls(lastHour),
  TIMEOUT: async () =>
    client(await answering({ hold: true }), { timeoutMs: 50 }).listCalls(lastHour),
  SERVER: async () =>
    client(await answering({ status: 500, body: 'Internal Server Error' })).listCalls(lastHour),
  MALFORMED_RESPONSE: async () =>
    client(await answering({ status: 200, body: '<html>gateway</html>' })).listCalls(lastHour),
  NOT_FOUND: async () =>
    client(await answering({ status: 404, body: envelope(404, 'no such API') })).listCalls(
      lastHour,
    ),
  KEYCHAIN_UNAVAILABLE: async () => {
    const keychain = createKeychainSecretStore({
      keytar: () => Promise.reject(new Error('libsecret-1.so.0: cannot open shared object file')),
    });
    return client('http://127.0.0.1:9', { getSecret: () => keychain.get('p1') }).listCalls(
      lastHour,
    );
  },
  CANCELLED: async () =>
    client('http://127.0.0.1:9').listCalls(lastHour, { signal: AbortSignal.abort() }),
  // Anything thrown that is not an AppError (a bug, a library's own error) becomes INTERNAL.
  INTERNAL: async () =>
    client('http://127.0.0.1:9', {
      getSecret: () => {
        throw new RangeError('unexpected');
      },
    }).listCalls(lastHour),
};

describe('error codes', () => {
  it('names a way to reach every code in the closed set', () => {
    expect(Object.keys(REACH).sort()).toEqual([...ERROR_CODES].sort());
  });

  it.each([...ERROR_CODES])(
    '%s is reached through the client and crosses the boundary as data with its delivery',
    async (code) => {
      const error = await rejectionOf(REACH[code]());
      expect(error.code).toBe(code);
      const data = toErrorData(error);
      expect(data.code).toBe(code);
      expect(data.details?.['delivery']).toBe(DELIVERY[code]);
      expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    },
  );
});

describe('API error mapping over HTTP', () => {
  it('maps a redirect to SERVER without following it', async () => {
    const target = await startFixedAnswerServer({ body: envelope(200, '') });
    closers.push(() => target.close());
    const url = await answering({ status: 302, headers: { location: target.url } });
    expect(await rejectionOf(client(url).listCalls(lastHour))).toMatchObject({
      code: 'SERVER',
      message: expect.stringMatching(/redirect \(HTTP 302\)/),
      details: { status: 302, delivery: 'answered' },
    });
    expect(target.requests()).toBe(0);
  });

  it('maps a body code 429 under HTTP 200 like a 429 status', async () => {
    const limited = await answering({ status: 200, body: envelope(429, 'too many requests') });
    expect(await rejectionOf(client(limited).listCalls(lastHour))).toMatchObject({
      code: 'RATE_LIMITED',
      retryAt: NOW + 1000,
      details: { status: 429, delivery: 'answered' },
    });
    const daily = await answering({ status: 200, body: envelope(429, '每天配额已用完') });
    expect(await rejectionOf(client(daily).listCalls(lastHour))).toMatchObject({
      code: 'QUOTA_EXHAUSTED',
      details: { status: 429, apiMessage: '每天配额已用完' },
    });
  });

  it('reads Retry-After given as an HTTP date', async () => {
    const until = NOW + 120_000;
    const url = await answering({
      status: 429,
      body: envelope(429, 'too many requests'),
      headers: { 'retry-after': new Date(until).toUTCString() },
    });
    expect(await rejectionOf(client(url).listCalls(lastHour))).toMatchObject({
      code: 'RATE_LIMITED',
      retryAt: until,
      details: { status: 429 },
    });
  });
});

// HTTP client for the four Crystal Ball endpoints: Basic auth built here in main, requests paced
// by the quota limiter, timeouts and cancellation, validated answers, failures as AppErrors.
// What to fetch and when (windows, chunks, retries of feedback) is for its callers to decide.

import { createHmac, randomBytes } from 'node:crypto';
import { BETA_PLAN, type EndpointName, type PlanLimits } from '../../shared/api-limits.ts';
import { toErrorData, type AppError } from '../../shared/errors.ts';
import type { QuotaLimiter } from '../quota/index.ts';
import { answeredError, networkError } from './api-error-mapping.ts';
import type {
  CallDetailsQuery,
  CrystalClient,
  ListCallsQuery,
  RequestOptions,
  UsageQuery,
} from './crystal-client-types.ts';
import { parseLenientJson } from './lenient-json.ts';
import { requestError } from './request-delivery.ts';
import {
  CallDetailsSchema,
  CallListsSchema,
  EnvelopeSchema,
  FeedbackBodySchema,
  FeedbackReportSchema,
  UsageByTimeSchema,
} from './wire-schemas.ts';
import type { z } from 'zod';

export interface CrystalClientOptions {
  /**
   * e.g. https://api.agora.io (a path prefix is kept), or a function giving it when the first
   * request is made (the demo simulator starts lazily).
   */
  baseUrl: string | (() => string | Promise<string>);
  appid: string;
  customerId: string;
  /** The Customer Certificate, read when a request is made; null/undefined = not set. */
  getSecret: () => Promise<string | null | undefined> | string | null | undefined;
  limiter: QuotaLimiter;
  /** The limits table (paths, lookback). Default BETA_PLAN. */
  plan?: PlanLimits;
  fetch?: typeof globalThis.fetch;
  /** Unix ms. Default Date.now. */
  clock?: () => number;
  /** Per request, from sending until the whole body is read. Default 30 s. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Keys this process's credential fingerprints: random and never stored, so they reveal nothing. */
const FINGERPRINT_KEY = randomBytes(32);

/** Tells credentials apart in a coalescing key without holding the secret. */
function credentialFingerprint(authorization: string): string {
  return createHmac('sha256', FINGERPRINT_KEY).update(authorization).digest('base64url');
}

const TIMEOUT = Symbol('timeout');
const CANCELLED = Symbol('cancelled');

interface Call<S extends z.ZodType> {
  endpoint: EndpointName;
  params: Record<string, string | undefined>;
  body?: string;
  schema: S;
}

export function createCrystalClient(options: CrystalClientOptions): CrystalClient & {
  readonly appid: string;
  readonly customerId: string;
} {
  const plan = options.plan ?? BETA_PLAN;
  const doFetch = options.fetch ?? globalThis.fetch;
  const clock = options.clock ?? Date.now;

  function basicAuth(secret: string): string {
    return `Basic ${Buffer.from(`${options.customerId}:${secret}`, 'utf8').toString('base64')}`;
  }

  function checkRange(endpoint: EndpointName, startTs: number, endTs: number): void {
    for (const [name, value] of [
      ['startTs', startTs],
      ['endTs', endTs],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < 0) {
        throw requestError(
          'BAD_INPUT',
          `${name} must be a Unix time in whole seconds`,
          'not_sent',
          {
            details: { fields: [name] },
          },
        );
      }
    }
    if (endTs < startTs) {
      throw requestError('BAD_INPUT', 'endTs must not be before startTs', 'not_sent', {
        details: { fields: ['endTs'] },
      });
    }
    const lookback = plan.endpoints[endpoint].lookbackSec;
    const earliest = Math.floor(clock() / 1000) - (lookback ?? 0);
    if (lookback !== null && startTs < earliest) {
      throw requestError(
        'OUT_OF_RANGE',
        `The API keeps ${plan.endpoints[endpoint].path} data for ${lookback / 86400} days only; the range starts before ${new Date(earliest * 1000).toISOString()}.`,
        'not_sent',
        { details: { endpoint, earliestTs: earliest, fields: ['startTs'] } },
      );
    }
  }

  async function request<S extends z.ZodType>(
    call: Call<S>,
    requestOptions: RequestOptions = {},
  ): Promise<z.output<S>> {
    const limits = plan.endpoints[call.endpoint];
    const baseUrl =
      typeof options.baseUrl === 'function' ? await options.baseUrl() : options.baseUrl;
    let url: URL;
    try {
      const base = new URL(baseUrl);
      url = new URL(base.pathname.replace(/\/$/, '') + limits.path, base);
    } catch {
      throw requestError('BAD_INPUT', `The API base URL is not valid: ${baseUrl}`, 'not_sent', {
        details: { fields: ['baseUrl'] },
      });
    }
    if (url.username !== '' || url.password !== '') {
      // Not echoed: the part before "@" may be a secret. (Profiles refuse such URLs; this covers
      // one stored before they did, and other callers.)
      throw requestError(
        'BAD_INPUT',
        'The API base URL must not contain a user name or password.',
        'not_sent',
        { details: { fields: ['baseUrl'] } },
      );
    }
    for (const [key, value] of Object.entries(call.params)) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    let secret: string | null | undefined;
    try {
      secret = await options.getSecret();
    } catch (error) {
      // e.g. KEYCHAIN_UNAVAILABLE: nothing was sent.
      const data = toErrorData(error);
      throw requestError(data.code, data.message, 'not_sent', {
        details: data.details,
        cause: error,
      });
    }
    if (secret === null || secret === undefined || secret === '' || options.customerId === '') {
      throw requestError(
        'AUTH_MISSING',
        'No Customer ID and Customer Certificate are set for this profile.',
        'not_sent',
      );
    }
    const authorization = basicAuth(secret);
    const timeoutMs = requestOptions.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return options.limiter.schedule(
      {
        endpoint: call.endpoint,
        priority: requestOptions.priority ?? 'interactive',
        // Only reads are shared (two identical feedback reports are two reports), and only
        // between callers with the same credentials: a wrong secret must not borrow an answer.
        key:
          limits.method === 'GET'
            ? `GET ${url.href} as ${credentialFingerprint(authorization)}`
            : undefined,
        signal: requestOptions.signal,
      },
      (signal) => send(call, url, authorization, timeoutMs, signal),
    );
  }

  async function send<S extends z.ZodType>(
    call: Call<S>,
    url: URL,
    authorization: string,
    timeoutMs: number,
    shared: AbortSignal,
  ): Promise<z.output<S>> {
    const path = plan.endpoints[call.endpoint].path;
    const method = plan.endpoints[call.endpoint].method;
    if (shared.aborted) throw requestError('CANCELLED', 'The request was cancelled.', 'not_sent');
    const controller = new AbortController();
    const onShared = () => controller.abort(CANCELLED);
    shared.addEventListener('abort', onShared, { once: true });
    const timer = setTimeout(() => controller.abort(TIMEOUT), timeoutMs);
    const interrupted = (): AppError | undefined => {
      if (controller.signal.reason === TIMEOUT) {
        return requestError(
          'TIMEOUT',
          `No answer from ${path} within ${timeoutMs} ms.`,
          'unknown',
          {
            details: { path, timeoutMs },
          },
        );
      }
      if (controller.signal.reason === CANCELLED) {
        return requestError('CANCELLED', 'The request was cancelled after it was sent.', 'unknown');
      }
      return undefined;
    };
    try {
      let response: Response;
      try {
        response = await doFetch(url, {
          method,
          headers: {
            Accept: 'application/json',
            Authorization: authorization,
            ...(call.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          },
          body: call.body,
          redirect: 'manual',
          signal: controller.signal,
        });
      } catch (error) {
        throw interrupted() ?? networkError(error, path);
      }
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        const stopped = interrupted();
        if (stopped) throw stopped;
        if (response.status !== 200) throw failure(response, undefined, path);
        throw requestError(
          'MALFORMED_RESPONSE',
          `The answer from ${path} was cut off.`,
          'answered',
          {
            details: { path, status: response.status },
            cause: error,
          },
        );
      }
      let parsed: unknown;
      let parseFailed = false;
      try {
        parsed = parseLenientJson(text);
      } catch {
        parseFailed = true;
      }
      const envelope = parseFailed ? undefined : EnvelopeSchema.safeParse(parsed).data;
      if (response.status !== 200) throw failure(response, envelope?.message, path);
      if (parseFailed) {
        throw requestError(
          'MALFORMED_RESPONSE',
          `The answer from ${path} is not JSON.`,
          'answered',
          {
            details: { path, status: response.status, bodyStart: text.slice(0, 80) },
          },
        );
      }
      // The body's own code counts as much as the HTTP status.
      if (envelope?.code !== undefined && envelope.code !== 200) {
        throw answeredError({
          status: envelope.code,
          apiMessage: envelope.message,
          retryAfter: response.headers.get('retry-after'),
          path,
          now: clock(),
        });
      }
      const result = call.schema.safeParse(parsed);
      if (!result.success) {
        const fields = result.error.issues.slice(0, 5).map((i) => i.path.map(String).join('.'));
        throw requestError(
          'MALFORMED_RESPONSE',
          `The answer from ${path} lacks or mistypes: ${fields.join(', ') || '(the body)'}.`,
          'answered',
          { details: { path, status: response.status, fields } },
        );
      }
      return result.data;
    } finally {
      clearTimeout(timer);
      shared.removeEventListener('abort', onShared);
    }
  }

  function failure(response: Response, apiMessage: string | undefined, path: string): AppError {
    return answeredError({
      status: response.status,
      apiMessage: apiMessage || undefined,
      retryAfter: response.headers.get('retry-after'),
      path,
      now: clock(),
    });
  }

  return {
    appid: options.appid,
    customerId: options.customerId,
    listCalls(query: ListCallsQuery, requestOptions?: RequestOptions) {
      return Promise.resolve().then(() => {
        checkRange('callLists', query.startTs, query.endTs);
        return request(
          {
            endpoint: 'callLists',
            params: {
              start_ts: String(query.startTs),
              end_ts: String(query.endTs),
              appid: options.appid,
              cname: query.cname,
            },
            schema: CallListsSchema,
          },
          requestOptions,
        );
      });
    },
    getCallDetails(query: CallDetailsQuery, requestOptions?: RequestOptions) {
      return Promise.resolve().then(() => {
        checkRange('callDetails', query.startTs, query.endTs);
        if (query.callId === '') {
          throw requestError('BAD_INPUT', 'callId is required', 'not_sent', {
            details: { fields: ['callId'] },
          });
        }
        return request(
          {
            endpoint: 'callDetails',
            params: {
              start_ts: String(query.startTs),
              end_ts: String(query.endTs),
              appid: options.appid,
              call_id: query.callId,
              exclude_server_user:
                query.excludeServerUser === undefined ? undefined : String(query.excludeServerUser),
            },
            schema: CallDetailsSchema,
          },
          requestOptions,
        );
      });
    },
    usageByTime(query: UsageQuery, requestOptions?: RequestOptions) {
      return Promise.resolve().then(() => {
        checkRange('usageByTime', query.startTs, query.endTs);
        if (query.metrics.length === 0) {
          throw requestError('BAD_INPUT', 'at least one usage metric is needed', 'not_sent', {
            details: { fields: ['metrics'] },
          });
        }
        return request(
          {
            endpoint: 'usageByTime',
            params: {
              start_ts: String(query.startTs),
              end_ts: String(query.endTs),
              appid: options.appid,
              metric: [...new Set(query.metrics)].join(','),
            },
            schema: UsageByTimeSchema,
          },
          requestOptions,
        );
      });
    },
    reportFeedback(body, requestOptions?: RequestOptions) {
      return Promise.resolve().then(() => {
        const checked = FeedbackBodySchema.safeParse(body);
        if (!checked.success) {
          const fields = checked.error.issues.map((i) => i.path.map(String).join('.'));
          throw requestError(
            'BAD_INPUT',
            `The feedback report is not valid: ${fields.join(', ')}`,
            'not_sent',
            { details: { fields } },
          );
        }
        return request(
          {
            endpoint: 'feedbackReport',
            params: { appid: options.appid },
            body: JSON.stringify(checked.data),
            schema: FeedbackReportSchema,
          },
          requestOptions,
        );
      });
    },
  };
}

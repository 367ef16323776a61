// Turns what the API answered (HTTP status, body code and message, Retry-After) and what the
// network did (fetch failures) into AppErrors with a code from the closed set and a delivery.

import type { AppError } from '../../shared/errors.ts';
import { requestError } from './request-delivery.ts';

export interface AnsweredFailure {
  /** The HTTP status, or the body's `code` when the status said 200. */
  status: number;
  /** The API's own message, if it sent one. */
  apiMessage: string | undefined;
  retryAfter: string | null;
  path: string;
  now: number;
}

/** A 400 about the time range reaching further back than the API keeps data. */
const OUT_OF_RANGE_MESSAGE =
  /out of range|outside|lookback|queryable|too (old|early|far)|超出|范围/i;
/** A 429 about the daily quota rather than the short rate windows. */
const QUOTA_MESSAGE = /quota|per day|daily|每天|配额/i;
/** A 401 that says credentials were not given at all (rather than not accepted). */
const MISSING_AUTH_MESSAGE = /missing|malformed|no auth|required/i;

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return now + Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(now, date);
}

export function answeredError(failure: AnsweredFailure): AppError {
  const { status, apiMessage, path, now } = failure;
  const said = apiMessage ? `: ${apiMessage}` : '';
  const details = { status, path, ...(apiMessage ? { apiMessage } : {}) };
  const answered = (code: Parameters<typeof requestError>[0], message: string, retryAt?: number) =>
    requestError(code, message, 'answered', { details, ...(retryAt ? { retryAt } : {}) });

  if (status === 401) {
    return MISSING_AUTH_MESSAGE.test(apiMessage ?? '')
      ? answered('AUTH_MISSING', `The API received no usable credentials${said}`)
      : answered('AUTH_REJECTED', `The API did not accept the credentials${said}`);
  }
  if (status === 403) return answered('AUTH_REJECTED', `The API refused access${said}`);
  if (status === 400) {
    return OUT_OF_RANGE_MESSAGE.test(apiMessage ?? '')
      ? answered('OUT_OF_RANGE', `The time range is outside what the API keeps${said}`)
      : answered('BAD_INPUT', `The API refused the request as bad input${said}`);
  }
  if (status === 404) return answered('NOT_FOUND', `The API does not know ${path}${said}`);
  if (status === 429) {
    const retryAt = parseRetryAfter(failure.retryAfter, now);
    return QUOTA_MESSAGE.test(apiMessage ?? '')
      ? answered('QUOTA_EXHAUSTED', `The API reports the daily quota used up${said}`, retryAt)
      : answered('RATE_LIMITED', `The API asked to slow down${said}`, retryAt ?? now + 1000);
  }
  if (status >= 500 && status <= 599) {
    return answered('SERVER', `The API had an internal error (HTTP ${status})${said}`);
  }
  if (status >= 300 && status <= 399) {
    return answered('SERVER', `The API answered with an unexpected redirect (HTTP ${status})`);
  }
  return answered('SERVER', `The API answered with unexpected status ${status}${said}`);
}

/** Network error codes raised while connecting: the request itself was never written. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EAI_FAIL',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_INVALID_URL',
]);
const TLS_CODE = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/;

/** The first `code` found along an error's cause chain (fetch wraps the socket error). */
export function networkCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) current = errors[0];
    else current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function causeMessageOf(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error ? cause.message : '';
}

/**
 * fetch refused the request itself, before opening any connection: a TypeError of its own
 * (a URL with credentials, a forbidden header) rather than "fetch failed" wrapping what the
 * network did, or a "bad port" / invalid URL reported as the cause.
 */
function refusedByFetch(error: unknown): boolean {
  if (/bad port|invalid url/i.test(causeMessageOf(error))) return true;
  return (
    error instanceof TypeError && error.cause === undefined && error.message !== 'fetch failed'
  );
}

/** A fetch that failed without an answer: refused/DNS (not sent) or reset (unknown). */
export function networkError(error: unknown, path: string): AppError {
  const code = networkCodeOf(error);
  const local = refusedByFetch(error);
  const notSent =
    local || (code !== undefined && (NOT_SENT_CODES.has(code) || TLS_CODE.test(code)));
  const what =
    code === 'ECONNREFUSED'
      ? 'the connection was refused'
      : code === 'ENOTFOUND' || code?.startsWith('EAI_')
        ? 'the API host name could not be resolved'
        : local
          ? 'this machine refused to send the request'
          : notSent
            ? 'the API could not be reached'
            : 'the connection broke before an answer came';
  return requestError(
    'NETWORK',
    `No answer from ${path}: ${what}${code ? ` (${code})` : ''}.`,
    notSent ? 'not_sent' : 'unknown',
    {
      details: { path, ...(code ? { networkCode: code } : {}), ...(local ? { local: true } : {}) },
      // fetch's own refusals quote the whole URL, which may hold what it refused.
      ...(local ? {} : { cause: error }),
    },
  );
}

// The closed set of error codes that cross every boundary (IPC, HTTP bridge, CLI) as data.
// Inside main, code throws AppError; boundaries turn it into ErrorData with toErrorData().

export const ERROR_CODES = [
  'AUTH_MISSING',
  'AUTH_REJECTED',
  'QUOTA_EXHAUSTED',
  'RATE_LIMITED',
  'OUT_OF_RANGE',
  'BAD_INPUT',
  'NETWORK',
  'TIMEOUT',
  'SERVER',
  'MALFORMED_RESPONSE',
  'NOT_FOUND',
  'KEYCHAIN_UNAVAILABLE',
  'CANCELLED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorData {
  code: ErrorCode;
  message: string;
  /** Unix milliseconds when a retry can succeed (quota, rate limit). */
  retryAt?: number;
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryAt: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { retryAt?: number; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryAt = extra.retryAt;
    this.details = extra.details;
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Turns anything thrown into the data form; unknown errors become INTERNAL without leaking stacks. */
export function toErrorData(error: unknown): ErrorData {
  if (error instanceof AppError) {
    const data: ErrorData = { code: error.code, message: error.message };
    if (error.retryAt !== undefined) data.retryAt = error.retryAt;
    if (error.details !== undefined) data.details = error.details;
    return data;
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: message || 'Unexpected error' };
}

// Reads and validates query-string parameters, failing with a 400 whose message names the
// parameter. Parsing only; what the values mean is up to each endpoint.

/** A 400 for one parameter. */
export class BadRequestError extends Error {
  readonly param: string;
  constructor(param: string, message: string) {
    super(message);
    this.name = 'BadRequestError';
    this.param = param;
  }
}

/** Larger values are taken for milliseconds, a common client bug, and refused. */
const MAX_UNIX_SECONDS = 99_999_999_999;

export interface QueryReader {
  /** A required Unix timestamp in whole seconds. */
  timestamp(name: string): number;
  /** A required, non-empty string. */
  string(name: string): string;
  /** An optional string; present but empty is refused. */
  optionalString(name: string): string | undefined;
  /** An optional `true` / `false` (also `1` / `0`). */
  optionalBoolean(name: string, fallback: boolean): boolean;
}

export function readQuery(params: URLSearchParams): QueryReader {
  const single = (name: string): string | undefined => {
    const all = params.getAll(name);
    if (all.length > 1) throw new BadRequestError(name, `${name} is given more than once`);
    return all[0];
  };
  const required = (name: string): string => {
    const v = single(name);
    if (v === undefined || v === '') throw new BadRequestError(name, `${name} is required`);
    return v;
  };
  return {
    timestamp(name) {
      const raw = required(name);
      // Up to 13 digits pass here so that a Date.now() value (13 digits) gets the message below.
      if (!/^\d{1,13}$/.test(raw)) {
        throw new BadRequestError(name, `${name} must be a Unix timestamp in whole seconds`);
      }
      const value = Number(raw);
      if (value > MAX_UNIX_SECONDS) {
        throw new BadRequestError(name, `${name} must be in seconds, not milliseconds`);
      }
      return value;
    },
    string: required,
    optionalString(name) {
      const v = single(name);
      if (v === '') throw new BadRequestError(name, `${name} must not be empty`);
      return v;
    },
    optionalBoolean(name, fallback) {
      const v = single(name);
      if (v === undefined) return fallback;
      if (v === 'true' || v === '1') return true;
      if (v === 'false' || v === '0') return false;
      throw new BadRequestError(name, `${name} must be true or false`);
    },
  };
}

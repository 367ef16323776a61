// The simulator's knobs (shared by the in-process API and the CLI), their defaults, and their
// validation. Resolving options is the only place defaults live.

import { BETA_PLAN, scalePlanRates, type PlanLimits } from '../shared/api-limits.ts';

export interface Credentials {
  customerId: string;
  secret: string;
}

/** Chances in [0, 1] per API request; drawn from a seeded stream, so runs repeat exactly. */
export interface FaultOptions {
  /** Answer 500 instead of handling the request (nothing is recorded). */
  error500?: number;
  /** Handle the request, then send a body that is not JSON (status kept). */
  malformed?: number;
  /** Handle the request, then send part of the body and close the connection. */
  truncated?: number;
  /** Handle the request, then wait `slowMs` before answering. */
  slow?: number;
  slowMs?: number;
  /** Destroy the connection as soon as the request arrives, before reading its body. */
  dropBeforeBody?: number;
  /** Handle the request (a feedback report is recorded), then destroy the connection unanswered. */
  dropAfterProcessing?: number;
}

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Same seed, same data and same fault sequence. Default 'demo'. */
  seed?: string | number;
  /** One customer or several; the first is the handle's `credentials`. */
  credentials?: Credentials | readonly Credentials[];
  /** The only appid the customers may query. */
  appid?: string;
  /** Approximate calls a day (load scale). Default 2000; at least ~880 always exist (edge cases and 4 classrooms). */
  callsPerDay?: number;
  /** Makes the short rate windows this many times shorter (scalePlanRates). Default 1. */
  rateScale?: number;
  /** The limits table; default BETA_PLAN (rateScale is applied on top). */
  plan?: PlanLimits;
  faults?: FaultOptions;
  /** Reproduce the vendor page's own sloppiness (a trailing comma in feedback answers). Default true. */
  vendorQuirks?: boolean;
  /** Unix milliseconds; drives lookback, data delays, unfinished calls and rate windows. */
  clock?: () => number;
}

export interface ResolvedFaults {
  error500: number;
  malformed: number;
  truncated: number;
  slow: number;
  slowMs: number;
  dropBeforeBody: number;
  dropAfterProcessing: number;
}

export interface ResolvedOptions {
  port: number;
  host: string;
  seed: string | number;
  customers: readonly Credentials[];
  appid: string;
  callsPerDay: number;
  plan: PlanLimits;
  faults: ResolvedFaults;
  vendorQuirks: boolean;
  clock: () => number;
}

export const DEFAULT_CREDENTIALS: Credentials = {
  customerId: 'demo-customer',
  secret: 'demo-secret',
};
export const DEFAULT_APPID = 'demoappid00000000000000000000000';
export const DEFAULT_SEED = 'demo';
export const DEFAULT_CALLS_PER_DAY = 2000;
/**
 * The most --calls-per-day allowed: call ids hold the channel index in 4 hex digits, and about
 * 692,000 calls a day would need more than 0xffff channels. 500,000 keeps a margin
 * (call-schedule.test.ts checks that its catalogue fits).
 */
export const MAX_CALLS_PER_DAY = 500_000;
export const DEFAULT_SLOW_MS = 8000;

/** appids the simulator accepts as well-formed (Agora's are 32 hex digits; be a little lenient). */
export const APPID_PATTERN = /^[A-Za-z0-9]{1,64}$/;

function rate(name: string, value: number | undefined): number {
  const v = value ?? 0;
  if (!(v >= 0 && v <= 1)) throw new RangeError(`${name} must be between 0 and 1`);
  return v;
}

export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError('port must be an integer in 0..65535');
  }
  const customers =
    options.credentials === undefined
      ? [DEFAULT_CREDENTIALS]
      : Array.isArray(options.credentials)
        ? [...(options.credentials as readonly Credentials[])]
        : [options.credentials as Credentials];
  if (customers.length === 0) throw new RangeError('at least one customer is needed');
  for (const c of customers) {
    if (c.customerId === '' || c.customerId.includes(':') || c.secret === '') {
      throw new RangeError('credentials need a customer id without ":" and a non-empty secret');
    }
  }
  const appid = options.appid ?? DEFAULT_APPID;
  if (!APPID_PATTERN.test(appid)) throw new RangeError('appid must be 1-64 letters or digits');
  const callsPerDay = options.callsPerDay ?? DEFAULT_CALLS_PER_DAY;
  if (!(callsPerDay > 0 && callsPerDay <= MAX_CALLS_PER_DAY)) {
    throw new RangeError(
      `callsPerDay (--calls-per-day) must be more than 0 and at most ${MAX_CALLS_PER_DAY}`,
    );
  }
  const rateScale = options.rateScale ?? 1;
  const basePlan = options.plan ?? BETA_PLAN;
  const plan = rateScale === 1 ? basePlan : scalePlanRates(basePlan, rateScale);
  const f = options.faults ?? {};
  const slowMs = f.slowMs ?? DEFAULT_SLOW_MS;
  if (!(slowMs >= 0)) throw new RangeError('slowMs must be >= 0');
  return {
    port,
    host: options.host ?? '127.0.0.1',
    seed: options.seed ?? DEFAULT_SEED,
    customers,
    appid,
    callsPerDay,
    plan,
    faults: {
      error500: rate('fault 500 rate', f.error500),
      malformed: rate('malformed rate', f.malformed),
      truncated: rate('truncated rate', f.truncated),
      slow: rate('slow rate', f.slow),
      slowMs,
      dropBeforeBody: rate('drop-before rate', f.dropBeforeBody),
      dropAfterProcessing: rate('drop-after rate', f.dropAfterProcessing),
    },
    vendorQuirks: options.vendorQuirks ?? true,
    clock: options.clock ?? Date.now,
  };
}

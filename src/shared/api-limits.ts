// The API's limits as data, keyed by plan: the only place that knows "3 days", "10 calls" or
// "3 hours". Source: shared/reference (the vendor's beta page and Agora's later plans).

export type EndpointName = 'callLists' | 'callDetails' | 'usageByTime' | 'feedbackReport';

export interface RateWindow {
  /** Requests allowed in the window. */
  limit: number;
  /** Window length in milliseconds (rolling). */
  windowMs: number;
}

export interface EndpointLimits {
  path: string;
  method: 'GET' | 'POST';
  /** Short rolling windows (per second / per minute). */
  rates: RateWindow[];
  /** Rolling 24-hour quota, or null when the page names none. */
  perDay: number | null;
  /** Time from a call's start until its data can be fetched (seconds). */
  dataDelaySec: number;
  /** How far back the endpoint answers (seconds), or null when unlimited. */
  lookbackSec: number | null;
}

export interface PlanLimits {
  name: string;
  endpoints: Record<EndpointName, EndpointLimits>;
  /** At most this many calls in one call/lists response. */
  maxCallsPerList: number;
  /** At most this many seconds of metric data in one call/details response. */
  maxDetailsSpanSec: number;
  /** At most this many users in one call/details call_info. */
  maxUsersPerDetails: number;
  /** Metric sampling interval (seconds). */
  sampleIntervalSec: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
export const DAY_MS = 24 * 60 * MINUTE;
export const DAY_SEC = 24 * 3600;

export const ENDPOINT_PATHS: Record<EndpointName, string> = {
  callLists: '/beta/analytics/call/lists',
  callDetails: '/beta/analytics/call/details',
  usageByTime: '/beta/insight/usage/by_time',
  feedbackReport: '/beta/analytics/feedback/report',
};

/** The beta plan of the vendor page this app is built against. */
export const BETA_PLAN: PlanLimits = {
  name: 'beta',
  endpoints: {
    callLists: {
      path: ENDPOINT_PATHS.callLists,
      method: 'GET',
      rates: [{ limit: 3, windowMs: SECOND }],
      perDay: 1000,
      dataDelaySec: 20,
      lookbackSec: 3 * DAY_SEC,
    },
    callDetails: {
      path: ENDPOINT_PATHS.callDetails,
      method: 'GET',
      rates: [{ limit: 1, windowMs: SECOND }],
      perDay: 1000,
      dataDelaySec: 150,
      lookbackSec: 3 * DAY_SEC,
    },
    usageByTime: {
      path: ENDPOINT_PATHS.usageByTime,
      method: 'GET',
      rates: [{ limit: 1, windowMs: MINUTE }],
      perDay: 10,
      dataDelaySec: DAY_SEC,
      lookbackSec: 7 * DAY_SEC,
    },
    feedbackReport: {
      path: ENDPOINT_PATHS.feedbackReport,
      method: 'POST',
      rates: [{ limit: 10, windowMs: SECOND }],
      perDay: null,
      dataDelaySec: 0,
      lookbackSec: null,
    },
  },
  maxCallsPerList: 10,
  maxDetailsSpanSec: 3 * 3600,
  maxUsersPerDetails: 10,
  sampleIntervalSec: 2,
};

export const PLANS: Record<string, PlanLimits> = { beta: BETA_PLAN };

export function planLimits(name: string | undefined): PlanLimits {
  return (name !== undefined ? PLANS[name] : undefined) ?? BETA_PLAN;
}

export function endpointForPath(path: string): EndpointName | undefined {
  return (Object.keys(ENDPOINT_PATHS) as EndpointName[]).find((k) => ENDPOINT_PATHS[k] === path);
}

/**
 * A copy of a plan whose short rate windows are `factor` times shorter (more requests per real
 * second). Used by tests, benchmarks and the simulator's --rate-scale knob so that limits are
 * exercised without waiting minutes; daily quotas and data windows are unchanged.
 */
export function scalePlanRates(plan: PlanLimits, factor: number): PlanLimits {
  if (!(factor > 0)) throw new RangeError('factor must be > 0');
  const endpoints = Object.fromEntries(
    Object.entries(plan.endpoints).map(([name, e]) => [
      name,
      { ...e, rates: e.rates.map((r) => ({ ...r, windowMs: r.windowMs / factor })) },
    ]),
  ) as Record<EndpointName, EndpointLimits>;
  return { ...plan, name: `${plan.name}x${factor}`, endpoints };
}

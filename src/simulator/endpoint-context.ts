// What an endpoint handler receives (the world, limits, "now", the caller) and the checks every
// endpoint shares: the appid, the time range and the lookback window.

import type { EndpointLimits, PlanLimits } from '../shared/api-limits.ts';
import type { WireFeedbackBody } from '../shared/api-wire.ts';
import type { ApiResponse } from './api-response.ts';
import { BadRequestError, type QueryReader } from './query-params.ts';
import type { SimulatedWorld } from './simulated-world.ts';
import type { DayUsage } from './usage-counts.ts';

export interface RecordedFeedback {
  /** Server clock (Unix ms) when the report was accepted. */
  receivedAtMs: number;
  customerId: string;
  appid: string;
  report: WireFeedbackBody;
}

export interface EndpointContext {
  world: SimulatedWorld;
  usage: (dayStart: number) => DayUsage;
  plan: PlanLimits;
  nowMs: number;
  /** The appid the customers may query. */
  appid: string;
  customerId: string;
  vendorQuirks: boolean;
  recordFeedback(report: RecordedFeedback): void;
}

export interface EndpointRequest {
  query: URLSearchParams;
  /** The raw request body (empty for GET). */
  body: string;
}

export type EndpointHandler = (request: EndpointRequest, ctx: EndpointContext) => ApiResponse;

/**
 * A well-formed appid the caller has no access to. A real service knows the appid exists (or not)
 * only after authenticating, so it answers 403 "forbidden" rather than 400 "bad input".
 */
export class AppidRejectedError extends Error {
  constructor(appid: string) {
    super(`appid ${appid} is not accessible with these credentials`);
    this.name = 'AppidRejectedError';
  }
}

export function requireAppid(q: QueryReader, ctx: EndpointContext): string {
  const appid = q.string('appid');
  if (!/^[A-Za-z0-9]{1,64}$/.test(appid)) {
    throw new BadRequestError('appid', 'appid must be letters and digits only');
  }
  if (appid !== ctx.appid) throw new AppidRejectedError(appid);
  return appid;
}

export function nowSec(ctx: EndpointContext): number {
  return Math.floor(ctx.nowMs / 1000);
}

/** Reads start_ts and end_ts; end_ts must not precede start_ts. */
export function requireRange(q: QueryReader): { startTs: number; endTs: number } {
  const startTs = q.timestamp('start_ts');
  const endTs = q.timestamp('end_ts');
  if (endTs < startTs) throw new BadRequestError('end_ts', 'end_ts must not be before start_ts');
  return { startTs, endTs };
}

/** Refuses a start_ts that reaches further back than the endpoint's lookback window. */
export function requireWithinLookback(
  startTs: number,
  limits: EndpointLimits,
  ctx: EndpointContext,
): void {
  if (limits.lookbackSec === null) return;
  const earliest = nowSec(ctx) - limits.lookbackSec;
  if (startTs < earliest) {
    const days = Math.round((limits.lookbackSec / 86400) * 100) / 100;
    throw new BadRequestError(
      'start_ts',
      `start_ts is outside the queryable window of the last ${days} days (earliest ${earliest})`,
    );
  }
}

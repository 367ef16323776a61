// Orders a details phase's queue: priority order (asked for, watched channels, finished, newest),
// except that calls which would age out of the API's lookback before their turn go first, the
// nearest the edge first. Which calls fit the budget stays the same; only their order changes.

import type { EndpointName, PlanLimits } from '../../shared/api-limits.ts';
import { earliestRequestTs, LOOKBACK_MARGIN_SEC } from './call-enumerator.ts';
import { requestsForSpan } from './call-details-fetcher.ts';

export interface QueuedSpan {
  span: { fromTs: number; toTs: number };
}

/** The earliest start a details request may have at `nowMs` (with the margin for slow runs). */
export function earliestDetailsTs(plan: PlanLimits, nowMs: number): number {
  return earliestRequestTs(plan, 'callDetails', nowMs);
}

/** The shortest spacing between requests that the plan's rate windows allow (ms). */
export function requestSpacingMs(plan: PlanLimits, endpoint: EndpointName): number {
  return Math.max(0, ...plan.endpoints[endpoint].rates.map((r) => r.windowMs / r.limit));
}

/**
 * The calls of `queue` that `budget` requests reach, walking it as the workers do (a call that
 * costs more than what is left is passed over, a cheaper one after it may still fit), and the
 * requests they take.
 */
export function withinBudget<T extends QueuedSpan>(
  queue: readonly T[],
  plan: PlanLimits,
  budget: number,
): { fits: Set<T>; requests: number } {
  const fits = new Set<T>();
  let left = budget;
  let requests = 0;
  for (const item of queue) {
    const n = requestsForSpan(item.span, plan);
    if (n > left) continue;
    left -= n;
    requests += n;
    fits.add(item);
  }
  return { fits, requests };
}

/**
 * Reorders `queue` (in priority order) for a phase starting at `nowMs` with `budget` requests:
 * walking it as the workers will, at the plan's pace, a call whose span would start before the
 * lookback edge by the end of the phase is urgent; urgent calls go first, earliest deadline
 * first (the edge reaches them first), the rest keep their order.
 */
export function orderForLookback<T extends QueuedSpan>(
  queue: readonly T[],
  plan: PlanLimits,
  nowMs: number,
  budget: number,
): T[] {
  const lookback = plan.endpoints.callDetails.lookbackSec;
  if (lookback === null) return [...queue];
  const spacing = requestSpacingMs(plan, 'callDetails');
  const { fits, requests } = withinBudget(queue, plan, budget);
  const phaseEndMs = nowMs + requests * spacing;
  /** When the edge passes the span's start (ms): requests for it are refused from then on. */
  const deadline = (item: T): number => (item.span.fromTs + lookback - LOOKBACK_MARGIN_SEC) * 1000;
  const urgent = queue.filter((item) => fits.has(item) && deadline(item) <= phaseEndMs);
  if (urgent.length === 0) return [...queue];
  urgent.sort((a, b) => deadline(a) - deadline(b));
  const first = new Set<T>(urgent);
  return [...urgent, ...queue.filter((item) => !first.has(item))];
}

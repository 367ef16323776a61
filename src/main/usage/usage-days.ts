// Which UTC days the usage endpoint can report now, from the plan's limits: days that start inside
// its lookback and whose data delay has passed since they ended. Nothing else decides this.

import type { PlanLimits } from '../../shared/api-limits.ts';
import { LOOKBACK_MARGIN_SEC } from '../sync/index.ts';

export const DAY_SEC = 86400;

/**
 * Day starts (00:00 UTC, ascending) the API reports at `nowSec`. A day that began before the
 * lookback is left out: the API would count only the part it still keeps, and a stored day is
 * never asked for again.
 */
export function reportableUsageDays(plan: PlanLimits, nowSec: number): number[] {
  const limits = plan.endpoints.usageByTime;
  // Without a lookback the archive decides how far back is interesting: the Insights screen
  // reads a year at most.
  const lookbackSec = limits.lookbackSec ?? 366 * DAY_SEC;
  const earliest = nowSec - lookbackSec + LOOKBACK_MARGIN_SEC;
  const days: number[] = [];
  for (let day = Math.ceil(earliest / DAY_SEC) * DAY_SEC; ; day += DAY_SEC) {
    if (day + DAY_SEC + limits.dataDelaySec > nowSec) break;
    days.push(day);
  }
  return days;
}

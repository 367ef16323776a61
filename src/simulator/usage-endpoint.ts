// GET /beta/insight/usage/by_time: userCount / sessionCount / channelCount per UTC day. A day is
// reported once it has ended and its data delay (24 h) has passed; younger days are absent.

import type { UsageMetric } from '../shared/api-wire.ts';
import { jsonResponse } from './api-response.ts';
import {
  nowSec,
  requireAppid,
  requireRange,
  requireWithinLookback,
  type EndpointHandler,
} from './endpoint-context.ts';
import { BadRequestError, readQuery } from './query-params.ts';
import { DAY_SEC, dayStartOf } from './usage-counts.ts';

const METRICS: readonly UsageMetric[] = ['userCount', 'sessionCount', 'channelCount'];

export const handleUsageByTime: EndpointHandler = (request, ctx) => {
  const q = readQuery(request.query);
  requireAppid(q, ctx);
  const { startTs, endTs } = requireRange(q);
  const wanted: UsageMetric[] = [];
  for (const name of q.string('metric').split(',')) {
    const metric = METRICS.find((m) => m === name.trim());
    if (metric === undefined) {
      throw new BadRequestError(
        'metric',
        `metric must be a comma-separated list of ${METRICS.join(', ')}; got "${name}"`,
      );
    }
    if (!wanted.includes(metric)) wanted.push(metric);
  }
  const limits = ctx.plan.endpoints.usageByTime;
  requireWithinLookback(startTs, limits, ctx);

  const now = nowSec(ctx);
  const data: Array<Record<string, number>> = [];
  // Every UTC day that overlaps [start_ts, end_ts], whole, with ts = that day's 00:00 UTC.
  for (let day = dayStartOf(startTs); day <= endTs; day += DAY_SEC) {
    if (day + DAY_SEC + limits.dataDelaySec > now) break;
    const usage = ctx.usage(day);
    const entry: Record<string, number> = {};
    for (const m of wanted) entry[m] = usage[m];
    entry['ts'] = day;
    data.push(entry);
  }
  return jsonResponse(200, { code: 200, message: 'success', data });
};

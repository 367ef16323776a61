// GET /beta/analytics/call/lists: calls that started in [start_ts, end_ts], newest first, at most
// maxCallsPerList of them, with a truthful has_more. A call is listed once its data delay has passed.

import { jsonResponse } from './api-response.ts';
import { listItemAt } from './call-view.ts';
import {
  nowSec,
  requireAppid,
  requireRange,
  requireWithinLookback,
  type EndpointHandler,
} from './endpoint-context.ts';
import { readQuery } from './query-params.ts';

export const handleCallLists: EndpointHandler = (request, ctx) => {
  const q = readQuery(request.query);
  requireAppid(q, ctx);
  const { startTs, endTs } = requireRange(q);
  const cname = q.optionalString('cname');
  const limits = ctx.plan.endpoints.callLists;
  requireWithinLookback(startTs, limits, ctx);

  const now = nowSec(ctx);
  // A call appears dataDelaySec after it started; later starts are not known yet.
  const end = Math.min(endTs, now - limits.dataDelaySec);
  const calls = end < startTs ? [] : ctx.world.callsStartedBetween(startTs, end, cname);
  return jsonResponse(200, {
    code: 200,
    message: '',
    has_more: calls.length > ctx.plan.maxCallsPerList,
    call_lists: calls.slice(0, ctx.plan.maxCallsPerList).map((c) => listItemAt(c, now)),
  });
};

// GET /beta/analytics/call/details: one call's users (call_info) and metric series for a window of
// at most maxDetailsSpanSec, at most maxUsersPerDetails users. Builds the body by hand because a
// 3-hour answer holds hundreds of thousands of points.

import type { WireCallInfo } from '../shared/api-wire.ts';
import type { ApiResponse } from './api-response.ts';
import { callInfoAt, knownLeaveTs } from './call-view.ts';
import {
  nowSec,
  requireAppid,
  requireRange,
  requireWithinLookback,
  type EndpointHandler,
} from './endpoint-context.ts';
import { generateMetrics, type SessionMetrics } from './metric-series.ts';
import { CALL_ID_PATTERN } from './call-schedule.ts';
import { BadRequestError, readQuery } from './query-params.ts';

/**
 * The window a request gets data for. The vendor says one answer holds at most 3 hours of data;
 * a longer request is not refused but clipped to its FIRST maxDetailsSpanSec seconds:
 * [start_ts, min(end_ts, start_ts + maxDetailsSpanSec)], then to the call's span and to now.
 * Samples on both edges are included, so consecutive chunks that share an edge share one sample.
 */
export function detailsWindow(
  startTs: number,
  endTs: number,
  maxSpanSec: number,
): { fromTs: number; toTs: number } {
  return { fromTs: startTs, toTs: Math.min(endTs, startTs + maxSpanSec) };
}

function body(callId: string, info: WireCallInfo[], metrics: SessionMetrics[]): string {
  // String concatenation (V8 ropes) is several times faster than joining arrays of pairs here.
  let out =
    `{"code":200,"message":"","call_id":${JSON.stringify(callId)},` +
    `"call_info":${JSON.stringify(info)},"metrics":[`;
  metrics.forEach((m, i) => {
    out += `${i > 0 ? ',' : ''}{"sid":${JSON.stringify(m.sid)},"data":[`;
    m.data.forEach((d, j) => {
      out += `${j > 0 ? ',' : ''}{"mid":${d.mid},"peer_uid":${d.peer_uid},"kvs":[`;
      const kvs = d.kvs;
      for (let k = 0; k < kvs.length; k += 2) out += `${k > 0 ? ',' : ''}[${kvs[k]},${kvs[k + 1]}]`;
      out += ']}';
    });
    out += ']}';
  });
  return `${out}]}`;
}

export const handleCallDetails: EndpointHandler = (request, ctx): ApiResponse => {
  const q = readQuery(request.query);
  requireAppid(q, ctx);
  const { startTs, endTs } = requireRange(q);
  const callId = q.string('call_id');
  if (!CALL_ID_PATTERN.test(callId)) {
    throw new BadRequestError('call_id', 'call_id must be 24 lowercase hexadecimal digits');
  }
  const excludeServerUser = q.optionalBoolean('exclude_server_user', true);
  const limits = ctx.plan.endpoints.callDetails;
  requireWithinLookback(startTs, limits, ctx);

  const now = nowSec(ctx);
  const empty = { status: 200, headers: {}, body: body(callId, [], []) };
  // An unknown id, a call that has not started, or one whose data delay has not passed: a real
  // service has no data for it yet, so it answers 200 with nothing in it.
  const call = ctx.world.findCall(callId);
  if (call === undefined || now < call.createdTs + limits.dataDelaySec) return empty;

  const window = detailsWindow(startTs, endTs, ctx.plan.maxDetailsSpanSec);
  const fromTs = Math.max(window.fromTs, call.createdTs);
  const toTs = Math.min(window.toTs, call.destroyedTs, now);
  if (toTs < fromTs) return empty;

  const { plan, states } = ctx.world.plan(call);
  const listed = plan.sessions
    .filter((s) => s.joinTs <= toTs && knownLeaveTs(s, now) >= fromTs)
    .filter((s) => !(excludeServerUser && s.platform === 'Linux'))
    .sort((a, b) => b.joinTs - a.joinTs || (a.sid < b.sid ? -1 : 1))
    .slice(0, ctx.plan.maxUsersPerDetails);
  const info = listed.map((s) => callInfoAt(s, call.channel.cname, now));
  const metrics = generateMetrics(plan, states, listed, fromTs, toTs, ctx.plan.sampleIntervalSec);
  return { status: 200, headers: {}, body: body(callId, info, metrics) };
};

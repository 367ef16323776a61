// POST /beta/analytics/feedback/report: validates the JSON body exactly as the vendor page lists it
// and records every accepted report. Answers like the vendor's example, trailing comma included
// when vendor quirks are on.

import type { WireFeedbackBody } from '../shared/api-wire.ts';
import type { ApiResponse } from './api-response.ts';
import { requireAppid, type EndpointHandler } from './endpoint-context.ts';
import { BadRequestError, readQuery } from './query-params.ts';

export const MAX_COMMENTS_LENGTH = 4096;

/** The vendor's own example answer, not valid JSON (note the comma after "message"). */
export const VENDOR_QUIRK_FEEDBACK_BODY = '{\n"code": 200,\n"message": "",\n}';

function isInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}

/** Validates a parsed body; throws BadRequestError naming the field. Unknown fields are ignored. */
export function validateFeedback(value: unknown): WireFeedbackBody {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadRequestError('body', 'body must be a JSON object');
  }
  const v = value as Record<string, unknown>;
  if (v['cname'] === undefined) throw new BadRequestError('cname', 'cname is required');
  if (typeof v['cname'] !== 'string' || v['cname'] === '') {
    throw new BadRequestError('cname', 'cname must be a non-empty string');
  }
  if (v['teacher_uid'] === undefined) {
    throw new BadRequestError('teacher_uid', 'teacher_uid is required');
  }
  if (!isInteger(v['teacher_uid'])) {
    throw new BadRequestError(
      'teacher_uid',
      'teacher_uid must be a number (an unsigned 32-bit uid)',
    );
  }
  if (v['action_uid'] !== undefined && !isInteger(v['action_uid'])) {
    throw new BadRequestError('action_uid', 'action_uid must be a number (an unsigned 32-bit uid)');
  }
  if (v['ts'] !== undefined && !isInteger(v['ts'])) {
    throw new BadRequestError('ts', 'ts must be a Unix timestamp in seconds');
  }
  if (v['comments'] !== undefined) {
    if (typeof v['comments'] !== 'string') {
      throw new BadRequestError('comments', 'comments must be a string');
    }
    if (v['comments'].length > MAX_COMMENTS_LENGTH) {
      throw new BadRequestError(
        'comments',
        `comments must be at most ${MAX_COMMENTS_LENGTH} characters`,
      );
    }
  }
  if (v['type'] === undefined) throw new BadRequestError('type', 'type is required');
  const type = v['type'];
  if (type !== 1 && type !== 2 && type !== 3 && type !== 4) {
    throw new BadRequestError('type', 'type must be 1, 2, 3 or 4');
  }
  return {
    cname: v['cname'],
    teacher_uid: v['teacher_uid'],
    ...(v['action_uid'] !== undefined ? { action_uid: v['action_uid'] as number } : {}),
    ...(v['ts'] !== undefined ? { ts: v['ts'] as number } : {}),
    ...(v['comments'] !== undefined ? { comments: v['comments'] as string } : {}),
    type,
  };
}

export const handleFeedbackReport: EndpointHandler = (request, ctx): ApiResponse => {
  const appid = requireAppid(readQuery(request.query), ctx);
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body);
  } catch {
    throw new BadRequestError('body', 'body must be valid JSON');
  }
  const report = validateFeedback(parsed);
  ctx.recordFeedback({ receivedAtMs: ctx.nowMs, customerId: ctx.customerId, appid, report });
  return {
    status: 200,
    headers: {},
    body: ctx.vendorQuirks
      ? VENDOR_QUIRK_FEEDBACK_BODY
      : JSON.stringify({ code: 200, message: '' }),
  };
};

// Schemas of the API's answers (zod): required fields must be present and well-typed, unknown
// extra fields are tolerated (and dropped). Mapping failures to errors is the client's job.

import { z } from 'zod';
import type {
  WireCallDetails,
  WireCallLists,
  WireFeedbackReport,
  WireUsageByTime,
} from '../../shared/api-wire.ts';

const envelope = { code: z.number(), message: z.string() };

export const CallListsSchema = z.object({
  ...envelope,
  has_more: z.boolean(),
  call_lists: z.array(
    z.object({
      call_id: z.string(),
      cname: z.string(),
      created_ts: z.number(),
      destroyed_ts: z.number(),
      finished: z.boolean(),
    }),
  ),
}) satisfies z.ZodType<WireCallLists>;

export const CallDetailsSchema = z.object({
  ...envelope,
  call_id: z.string(),
  call_info: z.array(
    z.object({
      sid: z.string(),
      cname: z.string(),
      uid: z.number(),
      network: z.string(),
      platform: z.string(),
      speaker: z.boolean(),
      sdk_version: z.string(),
      device_type: z.string(),
      join_ts: z.number(),
      leave_ts: z.number(),
      finished: z.boolean(),
    }),
  ),
  metrics: z.array(
    z.object({
      sid: z.string(),
      data: z.array(
        z.object({
          mid: z.number(),
          peer_uid: z.number(),
          kvs: z.array(z.tuple([z.number(), z.number()])),
        }),
      ),
    }),
  ),
}) satisfies z.ZodType<WireCallDetails>;

export const UsageByTimeSchema = z.object({
  ...envelope,
  data: z.array(
    z.object({
      ts: z.number(),
      userCount: z.number().optional(),
      sessionCount: z.number().optional(),
      channelCount: z.number().optional(),
    }),
  ),
}) satisfies z.ZodType<WireUsageByTime>;

export const FeedbackReportSchema = z.object(envelope) satisfies z.ZodType<WireFeedbackReport>;

/** What the client sends as a feedback report (checked before sending, so no quota is spent). */
export const FeedbackBodySchema = z
  .object({
    cname: z.string().min(1),
    teacher_uid: z.number().int().nonnegative(),
    action_uid: z.number().int().nonnegative().optional(),
    ts: z.number().int().nonnegative().optional(),
    comments: z.string().optional(),
    type: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  })
  .strict();

/** Just enough of any answer to read its status and message. */
export const EnvelopeSchema = z.object({
  code: z.number().optional(),
  message: z.string().optional(),
});

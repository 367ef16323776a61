// The feedback composer's form (validated field by field, shared by the contract and the renderer)
// and the outbox's domain types. Sending, retrying and storage live in src/main/feedback.

import { z } from 'zod';

export const FEEDBACK_TYPES = [1, 2, 3, 4] as const;
/** 1 class switch (切课) · 2 help request (求助) · 3 complaint (投诉) · 4 problem feedback (问题反馈). */
export type FeedbackType = (typeof FEEDBACK_TYPES)[number];

export const UINT32_MAX = 0xffffffff;
/** The simulator (and a sane server) refuses longer comments. */
export const MAX_FEEDBACK_COMMENTS = 4096;
export const MAX_CHANNEL_NAME = 1024;
/** Clocks disagree a little; a problem time this far ahead of ours is still accepted. */
export const FEEDBACK_CLOCK_SKEW_SEC = 300;

const uid = (field: string) =>
  z
    .number({ error: `${field} must be a number` })
    .int({ error: `${field} must be a whole number` })
    .min(0, { error: `${field} must be 0 or more` })
    .max(UINT32_MAX, { error: `${field} must be at most ${UINT32_MAX}` });

/**
 * The composer's fields. `now` (Unix ms) decides what "in the future" means, so tests and the
 * renderer can pass their own clock.
 */
export function feedbackFormSchema(now: () => number = Date.now) {
  return z
    .object({
      channel: z
        .string({ error: 'channel is required' })
        .max(MAX_CHANNEL_NAME, { error: `channel must be at most ${MAX_CHANNEL_NAME} characters` })
        // Kept as typed: a channel name's spaces are part of it.
        .refine((name) => name.trim() !== '', { error: 'channel is required' }),
      teacherUid: uid('teacher uid'),
      actingUid: uid('acting uid').optional(),
      problemTs: z
        .number({ error: 'time of the problem must be a Unix time in seconds' })
        .int({ error: 'time of the problem must be whole seconds' })
        .min(0, { error: 'time of the problem must be a Unix time in seconds' })
        .refine((ts) => ts <= now() / 1000 + FEEDBACK_CLOCK_SKEW_SEC, {
          error: 'time of the problem cannot be in the future',
        })
        .optional(),
      comments: z
        .string({ error: 'comments must be text' })
        .max(MAX_FEEDBACK_COMMENTS, {
          error: `comments must be at most ${MAX_FEEDBACK_COMMENTS} characters`,
        })
        .optional(),
      type: z.literal(FEEDBACK_TYPES, { error: 'type must be 1, 2, 3 or 4' }),
      /** The archived call the report is about (app-side link only; not sent to the API). */
      callId: z.string().min(1).max(256).optional(),
    })
    .strict();
}

export const FeedbackFormSchema = feedbackFormSchema();
export type FeedbackForm = z.infer<typeof FeedbackFormSchema>;

/**
 * queued: waits to be sent (also after a failure that surely did not reach the server) ·
 * sending: a request is in flight · sent: the API confirmed it · unconfirmed: it may or may not
 * have arrived (timeout, dropped connection, crash mid-send); never retried automatically ·
 * failed: the API refused it (bad input, credentials); the agent may fix and resend.
 */
export const FEEDBACK_STATUSES = ['queued', 'sending', 'sent', 'unconfirmed', 'failed'] as const;
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];

export interface FeedbackReport {
  id: number;
  /** The profile it is filed under (its credentials send it) and that profile's App ID. */
  profileId: string;
  appid: string;
  channel: string;
  teacherUid: number;
  actingUid: number | null;
  problemTs: number | null;
  comments: string | null;
  type: FeedbackType;
  callId: string | null;
  status: FeedbackStatus;
  /** Requests made for this report so far. */
  attempts: number;
  /** Unix ms. */
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
  /** When an automatic retry is planned (queued reports only), Unix ms. */
  nextAttemptAt: number | null;
  lastError: { code: string; message: string } | null;
}

export type FeedbackCounts = Record<FeedbackStatus, number>;

export interface FeedbackChanged {
  /** Reports whose state changed. */
  ids: number[];
  counts: FeedbackCounts;
  /** Reports still waiting for the network or for the agent (queued + sending + unconfirmed + failed). */
  waiting: number;
}

export const FeedbackListSchema = z
  .object({
    statuses: z.array(z.enum(FEEDBACK_STATUSES)).optional(),
    limit: z.number().int().min(1).max(1000).default(200),
    /** Paging: only reports with a smaller id. */
    beforeId: z.number().int().positive().optional(),
  })
  .strict();

export interface FeedbackList {
  reports: FeedbackReport[];
  counts: FeedbackCounts;
}

export const FeedbackIdSchema = z.object({ id: z.number().int().positive() }).strict();

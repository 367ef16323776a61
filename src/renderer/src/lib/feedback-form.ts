// The feedback composer's fields as typed (strings) → the contract's form, checked field by field
// with the shared schema; messages come from the i18n catalogue by field. No Svelte here, so the
// mapping is unit-tested; the composer's reactive draft lives in feedback-composer.svelte.ts.

import {
  FEEDBACK_TYPES,
  MAX_FEEDBACK_COMMENTS,
  feedbackFormSchema,
  type FeedbackForm,
  type FeedbackType,
} from '../../../shared/feedback.ts';
import type { MessageKey } from '../i18n/en.ts';

export const FEEDBACK_FIELDS = [
  'channel',
  'teacherUid',
  'actingUid',
  'problemTs',
  'comments',
  'type',
] as const;
export type FeedbackField = (typeof FEEDBACK_FIELDS)[number];

/** What the agent typed, as the inputs hold it. */
export interface FeedbackDraftFields {
  channel: string;
  teacherUid: string;
  actingUid: string;
  /** An <input type="datetime-local" step="1"> value (local time), or ''. */
  problemTime: string;
  comments: string;
  type: FeedbackType | null;
  /** The archived call the draft came from (kept while the channel is that call's). */
  callId: string | null;
}

export const EMPTY_DRAFT: FeedbackDraftFields = {
  channel: '',
  teacherUid: '',
  actingUid: '',
  problemTime: '',
  comments: '',
  type: null,
  callId: null,
};

export const FIELD_MESSAGES: Record<FeedbackField, MessageKey> = {
  channel: 'feedback.invalid.channel',
  teacherUid: 'feedback.invalid.teacherUid',
  actingUid: 'feedback.invalid.actingUid',
  problemTs: 'feedback.invalid.problemTs',
  comments: 'feedback.invalid.comments',
  type: 'feedback.invalid.type',
};

export { MAX_FEEDBACK_COMMENTS };

/** A uid as typed: '' → undefined; digits → the number; anything else → NaN (the schema refuses). */
function uidOf(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** Value for <input type="datetime-local" step="1">: local time to the second. */
export function toLocalInputSec(sec: number): string {
  const d = new Date(sec * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/** Unix seconds from a datetime-local value ('' → undefined, unreadable → NaN). */
function timeOf(value: string): number | undefined {
  if (value.trim() === '') return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : Number.NaN;
}

/** The contract's input built from the draft; optional fields left empty are left out. */
export function formInput(draft: FeedbackDraftFields): Record<string, unknown> {
  const input: Record<string, unknown> = {
    channel: draft.channel,
    teacherUid: uidOf(draft.teacherUid),
    type: draft.type ?? undefined,
  };
  const acting = uidOf(draft.actingUid);
  if (acting !== undefined) input.actingUid = acting;
  const ts = timeOf(draft.problemTime);
  if (ts !== undefined) input.problemTs = ts;
  if (draft.comments.trim() !== '') input.comments = draft.comments;
  if (draft.callId !== null) input.callId = draft.callId;
  return input;
}

export type FieldErrors = Partial<Record<FeedbackField, MessageKey>>;

export type CheckedForm = { ok: true; form: FeedbackForm } | { ok: false; errors: FieldErrors };

/** Checks the draft with the shared schema; one message per field, from the catalogue. */
export function checkDraft(draft: FeedbackDraftFields, now: () => number = Date.now): CheckedForm {
  const parsed = feedbackFormSchema(now).safeParse(formInput(draft));
  if (parsed.success) return { ok: true, form: parsed.data };
  return { ok: false, errors: fieldErrorsOf(parsed.error.issues.map((i) => String(i.path[0]))) };
}

/** Field names (the schema's, or a BAD_INPUT's `details.fields` from main) → messages. */
export function fieldErrorsOf(fields: readonly string[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const name of fields) {
    const field = FEEDBACK_FIELDS.find((f) => f === name.split('.')[0]);
    if (field !== undefined) errors[field] ??= FIELD_MESSAGES[field];
  }
  return errors;
}

export function isFeedbackType(value: number): value is FeedbackType {
  return (FEEDBACK_TYPES as readonly number[]).includes(value);
}

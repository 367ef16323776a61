// Persists the feedback outbox (table feedback_outbox) as prepared statements: reports and their
// delivery state. When to send, retry or give up is the feedback outbox service's business.

import type {
  FeedbackCounts,
  FeedbackReport,
  FeedbackStatus,
  FeedbackType,
} from '../../shared/feedback.ts';
import type { Db } from './database.ts';

/** A report as filed: what the agent wrote, under which profile, at `nowMs`. */
export interface NewFeedbackRow extends Pick<
  FeedbackReport,
  | 'profileId'
  | 'appid'
  | 'channel'
  | 'teacherUid'
  | 'actingUid'
  | 'problemTs'
  | 'comments'
  | 'type'
  | 'callId'
> {
  nowMs: number;
}

export interface FeedbackListQuery {
  statuses?: readonly FeedbackStatus[];
  limit: number;
  beforeId?: number;
}

export interface FeedbackOutboxStore {
  insert(row: NewFeedbackRow): FeedbackReport;
  get(id: number): FeedbackReport | undefined;
  list(query: FeedbackListQuery): FeedbackReport[];
  counts(): FeedbackCounts;
  /** The oldest queued report due at `nowMs`. */
  nextDue(nowMs: number): FeedbackReport | undefined;
  /** The earliest planned attempt among queued reports (Unix ms). */
  earliestQueuedAttempt(): number | undefined;
  /** queued -> sending and one more attempt; false when it is no longer queued. */
  markSending(id: number, nowMs: number): boolean;
  markSent(id: number, nowMs: number): void;
  /** sending (or queued) -> queued, to be tried at `nextAttemptAt`. */
  requeue(id: number, nextAttemptAt: number, error: ErrorNote, nowMs: number): void;
  /** sending -> unconfirmed or failed. */
  settle(id: number, status: 'unconfirmed' | 'failed', error: ErrorNote, nowMs: number): void;
  /** unconfirmed/failed/queued -> queued, due now. */
  resend(id: number, nowMs: number): boolean;
  /** Removes a report unless it is sending or sent. */
  discard(id: number): boolean;
  /** No queued report is tried before `at` (the network is down: keep the queue's order). */
  postponeQueued(at: number, nowMs: number): void;
  /** Queued reports become due now (the network is back). */
  makeQueuedDue(nowMs: number): number;
  /** After a crash: every report left 'sending' may have arrived, so it becomes 'unconfirmed'. */
  recoverInterrupted(error: ErrorNote, nowMs: number): number[];
}

export type ErrorNote = NonNullable<FeedbackReport['lastError']>;

interface Row {
  id: number;
  profile_id: string;
  appid: string;
  cname: string;
  teacher_uid: number;
  action_uid: number | null;
  ts: number | null;
  comments: string | null;
  type: number;
  call_id: string | null;
  status: string;
  attempts: number;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
  next_attempt_at: number | null;
  last_error_code: string | null;
  last_error_message: string | null;
}

function toReport(row: Row): FeedbackReport {
  return {
    id: row.id,
    profileId: row.profile_id,
    appid: row.appid,
    channel: row.cname,
    teacherUid: row.teacher_uid,
    actingUid: row.action_uid,
    problemTs: row.ts,
    comments: row.comments,
    type: row.type as FeedbackType,
    callId: row.call_id,
    status: row.status as FeedbackStatus,
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
    nextAttemptAt: row.status === 'queued' ? row.next_attempt_at : null,
    lastError:
      row.last_error_code === null
        ? null
        : { code: row.last_error_code, message: row.last_error_message ?? '' },
  };
}

export function createFeedbackOutboxStore(db: Db): FeedbackOutboxStore {
  const insert = db.prepare<
    [
      string,
      string,
      string,
      number,
      number | null,
      number | null,
      string | null,
      number,
      string | null,
      number,
      number,
      number,
    ],
    Row
  >(
    `INSERT INTO feedback_outbox
       (profile_id, appid, cname, teacher_uid, action_uid, ts, comments, type, call_id, status,
        created_at, updated_at, next_attempt_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)
     RETURNING *`,
  );
  const get = db.prepare<[number], Row>('SELECT * FROM feedback_outbox WHERE id = ?');
  const listAll = db.prepare<[number, number], Row>(
    'SELECT * FROM feedback_outbox WHERE id < ? ORDER BY id DESC LIMIT ?',
  );
  const listByStatus = db.prepare<[number, string, number], Row>(
    `SELECT * FROM feedback_outbox
     WHERE id < ? AND status IN (SELECT value FROM json_each(?))
     ORDER BY id DESC LIMIT ?`,
  );
  const counts = db.prepare<[], { status: string; n: number }>(
    'SELECT status, COUNT(*) AS n FROM feedback_outbox GROUP BY status',
  );
  const nextDue = db.prepare<[number], Row>(
    `SELECT * FROM feedback_outbox
     WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY id LIMIT 1`,
  );
  const earliest = db.prepare<[], { at: number | null }>(
    `SELECT MIN(next_attempt_at) AS at FROM feedback_outbox WHERE status = 'queued'`,
  );
  const markSending = db.prepare<[number, number]>(
    `UPDATE feedback_outbox SET status = 'sending', attempts = attempts + 1, updated_at = ?
     WHERE id = ? AND status = 'queued'`,
  );
  const markSent = db.prepare<[number, number, number]>(
    `UPDATE feedback_outbox
     SET status = 'sent', sent_at = ?, updated_at = ?, next_attempt_at = NULL,
         last_error_code = NULL, last_error_message = NULL
     WHERE id = ?`,
  );
  const requeue = db.prepare<[number, string, string, number, number]>(
    `UPDATE feedback_outbox
     SET status = 'queued', next_attempt_at = ?, last_error_code = ?, last_error_message = ?,
         updated_at = ?
     WHERE id = ? AND status IN ('sending', 'queued')`,
  );
  const settle = db.prepare<[string, string, string, number, number]>(
    `UPDATE feedback_outbox
     SET status = ?, next_attempt_at = NULL, last_error_code = ?, last_error_message = ?,
         updated_at = ?
     WHERE id = ? AND status = 'sending'`,
  );
  const resend = db.prepare<[number, number, number]>(
    `UPDATE feedback_outbox SET status = 'queued', next_attempt_at = ?, updated_at = ?
     WHERE id = ? AND status IN ('queued', 'unconfirmed', 'failed')`,
  );
  const discard = db.prepare<[number]>(
    `DELETE FROM feedback_outbox WHERE id = ? AND status IN ('queued', 'unconfirmed', 'failed')`,
  );
  const makeQueuedDue = db.prepare<[number, number, number]>(
    `UPDATE feedback_outbox SET next_attempt_at = ?, updated_at = ?
     WHERE status = 'queued' AND next_attempt_at > ?`,
  );
  const postponeQueued = db.prepare<[number, number, number]>(
    `UPDATE feedback_outbox SET next_attempt_at = ?, updated_at = ?
     WHERE status = 'queued' AND next_attempt_at < ?`,
  );
  const recover = db.prepare<[string, string, number], { id: number }>(
    `UPDATE feedback_outbox
     SET status = 'unconfirmed', next_attempt_at = NULL, last_error_code = ?,
         last_error_message = ?, updated_at = ?
     WHERE status = 'sending' RETURNING id`,
  );

  return {
    insert(row) {
      const inserted = insert.get(
        row.profileId,
        row.appid,
        row.channel,
        row.teacherUid,
        row.actingUid,
        row.problemTs,
        row.comments,
        row.type,
        row.callId,
        row.nowMs,
        row.nowMs,
        row.nowMs,
      );
      if (!inserted) throw new Error('feedback_outbox insert returned no row');
      return toReport(inserted);
    },
    get(id) {
      const row = get.get(id);
      return row ? toReport(row) : undefined;
    },
    list({ statuses, limit, beforeId }) {
      const before = beforeId ?? Number.MAX_SAFE_INTEGER;
      const rows =
        statuses === undefined
          ? listAll.all(before, limit)
          : listByStatus.all(before, JSON.stringify(statuses), limit);
      return rows.map(toReport);
    },
    counts() {
      const out: FeedbackCounts = { queued: 0, sending: 0, sent: 0, unconfirmed: 0, failed: 0 };
      for (const { status, n } of counts.all()) out[status as FeedbackStatus] = n;
      return out;
    },
    nextDue(nowMs) {
      const row = nextDue.get(nowMs);
      return row ? toReport(row) : undefined;
    },
    earliestQueuedAttempt() {
      return earliest.get()?.at ?? undefined;
    },
    markSending(id, nowMs) {
      return markSending.run(nowMs, id).changes === 1;
    },
    markSent(id, nowMs) {
      markSent.run(nowMs, nowMs, id);
    },
    requeue(id, nextAttemptAt, error, nowMs) {
      requeue.run(nextAttemptAt, error.code, error.message, nowMs, id);
    },
    settle(id, status, error, nowMs) {
      settle.run(status, error.code, error.message, nowMs, id);
    },
    resend(id, nowMs) {
      return resend.run(nowMs, nowMs, id).changes === 1;
    },
    discard(id) {
      return discard.run(id).changes === 1;
    },
    postponeQueued(at, nowMs) {
      postponeQueued.run(at, nowMs, at);
    },
    makeQueuedDue(nowMs) {
      return makeQueuedDue.run(nowMs, nowMs, nowMs).changes;
    },
    recoverInterrupted(error, nowMs) {
      return recover.all(error.code, error.message, nowMs).map((r) => r.id);
    },
  };
}

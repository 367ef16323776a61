// Persists one row per API request sent (customer, endpoint, time) so the limiter's rolling daily
// counts survive restarts and are shared by every process using the same data file (the app and a
// CLI sync); deciding what may be sent is the limiter's job.

import type { Db } from './database.ts';

export interface QuotaLogEntry {
  endpoint: string;
  sentAt: number;
}

export interface QuotaLogStore {
  /** Entries of one customer sent after `sinceMs`, oldest first. */
  since(customerId: string, sinceMs: number): QuotaLogEntry[];
  /** How many requests of one customer and endpoint were sent after `sinceMs`. */
  count(customerId: string, endpoint: string, sinceMs: number): number;
  /** When the `index`-th (0-based, oldest first) of those requests was sent, if there is one. */
  sentAtOf(
    customerId: string,
    endpoint: string,
    sinceMs: number,
    index: number,
  ): number | undefined;
  /**
   * Records a request only if fewer than `allowance` of that customer and endpoint were sent after
   * `sinceMs`: count and insert in one write transaction, so two processes on the same file cannot
   * both take the last slot. Returns the row's id (to remove it again if the request never left
   * this machine), or null when the allowance is used up.
   */
  claim(
    customerId: string,
    endpoint: string,
    sentAt: number,
    sinceMs: number,
    allowance: number,
  ): number | null;
  remove(id: number): void;
  /** Deletes entries (of every customer) sent at or before `beforeMs`. */
  prune(beforeMs: number): number;
}

export function createQuotaLogStore(db: Db): QuotaLogStore {
  const since = db.prepare<[string, number], { endpoint: string; sentAt: number }>(
    'SELECT endpoint, sent_at AS sentAt FROM quota_log WHERE customer_id = ? AND sent_at > ? ORDER BY sent_at, id',
  );
  // Both are answered from the (customer_id, endpoint, sent_at) index alone.
  const count = db
    .prepare<[string, number, string], number>(
      'SELECT COUNT(*) FROM quota_log WHERE customer_id = ? AND sent_at > ? AND endpoint = ?',
    )
    .pluck();
  const sentAtOf = db
    .prepare<[string, number, string, number], number>(
      'SELECT sent_at FROM quota_log WHERE customer_id = ? AND sent_at > ? AND endpoint = ? ORDER BY sent_at, id LIMIT 1 OFFSET ?',
    )
    .pluck();
  const insert = db.prepare<[string, string, number]>(
    'INSERT INTO quota_log (customer_id, endpoint, sent_at) VALUES (?, ?, ?)',
  );
  const remove = db.prepare<[number]>('DELETE FROM quota_log WHERE id = ?');
  const prune = db.prepare<[number]>('DELETE FROM quota_log WHERE sent_at <= ?');
  const record = (customerId: string, endpoint: string, sentAt: number) =>
    Number(insert.run(customerId, endpoint, sentAt).lastInsertRowid);
  const claim = db.transaction(
    (customerId: string, endpoint: string, sentAt: number, sinceMs: number, allowance: number) =>
      (count.get(customerId, sinceMs, endpoint) ?? 0) < allowance
        ? record(customerId, endpoint, sentAt)
        : null,
  );
  return {
    since: (customerId, sinceMs) => since.all(customerId, sinceMs),
    count: (customerId, endpoint, sinceMs) => count.get(customerId, sinceMs, endpoint) ?? 0,
    sentAtOf: (customerId, endpoint, sinceMs, index) =>
      sentAtOf.get(customerId, sinceMs, endpoint, index),
    // IMMEDIATE takes the write lock before counting: another process waits (busy_timeout).
    claim: (customerId, endpoint, sentAt, sinceMs, allowance) =>
      Number.isFinite(allowance)
        ? claim.immediate(customerId, endpoint, sentAt, sinceMs, allowance)
        : record(customerId, endpoint, sentAt),
    remove(id) {
      remove.run(id);
    },
    prune: (beforeMs) => prune.run(beforeMs).changes,
  };
}

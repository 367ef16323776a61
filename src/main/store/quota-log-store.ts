// Persists one row per API request sent (customer, endpoint, time) so the limiter's rolling daily
// counts survive restarts; deciding what may be sent is the limiter's job.

import type { Db } from './database.ts';

export interface QuotaLogEntry {
  endpoint: string;
  sentAt: number;
}

export interface QuotaLogStore {
  /** Entries of one customer sent after `sinceMs`, oldest first. */
  since(customerId: string, sinceMs: number): QuotaLogEntry[];
  /** Returns the row's id, to remove it again if the request never left this machine. */
  record(customerId: string, endpoint: string, sentAt: number): number;
  remove(id: number): void;
  /** Deletes entries (of every customer) sent at or before `beforeMs`. */
  prune(beforeMs: number): number;
}

export function createQuotaLogStore(db: Db): QuotaLogStore {
  const since = db.prepare<[string, number], { endpoint: string; sentAt: number }>(
    'SELECT endpoint, sent_at AS sentAt FROM quota_log WHERE customer_id = ? AND sent_at > ? ORDER BY sent_at, id',
  );
  const insert = db.prepare<[string, string, number]>(
    'INSERT INTO quota_log (customer_id, endpoint, sent_at) VALUES (?, ?, ?)',
  );
  const remove = db.prepare<[number]>('DELETE FROM quota_log WHERE id = ?');
  const prune = db.prepare<[number]>('DELETE FROM quota_log WHERE sent_at <= ?');
  return {
    since: (customerId, sinceMs) => since.all(customerId, sinceMs),
    record: (customerId, endpoint, sentAt) =>
      Number(insert.run(customerId, endpoint, sentAt).lastInsertRowid),
    remove(id) {
      remove.run(id);
    },
    prune: (beforeMs) => prune.run(beforeMs).changes,
  };
}

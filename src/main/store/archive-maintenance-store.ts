// Counts what the archive holds and prunes calls older than a date with everything that belongs
// to them (users, metric series, quality issues, FTS rows, finished sync jobs wholly before the
// date) in one transaction; then gives the space back to the file system. Reading calls is
// call-archive-store.ts's business.

import { statSync } from 'node:fs';
import type { ArchivePruneResult, ArchiveStats } from '../../shared/archive-types.ts';
import type { Db } from './database.ts';

/** What the archive holds: the stats the renderer sees, less the file facts. */
export type ArchiveCounts = Omit<ArchiveStats, 'file' | 'bytes' | 'appid'>;

/** What a prune removes (or would remove). */
export type PruneCounts = Pick<
  ArchivePruneResult,
  'calls' | 'users' | 'series' | 'issues' | 'syncJobs'
>;

export interface PruneScope {
  /** Calls that started before this (Unix seconds) go. */
  olderThanTs: number;
  /** Only this appid's calls; every appid when undefined. */
  appid?: string | undefined;
}

export interface ArchiveMaintenanceStore {
  counts(appid?: string): ArchiveCounts;
  /** What prune() would remove, removing nothing. */
  pruneCounts(scope: PruneScope): PruneCounts;
  /** Deletes in one transaction (all or nothing) and says what went. */
  prune(scope: PruneScope): PruneCounts;
  /** Bytes of the database file plus its write-ahead log. */
  fileBytes(): number;
  /** Gives freed pages back to the file system: checkpoint, VACUUM, checkpoint. */
  reclaim(): void;
}

// The calls a scope selects: (olderThanTs, appid, appid).
const SELECTED = 'SELECT id FROM calls WHERE created_ts < ? AND (? IS NULL OR appid = ?)';
// Sync jobs still open (running or waiting) are never removed: they resume.
const OLD_JOBS = `state NOT IN ('running', 'waiting') AND to_ts < ? AND (? IS NULL OR appid = ?)`;

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export function createArchiveMaintenanceStore(db: Db): ArchiveMaintenanceStore {
  type Scoped = [string | null, string | null];
  type Dated = [number, string | null, string | null];
  const countCalls = db.prepare<
    Scoped,
    { n: number; oldest: number | null; newest: number | null }
  >(
    `SELECT COUNT(*) AS n, MIN(created_ts) AS oldest, MAX(created_ts) AS newest
     FROM calls WHERE (? IS NULL OR appid = ?)`,
  );
  const countOf = (table: string) =>
    db.prepare<Scoped, { n: number }>(
      `SELECT COUNT(*) AS n FROM ${table} t JOIN calls c ON c.id = t.call_rowid
       WHERE (? IS NULL OR c.appid = ?)`,
    );
  const countUsers = countOf('call_users');
  const countSeries = countOf('metric_series');
  const countIssues = countOf('quality_issues');

  const countOldCalls = db.prepare<Dated, { n: number }>(`SELECT COUNT(*) AS n FROM (${SELECTED})`);
  const countOldOf = (table: string) =>
    db.prepare<Dated, { n: number }>(
      `SELECT COUNT(*) AS n FROM ${table} WHERE call_rowid IN (${SELECTED})`,
    );
  const countOldUsers = countOldOf('call_users');
  const countOldSeries = countOldOf('metric_series');
  const countOldIssues = countOldOf('quality_issues');
  const countOldJobs = db.prepare<Dated, { n: number }>(
    `SELECT COUNT(*) AS n FROM sync_jobs WHERE ${OLD_JOBS}`,
  );

  const deleteSearch = db.prepare<Dated>(`DELETE FROM call_search WHERE rowid IN (${SELECTED})`);
  const deleteOf = (table: string) =>
    db.prepare<Dated>(`DELETE FROM ${table} WHERE call_rowid IN (${SELECTED})`);
  const deleteSeries = deleteOf('metric_series');
  const deleteIssues = deleteOf('quality_issues');
  const deleteUsers = deleteOf('call_users');
  const deleteCalls = db.prepare<Dated>(
    'DELETE FROM calls WHERE created_ts < ? AND (? IS NULL OR appid = ?)',
  );
  const deleteJobs = db.prepare<Dated>(`DELETE FROM sync_jobs WHERE ${OLD_JOBS}`);

  const dated = ({ olderThanTs, appid }: PruneScope): Dated => [
    olderThanTs,
    appid ?? null,
    appid ?? null,
  ];

  // Children first (explicitly, not through ON DELETE CASCADE: the FTS table has no foreign key,
  // and the counts come from each statement's changes).
  const prune = db.transaction((scope: PruneScope): PruneCounts => {
    const p = dated(scope);
    deleteSearch.run(...p);
    const series = deleteSeries.run(...p).changes;
    const issues = deleteIssues.run(...p).changes;
    const users = deleteUsers.run(...p).changes;
    const calls = deleteCalls.run(...p).changes;
    const syncJobs = deleteJobs.run(...p).changes;
    return { calls, users, series, issues, syncJobs };
  });

  const pruneCounts = db.transaction((scope: PruneScope): PruneCounts => {
    const p = dated(scope);
    return {
      calls: countOldCalls.get(...p)?.n ?? 0,
      users: countOldUsers.get(...p)?.n ?? 0,
      series: countOldSeries.get(...p)?.n ?? 0,
      issues: countOldIssues.get(...p)?.n ?? 0,
      syncJobs: countOldJobs.get(...p)?.n ?? 0,
    };
  });

  const counts = db.transaction((appid: string | undefined): ArchiveCounts => {
    const a = appid ?? null;
    const calls = countCalls.get(a, a);
    return {
      calls: calls?.n ?? 0,
      users: countUsers.get(a, a)?.n ?? 0,
      series: countSeries.get(a, a)?.n ?? 0,
      issues: countIssues.get(a, a)?.n ?? 0,
      oldestTs: calls?.oldest ?? null,
      newestTs: calls?.newest ?? null,
    };
  });

  return {
    counts: (appid) => counts(appid),
    pruneCounts: (scope) => pruneCounts(scope),
    prune: (scope) => prune(scope),
    fileBytes: () => (db.memory ? 0 : sizeOf(db.name) + sizeOf(`${db.name}-wal`)),
    reclaim() {
      // VACUUM in WAL mode writes the new file through the log: empty the log before (so the
      // copy starts from the committed state) and after (so the log does not keep its size).
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.exec('VACUUM');
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
  };
}

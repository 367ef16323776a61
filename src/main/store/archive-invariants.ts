// Test helper: what must hold of an archive however a sync ended (done, cancelled, killed), one
// call's data being written in one transaction. Answers the problems found; used by tests only.

import type { Db } from './database.ts';
import { unpackTs, unpackValues } from './series-codec.ts';

interface SeriesRow {
  call_id: string;
  sid: string;
  mid: number;
  peer_uid: number;
  points: number;
  first_ts: number;
  last_ts: number;
  ts: Buffer;
  vals: Buffer;
}

export function archiveProblems(db: Db): string[] {
  const problems: string[] = [];
  const listedWithData = db
    .prepare(
      `SELECT call_id FROM calls c WHERE archive = 'listed' AND (details_at IS NOT NULL
         OR EXISTS (SELECT 1 FROM call_users u WHERE u.call_rowid = c.id)
         OR EXISTS (SELECT 1 FROM metric_series s WHERE s.call_rowid = c.id)
         OR EXISTS (SELECT 1 FROM quality_issues q WHERE q.call_rowid = c.id))`,
    )
    .pluck()
    .all() as string[];
  for (const id of listedWithData) problems.push(`${id}: listed only, yet has details`);
  const detailed = db
    .prepare(
      `SELECT call_id, details_at, details_from_ts, details_to_ts, user_count, issue_count,
         (SELECT COUNT(DISTINCT uid) FROM call_users u WHERE u.call_rowid = c.id) AS uids,
         (SELECT COUNT(*) FROM quality_issues q WHERE q.call_rowid = c.id) AS issues
       FROM calls c WHERE archive <> 'listed'`,
    )
    .all() as Array<{
    call_id: string;
    details_at: number | null;
    details_from_ts: number | null;
    details_to_ts: number | null;
    user_count: number;
    issue_count: number;
    uids: number;
    issues: number;
  }>;
  for (const c of detailed) {
    if (c.details_at === null || c.details_from_ts === null || c.details_to_ts === null) {
      problems.push(`${c.call_id}: has details but no details span`);
    } else if (c.details_from_ts > c.details_to_ts) {
      problems.push(`${c.call_id}: details span ends before it starts`);
    }
    if (c.user_count !== c.uids) {
      problems.push(`${c.call_id}: user_count ${c.user_count}, ${c.uids} uids stored`);
    }
    if (c.issue_count !== c.issues) {
      problems.push(`${c.call_id}: issue_count ${c.issue_count}, ${c.issues} issues stored`);
    }
  }
  const series = db
    .prepare(
      `SELECT c.call_id, s.sid, s.mid, s.peer_uid, s.points, s.first_ts, s.last_ts, s.ts, s.vals
       FROM metric_series s JOIN calls c ON c.id = s.call_rowid`,
    )
    .all() as SeriesRow[];
  for (const s of series) {
    const name = `${s.call_id} ${s.sid} ${s.mid}/${s.peer_uid}`;
    const ts = unpackTs(s.ts);
    const values = unpackValues(s.vals);
    if (ts.length !== s.points || values.length !== s.points) {
      problems.push(`${name}: ${s.points} points, ${ts.length} times, ${values.length} values`);
      continue;
    }
    // Chunks overlap by a sample; merged, no time may come twice or out of order.
    for (let i = 1; i < ts.length; i++) {
      if (!((ts[i] ?? 0) > (ts[i - 1] ?? 0))) {
        problems.push(`${name}: time ${ts[i]} after ${ts[i - 1]}`);
        break;
      }
    }
    if (ts.length > 0 && (ts[0] !== s.first_ts || ts[ts.length - 1] !== s.last_ts)) {
      problems.push(`${name}: first/last ${s.first_ts}/${s.last_ts} disagree with the points`);
    }
  }
  const calls = db.prepare('SELECT COUNT(*) FROM calls').pluck().get() as number;
  const searchRows = db.prepare('SELECT COUNT(*) FROM call_search').pluck().get() as number;
  if (calls !== searchRows) problems.push(`${calls} calls, ${searchRows} search rows`);
  return problems;
}

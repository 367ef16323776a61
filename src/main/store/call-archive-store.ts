// Reads and writes the call archive: listed calls, and one call's details (users, merged metric
// series, quality issues) written in one transaction. Searching lives in call-search.ts.

import type { WireCallListItem } from '../../shared/api-wire.ts';
import type {
  ArchiveState,
  CallDetail,
  CallSummary,
  CallUser,
  MetricSeries,
  QualityIssue,
} from '../../shared/archive-types.ts';
import { parseSyncNotes, type SyncNote } from '../../shared/sync-notes.ts';
import type { Db } from './database.ts';
import { mergeSeries, packColumn, packTs, unpackTs, unpackValues } from './series-codec.ts';

export interface CallRow {
  id: number;
  appid: string;
  call_id: string;
  cname: string;
  created_ts: number;
  destroyed_ts: number;
  finished: number;
  first_listed_at: number;
  listed_at: number;
  archive: ArchiveState;
  details_from_ts: number | null;
  details_to_ts: number | null;
  details_at: number | null;
  user_count: number;
  issue_count: number;
  wanted_at: number | null;
  notes: string;
}

interface UserRow {
  sid: string;
  uid: number;
  network: string;
  platform: string;
  speaker: number;
  sdk_version: string;
  device_type: string;
  join_ts: number;
  leave_ts: number;
  finished: number;
}

interface SeriesRow {
  sid: string;
  mid: number;
  peer_uid: number;
  ts: Buffer;
  vals: Buffer;
}

interface IssueRow {
  kind: QualityIssue['kind'];
  sid: string;
  uid: number;
  peer_uid: number;
  mid: number;
  side: QualityIssue['side'];
  from_ts: number;
  to_ts: number;
  peak: number;
}

/** One details fetch of a call (all its chunks), ready to merge into the archive. */
export interface DetailsWrite {
  appid: string;
  callId: string;
  /** Span the fetch covered (Unix seconds). */
  fromTs: number;
  toTs: number;
  users: readonly CallUser[];
  series: readonly MetricSeries[];
  /** 'full' when the call had finished and the fetch reached its end; else 'partial'. */
  archive: Exclude<ArchiveState, 'listed'>;
  notes: readonly SyncNote[];
  /** Computes issues from the call's merged users and series. */
  detect(users: readonly CallUser[], series: readonly MetricSeries[]): QualityIssue[];
  nowMs: number;
}

export type DetailsCandidate = Pick<
  CallDetail,
  | 'callId'
  | 'cname'
  | 'createdTs'
  | 'destroyedTs'
  | 'finished'
  | 'archive'
  | 'detailsFromTs'
  | 'detailsToTs'
>;

export interface CallArchiveStore {
  /** Records one list answer (new calls inserted, known ones updated) in one transaction. */
  recordListed(appid: string, items: readonly WireCallListItem[], nowMs: number): number;
  /** Writes one call's details in one transaction; false when the call is no longer archived. */
  writeDetails(write: DetailsWrite): boolean;
  getCall(appid: string | undefined, callId: string, withSeries: boolean): CallDetail | undefined;
  markWanted(appid: string, callId: string, nowMs: number): void;
  /**
   * Calls in range not archived in full: wanted first, then those in watched channels, then
   * finished before running (a running call's details must be fetched again once it ends), then
   * most recent first.
   */
  detailsCandidates(
    appid: string,
    fromTs: number,
    toTs: number,
    cname?: string,
    watched?: readonly string[],
  ): DetailsCandidate[];
  countInRange(appid: string, fromTs: number, toTs: number, cname?: string): CountInRange;
  /** Calls in range last seen running, oldest first. */
  unfinishedInRange(
    appid: string,
    fromTs: number,
    toTs: number,
    cname?: string,
  ): Array<{ callId: string; cname: string; createdTs: number }>;
  /** Channel names the archive knows for an appid. */
  knownCnames(appid: string): string[];
  /** Calls of an appid starting exactly at `ts`. */
  callsStartingAt(appid: string, ts: number): Array<{ callId: string; cname: string }>;
  /** Channels with a known call that had started before `ts` and not ended by then. */
  channelsBusyAt(appid: string, ts: number): Set<string>;
}

export interface CountInRange {
  listed: number;
  full: number;
  unfinished: number;
}

export function toSummary(row: CallRow): CallSummary {
  return {
    appid: row.appid,
    callId: row.call_id,
    cname: row.cname,
    createdTs: row.created_ts,
    destroyedTs: row.destroyed_ts,
    finished: row.finished === 1,
    archive: row.archive,
    userCount: row.user_count,
    issueCount: row.issue_count,
    listedAtMs: row.listed_at,
    detailsAtMs: row.details_at,
  };
}

function toUser(row: UserRow): CallUser {
  return {
    sid: row.sid,
    uid: row.uid,
    network: row.network,
    platform: row.platform,
    speaker: row.speaker === 1,
    sdkVersion: row.sdk_version,
    deviceType: row.device_type,
    joinTs: row.join_ts,
    leaveTs: row.leave_ts,
    finished: row.finished === 1,
  };
}

function toSeries(row: SeriesRow): MetricSeries {
  return {
    sid: row.sid,
    mid: row.mid,
    peerUid: row.peer_uid,
    ts: unpackTs(row.ts),
    values: unpackValues(row.vals),
  };
}

const seriesKey = (sid: string, mid: number, peerUid: number): string =>
  `${sid}\u0000${mid}\u0000${peerUid}`;

export function createCallArchiveStore(db: Db): CallArchiveStore {
  const selectByKey = db.prepare<[string, string], CallRow>(
    'SELECT * FROM calls WHERE appid = ? AND call_id = ?',
  );
  const selectByCallId = db.prepare<[string], CallRow>(
    'SELECT * FROM calls WHERE call_id = ? ORDER BY listed_at DESC LIMIT 1',
  );
  const insertCall = db.prepare(
    `INSERT INTO calls (appid, call_id, cname, created_ts, destroyed_ts, finished, first_listed_at, listed_at)
     VALUES (@appid, @call_id, @cname, @created_ts, @destroyed_ts, @finished, @now, @now)`,
  );
  // A list answer never downgrades what details said: a finished call stays finished.
  const updateListed = db.prepare(
    `UPDATE calls SET cname = @cname, created_ts = @created_ts,
       destroyed_ts = CASE WHEN @finished = 1 OR finished = 0 THEN @destroyed_ts ELSE destroyed_ts END,
       finished = MAX(finished, @finished), listed_at = @now
     WHERE id = @id`,
  );
  const insertSearch = db.prepare<[number, string, string, string]>(
    'INSERT INTO call_search (rowid, cname, call_id, uids) VALUES (?, ?, ?, ?)',
  );
  const updateSearchUids = db.prepare<[string, number]>(
    'UPDATE call_search SET uids = ? WHERE rowid = ?',
  );
  const upsertUser = db.prepare(
    `INSERT INTO call_users (call_rowid, sid, uid, network, platform, speaker, sdk_version,
       device_type, join_ts, leave_ts, finished)
     VALUES (@call_rowid, @sid, @uid, @network, @platform, @speaker, @sdk_version, @device_type,
       @join_ts, @leave_ts, @finished)
     ON CONFLICT (call_rowid, sid) DO UPDATE SET uid = excluded.uid, network = excluded.network,
       platform = excluded.platform, speaker = excluded.speaker, sdk_version = excluded.sdk_version,
       device_type = excluded.device_type, join_ts = excluded.join_ts,
       leave_ts = excluded.leave_ts, finished = excluded.finished`,
  );
  const selectUsers = db.prepare<[number], UserRow>(
    'SELECT * FROM call_users WHERE call_rowid = ? ORDER BY join_ts, sid',
  );
  const selectSeries = db.prepare<[number], SeriesRow>(
    'SELECT sid, mid, peer_uid, ts, vals FROM metric_series WHERE call_rowid = ? ORDER BY sid, mid, peer_uid',
  );
  const upsertSeries = db.prepare(
    `INSERT INTO metric_series (call_rowid, sid, mid, peer_uid, points, first_ts, last_ts, ts, vals)
     VALUES (@call_rowid, @sid, @mid, @peer_uid, @points, @first_ts, @last_ts, @ts, @vals)
     ON CONFLICT (call_rowid, sid, mid, peer_uid) DO UPDATE SET points = excluded.points,
       first_ts = excluded.first_ts, last_ts = excluded.last_ts, ts = excluded.ts, vals = excluded.vals`,
  );
  const deleteIssues = db.prepare<[number]>('DELETE FROM quality_issues WHERE call_rowid = ?');
  const insertIssue = db.prepare(
    `INSERT INTO quality_issues (call_rowid, kind, sid, uid, peer_uid, mid, side, from_ts, to_ts, peak)
     VALUES (@call_rowid, @kind, @sid, @uid, @peer_uid, @mid, @side, @from_ts, @to_ts, @peak)`,
  );
  const selectIssues = db.prepare<[number], IssueRow>(
    'SELECT * FROM quality_issues WHERE call_rowid = ? ORDER BY from_ts, uid, mid',
  );
  const updateDetails = db.prepare(
    `UPDATE calls SET archive = @archive, details_from_ts = @from_ts, details_to_ts = @to_ts,
       details_at = @now, user_count = @user_count, issue_count = @issue_count, notes = @notes,
       wanted_at = CASE WHEN @archive = 'full' THEN NULL ELSE wanted_at END
     WHERE id = @id`,
  );
  const setWanted = db.prepare<[number, string, string]>(
    'UPDATE calls SET wanted_at = ? WHERE appid = ? AND call_id = ? AND wanted_at IS NULL',
  );
  const selectCandidates = db.prepare<
    [string, number, number, string | null, string | null, string],
    CallRow
  >(
    `SELECT * FROM calls
     WHERE appid = ? AND created_ts >= ? AND created_ts <= ? AND archive <> 'full'
       AND (? IS NULL OR cname = ?)
     ORDER BY wanted_at IS NULL, wanted_at, cname NOT IN (SELECT value FROM json_each(?)),
       finished = 0, created_ts DESC, id DESC`,
  );
  const selectCounts = db.prepare<
    [string, number, number, string | null, string | null],
    { listed: number; full: number | null; unfinished: number | null }
  >(
    `SELECT COUNT(*) AS listed, SUM(archive = 'full') AS full, SUM(finished = 0) AS unfinished
     FROM calls WHERE appid = ? AND created_ts >= ? AND created_ts <= ? AND (? IS NULL OR cname = ?)`,
  );
  const selectUnfinished = db.prepare<
    [string, number, number, string | null, string | null],
    { call_id: string; cname: string; created_ts: number }
  >(
    `SELECT call_id, cname, created_ts FROM calls
     WHERE appid = ? AND created_ts >= ? AND created_ts <= ? AND finished = 0
       AND (? IS NULL OR cname = ?)
     ORDER BY created_ts, id`,
  );
  const selectCnames = db.prepare<[string], { cname: string }>(
    'SELECT DISTINCT cname FROM calls WHERE appid = ?',
  );
  const selectAtSecond = db.prepare<[string, number], { call_id: string; cname: string }>(
    'SELECT call_id, cname FROM calls WHERE appid = ? AND created_ts = ?',
  );
  // Calls last at most a day or so: bounding the start keeps this an index range scan.
  const selectBusy = db.prepare<[string, number, number, number, number], { cname: string }>(
    `SELECT DISTINCT cname FROM calls WHERE appid = ? AND created_ts >= ? AND created_ts < ?
       AND (finished = 0 OR destroyed_ts > ?) AND NOT (finished = 0 AND listed_at < ? * 1000)`,
  );

  const recordListed = db.transaction(
    (appid: string, items: readonly WireCallListItem[], nowMs: number): number => {
      let inserted = 0;
      for (const item of items) {
        const params = {
          appid,
          call_id: item.call_id,
          cname: item.cname,
          created_ts: item.created_ts,
          destroyed_ts: item.finished ? item.destroyed_ts : 0,
          finished: item.finished ? 1 : 0,
          now: nowMs,
        };
        const existing = selectByKey.get(appid, item.call_id);
        if (existing === undefined) {
          const id = Number(insertCall.run(params).lastInsertRowid);
          insertSearch.run(id, item.cname, item.call_id, '');
          inserted++;
        } else {
          updateListed.run({ ...params, id: existing.id });
        }
      }
      return inserted;
    },
  );

  const writeDetails = db.transaction((w: DetailsWrite): boolean => {
    const row = selectByKey.get(w.appid, w.callId);
    // Pruned while its details were being fetched: the agent asked for it to go, so it stays gone.
    if (row === undefined) return false;
    for (const u of w.users) {
      upsertUser.run({
        call_rowid: row.id,
        sid: u.sid,
        uid: u.uid,
        network: u.network,
        platform: u.platform,
        speaker: u.speaker ? 1 : 0,
        sdk_version: u.sdkVersion,
        device_type: u.deviceType,
        join_ts: u.joinTs,
        leave_ts: u.leaveTs,
        finished: u.finished ? 1 : 0,
      });
    }
    const merged = new Map<string, MetricSeries>();
    for (const s of selectSeries.all(row.id).map(toSeries)) {
      merged.set(seriesKey(s.sid, s.mid, s.peerUid), s);
    }
    for (const s of w.series) {
      if (s.ts.length === 0) continue;
      const key = seriesKey(s.sid, s.mid, s.peerUid);
      const old = merged.get(key);
      const columns = old === undefined ? s : mergeSeries(old, s);
      const next: MetricSeries = { sid: s.sid, mid: s.mid, peerUid: s.peerUid, ...columns };
      merged.set(key, next);
      upsertSeries.run({
        call_rowid: row.id,
        sid: s.sid,
        mid: s.mid,
        peer_uid: s.peerUid,
        points: next.ts.length,
        first_ts: next.ts[0] ?? 0,
        last_ts: next.ts[next.ts.length - 1] ?? 0,
        ts: packTs(next.ts),
        vals: packColumn(next.values),
      });
    }
    const users = selectUsers.all(row.id).map(toUser);
    const issues = w.detect(users, [...merged.values()]);
    deleteIssues.run(row.id);
    for (const i of issues) {
      insertIssue.run({
        call_rowid: row.id,
        kind: i.kind,
        sid: i.sid,
        uid: i.uid,
        peer_uid: i.peerUid,
        mid: i.mid,
        side: i.side,
        from_ts: i.fromTs,
        to_ts: i.toTs,
        peak: i.peak,
      });
    }
    const uids = [...new Set(users.map((u) => u.uid))];
    updateSearchUids.run(uids.join(' '), row.id);
    updateDetails.run({
      id: row.id,
      archive: row.archive === 'full' && w.archive === 'partial' ? 'full' : w.archive,
      from_ts: Math.min(row.details_from_ts ?? w.fromTs, w.fromTs),
      to_ts: Math.max(row.details_to_ts ?? w.toTs, w.toTs),
      now: w.nowMs,
      user_count: uids.length,
      issue_count: issues.length,
      notes: JSON.stringify(w.notes),
    });
    return true;
  });

  // One read transaction (the call's row included), so a concurrent write by another connection
  // (the CLI syncing while the app reads) never shows half a call.
  const readCall = db.transaction(
    (appid: string | undefined, callId: string, withSeries: boolean): CallDetail | undefined => {
      const row = appid === undefined ? selectByCallId.get(callId) : selectByKey.get(appid, callId);
      if (row === undefined) return undefined;
      return {
        ...toSummary(row),
        users: selectUsers.all(row.id).map(toUser),
        issues: selectIssues.all(row.id).map((i) => ({
          kind: i.kind,
          sid: i.sid,
          uid: i.uid,
          peerUid: i.peer_uid,
          mid: i.mid,
          side: i.side,
          fromTs: i.from_ts,
          toTs: i.to_ts,
          peak: i.peak,
        })),
        series: withSeries ? selectSeries.all(row.id).map(toSeries) : [],
        detailsFromTs: row.details_from_ts,
        detailsToTs: row.details_to_ts,
        notes: parseSyncNotes(row.notes),
      };
    },
  );

  return {
    recordListed: (appid, items, nowMs) => recordListed(appid, items, nowMs),
    writeDetails: (w) => writeDetails(w),
    getCall: (appid, callId, withSeries) => readCall(appid, callId, withSeries),
    markWanted(appid, callId, nowMs) {
      setWanted.run(nowMs, appid, callId);
    },
    detailsCandidates(appid, fromTs, toTs, cname, watched = []) {
      const c = cname ?? null;
      const channels = JSON.stringify(watched);
      return selectCandidates.all(appid, fromTs, toTs, c, c, channels).map((r) => ({
        callId: r.call_id,
        cname: r.cname,
        createdTs: r.created_ts,
        destroyedTs: r.destroyed_ts,
        finished: r.finished === 1,
        archive: r.archive,
        detailsFromTs: r.details_from_ts,
        detailsToTs: r.details_to_ts,
      }));
    },
    countInRange(appid, fromTs, toTs, cname) {
      const c = cname ?? null;
      const r = selectCounts.get(appid, fromTs, toTs, c, c);
      return { listed: r?.listed ?? 0, full: r?.full ?? 0, unfinished: r?.unfinished ?? 0 };
    },
    unfinishedInRange(appid, fromTs, toTs, cname) {
      const c = cname ?? null;
      return selectUnfinished.all(appid, fromTs, toTs, c, c).map((r) => ({
        callId: r.call_id,
        cname: r.cname,
        createdTs: r.created_ts,
      }));
    },
    knownCnames: (appid) => selectCnames.all(appid).map((r) => r.cname),
    callsStartingAt: (appid, ts) =>
      selectAtSecond.all(appid, ts).map((r) => ({ callId: r.call_id, cname: r.cname })),
    channelsBusyAt(appid, ts) {
      const rows = selectBusy.all(appid, ts - 2 * 86400, ts, ts, ts);
      return new Set(rows.map((r) => r.cname));
    },
  };
}

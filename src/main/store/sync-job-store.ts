// Persists sync jobs (range, phase, listing cursor, counters, plan, notes) so a job survives a
// crash or restart and resumes where its last committed step left it. Scheduling is the engine's.

import { parseSyncNotes } from '../../shared/sync-notes.ts';
import type {
  SyncJobOrigin,
  SyncJobStatus,
  SyncPhase,
  SyncPlan,
  SyncState,
} from '../../shared/sync-types.ts';
import type { Db } from './database.ts';

/** A second in which more calls started than one list answer holds. */
export interface CrowdedSecond {
  ts: number;
  /** Looked up by channel name already. */
  resolved: boolean;
  /** Calls found starting in that second. */
  found: number;
}

/** A job as persisted: its status (see jobStatus) plus where listing stands and raw counters. */
export interface SyncJobRecord extends Pick<
  SyncJobStatus,
  | 'appid'
  | 'profile'
  | 'fromTs'
  | 'toTs'
  | 'cname'
  | 'origin'
  | 'state'
  | 'phase'
  | 'done'
  | 'total'
  | 'plan'
  | 'notes'
  | 'error'
  | 'resumeAtMs'
  | 'createdAtMs'
  | 'updatedAtMs'
> {
  id: number;
  maxDetails: number | null;
  /** Listing: the next list request ends here (null before the first request). */
  cursorTs: number | null;
  /** Listing: where the current walk began; calls in [cursorTs, listTopTs] are listed. */
  listTopTs: number | null;
  /** Listing stops here instead of fromTs (a refresh pass lists only what can have changed). */
  listFloorTs: number | null;
  crowded: CrowdedSecond[];
  listRequests: number;
  detailsRequests: number;
  usageRequests: number;
}

export type NewSyncJob = Pick<
  SyncJobRecord,
  'appid' | 'profile' | 'fromTs' | 'toTs' | 'cname' | 'maxDetails'
> & { origin?: SyncJobOrigin };

export interface SyncJobStore {
  create(job: NewSyncJob, nowMs: number): SyncJobRecord;
  save(job: SyncJobRecord, nowMs: number): void;
  get(id: number): SyncJobRecord | undefined;
  recent(limit: number): SyncJobRecord[];
  /** Jobs that had not ended (running when the app stopped, or waiting). */
  open(): SyncJobRecord[];
  /**
   * A job to resume instead of starting over: the newest open or failed one for exactly this
   * range, else the newest for the same profile, channel and cap whose range contains the start
   * asked for (a rerun of a relative range, "-2h" to "now": its end is then extended).
   */
  findResumable(job: NewSyncJob): SyncJobRecord | undefined;
  /** A profile's most recent jobs. */
  recentOfProfile(profile: string, limit: number): SyncJobRecord[];
  /** The rolling job of a profile's watch (the latest, whatever its state). */
  latestWatch(appid: string, profile: string): SyncJobRecord | undefined;
  /** Crowded seconds every job of this appid has met (timetables repeat: so do their channels). */
  crowdedSeconds(appid: string): number[];
}

interface JobRow {
  id: number;
  appid: string;
  profile: string | null;
  from_ts: number;
  to_ts: number;
  cname: string | null;
  max_details: number | null;
  origin: SyncJobOrigin;
  state: SyncState;
  phase: SyncPhase;
  cursor_ts: number | null;
  list_top_ts: number | null;
  list_floor_ts: number | null;
  crowded: string;
  list_requests: number;
  details_requests: number;
  usage_requests: number;
  done: number;
  total: number;
  plan: string;
  notes: string;
  error: string | null;
  resume_at: number | null;
  created_at: number;
  updated_at: number;
}

export const EMPTY_PLAN: SyncPlan = {
  callsListed: 0,
  callsFull: 0,
  detailsRequestsNeeded: 0,
  detailsRequestsAllowed: 0,
  callsLeftListedOnly: 0,
};

function parse<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function fromRow(r: JobRow): SyncJobRecord {
  return {
    id: r.id,
    appid: r.appid,
    profile: r.profile,
    fromTs: r.from_ts,
    toTs: r.to_ts,
    cname: r.cname,
    origin: r.origin === 'watch' ? 'watch' : 'manual',
    maxDetails: r.max_details,
    state: r.state,
    phase: r.phase,
    cursorTs: r.cursor_ts,
    listTopTs: r.list_top_ts,
    listFloorTs: r.list_floor_ts,
    crowded: parse<CrowdedSecond[]>(r.crowded, []),
    listRequests: r.list_requests,
    detailsRequests: r.details_requests,
    usageRequests: r.usage_requests,
    done: r.done,
    total: r.total,
    plan: { ...EMPTY_PLAN, ...parse<Partial<SyncPlan>>(r.plan, {}) },
    notes: parseSyncNotes(r.notes),
    error: parse<SyncJobRecord['error']>(r.error, null),
    resumeAtMs: r.resume_at,
    createdAtMs: r.created_at,
    updatedAtMs: r.updated_at,
  };
}

export function createSyncJobStore(db: Db): SyncJobStore {
  const insert = db.prepare(
    `INSERT INTO sync_jobs (appid, profile, from_ts, to_ts, cname, max_details, origin, state,
       phase, created_at, updated_at)
     VALUES (@appid, @profile, @from_ts, @to_ts, @cname, @max_details, @origin, 'running',
       'listing', @now, @now)`,
  );
  const update = db.prepare(
    `UPDATE sync_jobs SET profile = @profile, from_ts = @from_ts, to_ts = @to_ts, state = @state,
       phase = @phase,
       cursor_ts = @cursor_ts, list_top_ts = @list_top_ts, list_floor_ts = @list_floor_ts,
       crowded = @crowded,
       list_requests = @list_requests, details_requests = @details_requests,
       usage_requests = @usage_requests, done = @done, total = @total, plan = @plan, notes = @notes,
       error = @error, resume_at = @resume_at, updated_at = @now
     WHERE id = @id`,
  );
  const selectOne = db.prepare<[number], JobRow>('SELECT * FROM sync_jobs WHERE id = ?');
  const selectRecent = db.prepare<[number], JobRow>(
    'SELECT * FROM sync_jobs ORDER BY id DESC LIMIT ?',
  );
  const selectOpen = db.prepare<[], JobRow>(
    "SELECT * FROM sync_jobs WHERE state IN ('running', 'waiting') ORDER BY id",
  );
  const selectResumable = db.prepare<
    [string, number, number, string | null, string | null],
    JobRow
  >(
    `SELECT * FROM sync_jobs WHERE appid = ? AND from_ts = ? AND to_ts = ?
       AND (cname IS ? OR cname = ?) AND state IN ('running', 'waiting', 'failed')
       AND origin = 'manual'
     ORDER BY id DESC LIMIT 1`,
  );
  const selectOverlapping = db.prepare<
    [string, string | null, string | null, number | null, number, number],
    JobRow
  >(
    `SELECT * FROM sync_jobs WHERE appid = ? AND profile IS ? AND cname IS ? AND max_details IS ?
       AND from_ts <= ? AND to_ts >= ? AND state IN ('running', 'waiting', 'failed')
       AND origin = 'manual'
     ORDER BY id DESC LIMIT 1`,
  );
  const selectRecentOfProfile = db.prepare<[string, number], JobRow>(
    'SELECT * FROM sync_jobs WHERE profile = ? ORDER BY id DESC LIMIT ?',
  );
  const selectWatch = db.prepare<[string, string], JobRow>(
    `SELECT * FROM sync_jobs WHERE appid = ? AND profile = ? AND origin = 'watch'
     ORDER BY id DESC LIMIT 1`,
  );
  const selectCrowded = db.prepare<[string], { crowded: string }>(
    "SELECT crowded FROM sync_jobs WHERE appid = ? AND crowded <> '[]'",
  );
  const get = (id: number): SyncJobRecord | undefined => {
    const row = selectOne.get(id);
    return row === undefined ? undefined : fromRow(row);
  };
  return {
    create(job, nowMs) {
      const id = Number(
        insert.run({
          appid: job.appid,
          profile: job.profile,
          from_ts: job.fromTs,
          to_ts: job.toTs,
          cname: job.cname,
          max_details: job.maxDetails,
          origin: job.origin ?? 'manual',
          now: nowMs,
        }).lastInsertRowid,
      );
      const created = get(id);
      if (created === undefined) throw new Error('sync job vanished after insert');
      return created;
    },
    save(job, nowMs) {
      job.updatedAtMs = nowMs;
      update.run({
        id: job.id,
        profile: job.profile,
        from_ts: job.fromTs,
        to_ts: job.toTs,
        state: job.state,
        phase: job.phase,
        cursor_ts: job.cursorTs,
        list_top_ts: job.listTopTs,
        list_floor_ts: job.listFloorTs,
        crowded: JSON.stringify(job.crowded),
        list_requests: job.listRequests,
        details_requests: job.detailsRequests,
        usage_requests: job.usageRequests,
        done: job.done,
        total: job.total,
        plan: JSON.stringify(job.plan),
        notes: JSON.stringify(job.notes),
        error: job.error === null ? null : JSON.stringify(job.error),
        resume_at: job.resumeAtMs,
        now: nowMs,
      });
    },
    get,
    recent: (limit) => selectRecent.all(limit).map(fromRow),
    open: () => selectOpen.all().map(fromRow),
    crowdedSeconds(appid) {
      const seconds = new Set<number>();
      for (const row of selectCrowded.all(appid)) {
        for (const c of parse<CrowdedSecond[]>(row.crowded, [])) seconds.add(c.ts);
      }
      return [...seconds];
    },
    findResumable(job) {
      const row =
        selectResumable.get(job.appid, job.fromTs, job.toTs, job.cname, job.cname) ??
        selectOverlapping.get(
          job.appid,
          job.profile,
          job.cname,
          job.maxDetails,
          job.fromTs,
          job.fromTs,
        );
      return row === undefined ? undefined : fromRow(row);
    },
    recentOfProfile: (profile, limit) => selectRecentOfProfile.all(profile, limit).map(fromRow),
    latestWatch(appid, profile) {
      const row = selectWatch.get(appid, profile);
      return row === undefined ? undefined : fromRow(row);
    },
  };
}

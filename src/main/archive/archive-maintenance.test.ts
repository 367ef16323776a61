import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireCallListItem } from '../../shared/api-wire.ts';
import { CallSearchSchema } from '../../shared/archive-types.ts';
import { createSyncEngine } from '../sync/index.ts';
import {
  fixedStartClock,
  startSimulatedApi,
  type SimulatedApi,
} from '../sync/sync-test-fixture.ts';
import { createCallArchiveStore, createCallSearch, type Db } from '../store/index.ts';
import { createArchiveMaintenance, type ArchiveMaintenance } from './archive-maintenance.ts';

const DAY = 86400;
const OTHER = 'otherappid';

function count(db: Db, sql: string, ...params: unknown[]): number {
  return db
    .prepare(sql)
    .pluck()
    .get(...params) as number;
}

/** Rows left without their call, per table (the FTS table has no foreign key to check). */
function orphans(db: Db): Record<string, number> {
  const without = (table: string, column: string) =>
    count(db, `SELECT COUNT(*) FROM ${table} WHERE ${column} NOT IN (SELECT id FROM calls)`);
  return {
    call_users: without('call_users', 'call_rowid'),
    metric_series: without('metric_series', 'call_rowid'),
    quality_issues: without('quality_issues', 'call_rowid'),
    call_search: without('call_search', 'rowid'),
  };
}

function addJob(db: Db, appid: string, fromTs: number, toTs: number, state: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO sync_jobs (appid, profile, from_ts, to_ts, state, phase, created_at, updated_at)
         VALUES (?, NULL, ?, ?, ?, 'done', 0, 0)`,
      )
      .run(appid, fromTs, toTs, state).lastInsertRowid,
  );
}

describe('archive stats and prune over a real SQLite file', () => {
  let api: SimulatedApi;
  let maintenance: ArchiveMaintenance;
  let appid: string;
  /** Listed calls (ascending start), some with details fetched from the simulator. */
  let listed: WireCallListItem[];
  let detailed: string[];
  let cutoff: number;

  beforeAll(async () => {
    api = await startSimulatedApi({
      seed: 'archive-prune',
      callsPerDay: 400,
      clock: fixedStartClock(),
    });
    appid = api.sim.appid;
    const nowSec = Math.floor(api.clock() / 1000);
    const truth = api.sim
      .truth({ startTs: nowSec - 2 * DAY, endTs: nowSec - 3600 })
      .filter((c) => c.finished);
    listed = [...truth].sort((a, b) => a.created_ts - b.created_ts);
    const archive = createCallArchiveStore(api.db);
    archive.recordListed(appid, listed, api.clock());
    // Details (users, series, issues) for calls on both sides of the cutoff.
    const step = Math.floor(listed.length / 6);
    detailed = [0, 1, 2, 3, 4, 5].map((k) => listed[k * step + 1]!.call_id);
    const engine = createSyncEngine({
      db: api.db,
      client: api.client,
      appid,
      plan: api.plan,
      clock: api.clock,
    });
    for (const callId of detailed) await engine.fetchCall(callId);
    engine.close();
    cutoff = listed[3 * step]!.created_ts;
    // Another profile's calls, all old: only an unscoped prune touches them.
    archive.recordListed(
      OTHER,
      listed.slice(0, 5).map((c) => ({ ...c, destroyed_ts: c.created_ts + 60, finished: true })),
      api.clock(),
    );
    maintenance = createArchiveMaintenance({ db: api.db });
  }, 60_000);
  afterAll(() => api.close());

  it('reports the file size, counts and the oldest and newest call, per appid or overall', () => {
    const mine = maintenance.stats({ appid });
    expect(mine.bytes).toBeGreaterThan(0);
    expect(mine.file).toBe(api.db.name);
    expect(mine).toMatchObject({
      appid,
      calls: listed.length,
      oldestTs: listed[0]!.created_ts,
      newestTs: listed[listed.length - 1]!.created_ts,
    });
    expect(mine.users).toBeGreaterThanOrEqual(detailed.length * 2);
    expect(mine.series).toBeGreaterThan(mine.users);
    expect(mine.users).toBe(count(api.db, 'SELECT COUNT(*) FROM call_users'));
    const all = maintenance.stats({});
    expect(all).toMatchObject({ appid: null, calls: listed.length + 5, users: mine.users });
    expect(all.bytes).toBe(mine.bytes);
    expect(maintenance.stats({ appid: 'nobody' })).toMatchObject({
      calls: 0,
      users: 0,
      series: 0,
      oldestTs: null,
      newestTs: null,
    });
  });

  it('counts on a dry run and deletes nothing', () => {
    const before = maintenance.stats({ appid });
    const dry = maintenance.prune({ olderThanTs: cutoff, appid, dryRun: true });
    const older = listed.filter((c) => c.created_ts < cutoff).length;
    expect(dry).toMatchObject({ dryRun: true, calls: older, appid });
    expect(dry.users).toBeGreaterThan(0);
    expect(dry.series).toBeGreaterThan(0);
    expect(dry.bytesAfter).toBe(dry.bytesBefore);
    const after = maintenance.stats({ appid });
    expect({ ...after, bytes: 0 }).toEqual({ ...before, bytes: 0 });
    const search = createCallSearch(api.db);
    expect(search.search(CallSearchSchema.parse({ appid, query: listed[0]!.call_id })).total).toBe(
      1,
    );
  });

  it('prunes older calls with their users, series, issues, search rows and old sync jobs, in one go', () => {
    const doneOld = addJob(api.db, appid, cutoff - DAY, cutoff - 1, 'done');
    const waitingOld = addJob(api.db, appid, cutoff - DAY, cutoff - 1, 'waiting');
    const doneRecent = addJob(api.db, appid, cutoff - DAY, cutoff + 1, 'done');
    const otherOld = addJob(api.db, OTHER, cutoff - DAY, cutoff - 1, 'done');
    const before = maintenance.stats({ appid });
    const dry = maintenance.prune({ olderThanTs: cutoff, appid, dryRun: true });
    const issuesBefore = count(api.db, 'SELECT COUNT(*) FROM quality_issues');

    const pruned = maintenance.prune({ olderThanTs: cutoff, appid, dryRun: false });
    expect(dry.compacted).toBe(false);
    expect(pruned).toEqual({
      ...dry,
      dryRun: false,
      bytesAfter: pruned.bytesAfter,
      compacted: true,
    });
    expect(pruned.syncJobs).toBe(1);
    const after = maintenance.stats({ appid });
    expect(after.calls).toBe(before.calls - pruned.calls);
    expect(after.users).toBe(before.users - pruned.users);
    expect(after.series).toBe(before.series - pruned.series);
    expect(count(api.db, 'SELECT COUNT(*) FROM quality_issues')).toBe(issuesBefore - pruned.issues);
    expect(after.oldestTs).toBeGreaterThanOrEqual(cutoff);
    expect(after.users).toBeGreaterThan(0);
    expect(orphans(api.db)).toEqual({
      call_users: 0,
      metric_series: 0,
      quality_issues: 0,
      call_search: 0,
    });
    expect(api.db.pragma('foreign_key_check')).toEqual([]);
    expect(count(api.db, 'SELECT COUNT(*) FROM call_search')).toBe(
      count(api.db, 'SELECT COUNT(*) FROM calls'),
    );
    // The space came back, and the log was emptied.
    expect(pruned.bytesAfter).toBeLessThan(pruned.bytesBefore);
    expect(after.bytes).toBe(pruned.bytesAfter);

    const jobs = api.db.prepare('SELECT id FROM sync_jobs').pluck().all() as number[];
    expect(jobs).not.toContain(doneOld);
    expect(jobs).toEqual(expect.arrayContaining([waitingOld, doneRecent, otherOld]));
    // The other profile's calls were out of scope.
    expect(maintenance.stats({ appid: OTHER }).calls).toBe(5);
  });

  it('no longer finds pruned calls, and still finds the rest', () => {
    const search = createCallSearch(api.db);
    const find = (q: Record<string, unknown>) =>
      search.search(CallSearchSchema.parse({ appid, limit: 500, ...q }));
    const gone = listed.filter((c) => c.created_ts < cutoff);
    const kept = listed.filter((c) => c.created_ts >= cutoff);
    for (const call of [gone[0]!, gone[gone.length - 1]!]) {
      expect(find({ query: call.call_id }).total).toBe(0);
    }
    expect(find({ query: kept[0]!.call_id }).calls.map((c) => c.callId)).toEqual([
      kept[0]!.call_id,
    ]);
    // A uid of a pruned detailed call finds no pruned call.
    const archive = createCallArchiveStore(api.db);
    expect(archive.getCall(appid, detailed[0]!, false)).toBeUndefined();
    const keptDetailed = detailed.filter((id) => archive.getCall(appid, id, false) !== undefined);
    expect(keptDetailed.length).toBeGreaterThan(0);
    expect(find({}).total).toBe(kept.length);
    expect(find({ toTs: cutoff - 1 }).total).toBe(0);
  });

  it('lets a sync that fetched the details of a pruned call skip it instead of failing', () => {
    const archive = createCallArchiveStore(api.db);
    const written = archive.writeDetails({
      appid,
      callId: detailed[0]!,
      fromTs: cutoff - DAY,
      toTs: cutoff - DAY + 60,
      users: [],
      series: [],
      archive: 'full',
      notes: [],
      detect: () => [],
      nowMs: api.clock(),
    });
    expect(written).toBe(false);
    expect(archive.getCall(appid, detailed[0]!, false)).toBeUndefined();
  });

  it('prunes every appid when none is given, and does nothing when nothing is older', () => {
    const none = maintenance.prune({ olderThanTs: 1, dryRun: false });
    expect(none).toMatchObject({
      calls: 0,
      users: 0,
      series: 0,
      issues: 0,
      syncJobs: 0,
      compacted: false,
    });
    const all = maintenance.prune({ olderThanTs: cutoff, dryRun: false });
    expect(all.calls).toBe(5);
    expect(maintenance.stats({ appid: OTHER }).calls).toBe(0);
    expect(orphans(api.db)).toEqual({
      call_users: 0,
      metric_series: 0,
      quality_issues: 0,
      call_search: 0,
    });
  });
});

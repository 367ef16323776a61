import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { packColumn, unpackTs } from './series-codec.ts';

describe('database migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crystal-desk-db-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('brings a fresh file to the latest schema, every migration applied once', () => {
    const file = join(dir, 'fresh.sqlite');
    const db = openDatabase({ file });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const names = db
      .prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'index')")
      .pluck()
      .all() as string[];
    // A table or index of the first and of the latest migrations.
    for (const name of [
      'settings',
      'calls',
      'sync_watch',
      'sync_jobs_by_profile',
      'calls_by_start',
    ]) {
      expect(names).toContain(name);
    }
    const jobColumns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('sync_jobs');
    expect(jobColumns).toEqual(expect.arrayContaining(['origin', 'list_top_ts']));
    db.close();
    // Opening again applies nothing (a second ALTER TABLE would throw).
    const again = openDatabase({ file });
    expect(again.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    again.close();
  });

  it('rewrites the Float64 timestamps of series stored by schema 8 into the compact layouts', () => {
    const file = join(dir, 'series.sqlite');
    const old = new Database(file);
    for (let v = 1; v <= 8; v++) MIGRATIONS[v - 1]!.up(old);
    old.pragma('user_version = 8');
    old
      .prepare(
        `INSERT INTO calls (id, appid, call_id, cname, created_ts, destroyed_ts, finished, archive, first_listed_at, listed_at)
         VALUES (1, 'app', 'c1', 'math', 100, 200, 1, 'full', 1, 1)`,
      )
      .run();
    const regular = Float64Array.from({ length: 1500 }, (_, i) => 1_700_000_000 + 2 * i);
    const irregular = Float64Array.of(1_700_000_000, 1_700_000_002, 1_700_000_010);
    const insert = old.prepare(
      `INSERT INTO metric_series (call_rowid, sid, mid, peer_uid, points, first_ts, last_ts, ts, vals)
       VALUES (1, ?, 20001, 0, ?, 0, 0, ?, ?)`,
    );
    // Bare Float64 BLOBs, as schema 8 wrote them.
    for (const [sid, ts] of [
      ['regular', regular],
      ['irregular', irregular],
    ] as const) {
      insert.run(sid, ts.length, packColumn(ts), packColumn(new Float32Array(ts.length)));
    }
    old.close();
    const db = openDatabase({ file });
    const rows = db.prepare('SELECT sid, ts FROM metric_series ORDER BY sid').all() as Array<{
      sid: string;
      ts: Buffer;
    }>;
    db.close();
    const [irregularRow, regularRow] = rows;
    expect([...unpackTs(regularRow!.ts)]).toEqual([...regular]);
    expect(regularRow!.ts.byteLength).toBe(16);
    expect([...unpackTs(irregularRow!.ts)]).toEqual([...irregular]);
    expect(irregularRow!.ts.byteLength).toBe(4 * (irregular.length + 1));
  });

  it('carries a file of an older schema forward, keeping its rows', () => {
    const file = join(dir, 'old.sqlite');
    const old = new Database(file);
    for (let v = 1; v <= 4; v++) MIGRATIONS[v - 1]!.up(old);
    old.pragma('user_version = 4');
    old
      .prepare(
        `INSERT INTO sync_jobs (appid, from_ts, to_ts, state, phase, created_at, updated_at)
         VALUES ('app', 1, 2, 'waiting', 'listing', 3, 3)`,
      )
      .run();
    old.close();
    const db = openDatabase({ file });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT appid, origin, list_top_ts FROM sync_jobs').all()).toEqual([
      { appid: 'app', origin: 'manual', list_top_ts: null },
    ]);
    db.close();
  });

  it('refuses a file written by a newer version, saying what to do, and leaves it untouched', () => {
    const file = join(dir, 'newer.sqlite');
    const newer = new Database(file);
    newer.exec('CREATE TABLE future (x INTEGER)');
    newer.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    newer.close();
    expect(() => openDatabase({ file })).toThrow(
      new RegExp(
        `newer Crystal Desk \\(schema ${MIGRATIONS.length + 1}, this build knows ${MIGRATIONS.length}\\): update Crystal Desk`,
      ),
    );
    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length + 1);
    expect(after.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(
      after.prepare("SELECT name FROM sqlite_schema WHERE name = 'settings'").get(),
    ).toBeUndefined();
    after.close();
  });
});

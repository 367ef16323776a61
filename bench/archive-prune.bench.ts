// Pruning the archive and giving the space back: fills two temp SQLite files alike (listed calls,
// and detailed calls with users and metric series of a realistic size), prunes the older half of
// each, then reclaims space two ways and prints time and file size: a full VACUUM (what the app
// does) and auto_vacuum = INCREMENTAL with PRAGMA incremental_vacuum.

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, type Db } from '../src/main/store/index.ts';
import { createArchiveMaintenanceStore } from '../src/main/store/archive-maintenance-store.ts';

const CALLS = Number(process.env['BENCH_CALLS'] ?? 50_000);
/** One in DETAILED_EVERY calls has details. */
const DETAILED_EVERY = 20;
/** Series per detailed call and points per series (a 45-minute call sampled every 2 s). */
const SERIES = 24;
const POINTS = 1350;
const T0 = 1_780_000_000;

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const fileBytes = (file: string) => {
  let n = 0;
  for (const f of [file, `${file}-wal`]) {
    try {
      n += statSync(f).size;
    } catch {
      // no log file
    }
  }
  return n;
};

function open(file: string, incremental: boolean): Db {
  const db = new Database(file);
  // auto_vacuum must be chosen before the first table is created.
  if (incremental) db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

function fill(db: Db): void {
  const insertCall = db.prepare(
    `INSERT INTO calls (appid, call_id, cname, created_ts, destroyed_ts, finished, first_listed_at,
       listed_at, archive, user_count) VALUES ('bench', ?, ?, ?, ?, 1, 0, 0, ?, ?)`,
  );
  const insertSearch = db.prepare(
    'INSERT INTO call_search (rowid, cname, call_id, uids) VALUES (?, ?, ?, ?)',
  );
  const insertUser = db.prepare(
    `INSERT INTO call_users (call_rowid, sid, uid, network, platform, speaker, sdk_version,
       device_type, join_ts, leave_ts, finished) VALUES (?, ?, ?, 'Wi-Fi', 'iOS', 1, '4.0', 'x', ?, ?, 1)`,
  );
  const insertSeries = db.prepare(
    `INSERT INTO metric_series (call_rowid, sid, mid, peer_uid, points, first_ts, last_ts, ts, vals)
     VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?)`,
  );
  const ts = Buffer.alloc(POINTS * 8, 1);
  const vals = Buffer.alloc(POINTS * 4, 2);
  db.transaction(() => {
    for (let i = 0; i < CALLS; i++) {
      const created = T0 + i * 30;
      const detailed = i % DETAILED_EVERY === 0;
      const id = Number(
        insertCall.run(
          i.toString(16).padStart(24, '0'),
          `room-${i % 3000}`,
          created,
          created + 2700,
          detailed ? 'full' : 'listed',
          detailed ? 3 : 0,
        ).lastInsertRowid,
      );
      insertSearch.run(id, `room-${i % 3000}`, i.toString(16), detailed ? '1 2 3' : '');
      if (!detailed) continue;
      for (let u = 1; u <= 3; u++) insertUser.run(id, `s${u}`, u, created, created + 2700);
      for (let s = 0; s < SERIES; s++) {
        insertSeries.run(
          id,
          `s${(s % 3) + 1}`,
          1000 + s,
          POINTS,
          created,
          created + 2700,
          ts,
          vals,
        );
      }
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
}

const dir = mkdtempSync(join(tmpdir(), 'crystal-desk-prune-bench-'));
try {
  const cutoff = T0 + (CALLS / 2) * 30;
  for (const incremental of [false, true]) {
    const file = join(dir, `${incremental ? 'incremental' : 'full'}.sqlite`);
    const db = open(file, incremental);
    fill(db);
    const store = createArchiveMaintenanceStore(db);
    const before = fileBytes(file);
    let t = performance.now();
    const removed = store.prune({ olderThanTs: cutoff });
    const deleteMs = performance.now() - t;
    const afterDelete = fileBytes(file);
    t = performance.now();
    if (incremental) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.pragma('incremental_vacuum');
      db.pragma('wal_checkpoint(TRUNCATE)');
    } else {
      store.reclaim();
    }
    const reclaimMs = performance.now() - t;
    console.log(
      `${incremental ? 'incremental_vacuum' : 'VACUUM'}: ${CALLS.toLocaleString('en')} calls, ` +
        `${mib(before)}; pruned ${removed.calls} calls / ${removed.series} series in ` +
        `${deleteMs.toFixed(0)} ms (file then ${mib(afterDelete)}); reclaimed in ` +
        `${reclaimMs.toFixed(0)} ms, file now ${mib(fileBytes(file))}`,
    );
    db.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

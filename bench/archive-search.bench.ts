// Archive search on 10^6 calls: fills a temp SQLite file (calls, FTS rows, users for a tenth of
// them), then times typical searches (first page with total, next page), for one App ID and for
// every App ID (the CLI's default), and prints the figures.

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallSearchSchema, type CallSearchQuery } from '../src/shared/archive-types.ts';
import { createCallSearch, openDatabase } from '../src/main/store/index.ts';

const CALLS = Number(process.env['BENCH_CALLS'] ?? 1_000_000);
const APP = 'benchapp';
const T0 = 1_780_000_000;
const PLATFORMS = ['Android', 'iOS', 'Windows', 'macOS', 'Web'];
const NAMES = ['数学课-三年级', 'english_g3', 'room', 'physics-lab', 'class', '英语口语 小组'];

const dir = mkdtempSync(join(tmpdir(), 'crystal-desk-bench-'));
const file = join(dir, 'bench.sqlite');
const db = openDatabase({ file });

let t = performance.now();
const insertCall = db.prepare(
  `INSERT INTO calls (appid, call_id, cname, created_ts, destroyed_ts, finished, first_listed_at,
     listed_at, archive, user_count, issue_count)
   VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?)`,
);
const insertSearch = db.prepare(
  'INSERT INTO call_search (rowid, cname, call_id, uids) VALUES (?, ?, ?, ?)',
);
const insertUser = db.prepare(
  `INSERT INTO call_users (call_rowid, sid, uid, network, platform, speaker, sdk_version,
     device_type, join_ts, leave_ts, finished) VALUES (?, ?, ?, 'Wi-Fi', ?, 1, '4.0', 'x', ?, ?, 1)`,
);
const fill = db.transaction((from: number, to: number) => {
  for (let i = from; i < to; i++) {
    const created = T0 + i * 2;
    const cname = `${NAMES[i % NAMES.length]}-${i % 5000}`;
    const callId = i.toString(16).padStart(24, '0');
    const detailed = i % 10 === 0;
    const issues = detailed && i % 30 === 0 ? 2 : 0;
    const id = Number(
      insertCall.run(
        APP,
        callId,
        cname,
        created,
        created + 1800,
        i % 97 === 0 ? 0 : 1,
        detailed ? 'full' : 'listed',
        detailed ? 3 : 0,
        issues,
      ).lastInsertRowid,
    );
    const uids: number[] = [];
    if (detailed) {
      for (let u = 0; u < 3; u++) {
        const uid = 100000 + ((i * 7 + u) % 900000);
        uids.push(uid);
        insertUser.run(
          id,
          `sid${i}-${u}`,
          uid,
          PLATFORMS[(i + u) % PLATFORMS.length],
          created,
          created + 1800,
        );
      }
    }
    insertSearch.run(id, cname, callId, uids.join(' '));
  }
});
for (let i = 0; i < CALLS; i += 50_000) fill(i, Math.min(CALLS, i + 50_000));
db.pragma('wal_checkpoint(TRUNCATE)');
const fillMs = performance.now() - t;
console.log(
  `filled ${CALLS.toLocaleString('en')} calls in ${(fillMs / 1000).toFixed(1)} s; file ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB`,
);

const search = createCallSearch(db);
// Every case names an App ID unless it says "all apps" (the CLI's default: no --appid).
const ALL = { appid: undefined };
const cases: Array<[string, CallSearchQuery]> = [
  ['newest page, no filter (+ total)', {}],
  ['all apps: newest page, no filter', ALL],
  ['all apps: time range of one day', { ...ALL, fromTs: T0 + 600_000, toTs: T0 + 686_400 }],
  ['time range of one day', { fromTs: T0 + 600_000, toTs: T0 + 686_400 }],
  ['CJK substring "三年级"', { query: '三年级' }],
  ['substring "sics-lab-12"', { query: 'sics-lab-12' }],
  ['short prefix "ro"', { query: 'ro' }],
  ['short CJK substring "三年"', { query: '三年' }],
  ['all apps: short substring "三年"', { ...ALL, query: '三年' }],
  ['call id', { query: (123_456).toString(16).padStart(24, '0') }],
  ['uid', { query: String(100000 + ((123_450 * 7) % 900000)) }],
  ['platform iOS', { platform: 'iOS' }],
  ['has issues', { hasIssues: true }],
  ['running calls', { finished: false }],
  // Calls with issues are the detailed ones with i % 30 == 0: all in 数学课-三年级 channels,
  // with Android, iOS and Windows users.
  ['text + platform + issues', { query: '三年级', platform: 'Android', hasIssues: true }],
  [
    'all apps: text + platform + issues',
    { ...ALL, query: '三年级', platform: 'iOS', hasIssues: true },
  ],
];
for (const [name, query] of cases) {
  const parsed = CallSearchSchema.parse({ appid: APP, limit: 50, ...query });
  if (name.includes('issues') && name.includes('text')) {
    // The combined case must measure a search that finds something.
    if (!(search.search(parsed).total! > 0)) throw new Error(`bench case "${name}" finds nothing`);
  }
  search.search(parsed); // warm the statement and the page cache
  const runs = 5;
  t = performance.now();
  let result = search.search(parsed);
  for (let r = 1; r < runs; r++) result = search.search(parsed);
  const first = (performance.now() - t) / runs;
  t = performance.now();
  const next =
    result.nextCursor === null ? null : search.search({ ...parsed, cursor: result.nextCursor });
  const nextMs = performance.now() - t;
  console.log(
    `${name.padEnd(42)} first page + total ${first.toFixed(1).padStart(7)} ms (total ${String(result.total).padStart(7)})` +
      (next === null ? '' : `, next page ${nextMs.toFixed(1).padStart(6)} ms`),
  );
}
db.close();
rmSync(dir, { recursive: true, force: true });

// Rewrites every stored metric series' timestamps from bare Float64 (8 bytes a point) into the
// layouts of series-codec.ts (three numbers for a regular series, else 4 bytes a point).

import { packTs, unpackFloat64Ts } from '../series-codec.ts';
import type { Migration } from './index.ts';

/** Rows read at a time: better-sqlite3 cannot write while a read is still being iterated. */
const BATCH = 1000;

export const m0009CompactSeriesTimes: Migration = {
  name: 'compact-series-times',
  up(db) {
    const next = db.prepare<[number, number], { rowid: number; ts: Buffer }>(
      'SELECT rowid, ts FROM metric_series WHERE rowid > ? ORDER BY rowid LIMIT ?',
    );
    const update = db.prepare<[Buffer, number]>('UPDATE metric_series SET ts = ? WHERE rowid = ?');
    for (let after = 0; ;) {
      const rows = next.all(after, BATCH);
      if (rows.length === 0) break;
      for (const row of rows) update.run(packTs(unpackFloat64Ts(row.ts)), row.rowid);
      after = rows[rows.length - 1]?.rowid ?? after;
    }
  },
};

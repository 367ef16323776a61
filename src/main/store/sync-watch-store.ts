// Persists each profile's background watch (enabled, look-back, channels ranked first for
// details). Checking the look-back against the plan and running the watch belong to sync.

import type { Db } from './database.ts';

export interface WatchRecord {
  profile: string;
  enabled: boolean;
  lookbackHours: number;
  channels: string[];
  updatedAtMs: number;
}

export interface SyncWatchStore {
  get(profile: string): WatchRecord | undefined;
  /** Every stored watch (enabled or not), oldest profile first. */
  list(): WatchRecord[];
  set(watch: Omit<WatchRecord, 'updatedAtMs'>, nowMs: number): WatchRecord;
}

interface WatchRow {
  profile: string;
  enabled: number;
  lookback_hours: number;
  channels: string;
  updated_at: number;
}

function parseChannels(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((c): c is string => typeof c === 'string') : [];
  } catch {
    return [];
  }
}

const fromRow = (row: WatchRow): WatchRecord => ({
  profile: row.profile,
  enabled: row.enabled === 1,
  lookbackHours: row.lookback_hours,
  channels: parseChannels(row.channels),
  updatedAtMs: row.updated_at,
});

export function createSyncWatchStore(db: Db): SyncWatchStore {
  const selectOne = db.prepare<[string], WatchRow>('SELECT * FROM sync_watch WHERE profile = ?');
  const selectAll = db.prepare<[], WatchRow>(
    `SELECT w.* FROM sync_watch w JOIN profiles p ON p.id = w.profile
     ORDER BY p.created_at, p.id`,
  );
  const upsert = db.prepare(
    `INSERT INTO sync_watch (profile, enabled, lookback_hours, channels, updated_at)
     VALUES (@profile, @enabled, @lookback_hours, @channels, @now)
     ON CONFLICT (profile) DO UPDATE SET enabled = excluded.enabled,
       lookback_hours = excluded.lookback_hours, channels = excluded.channels,
       updated_at = excluded.updated_at`,
  );
  const get = (profile: string): WatchRecord | undefined => {
    const row = selectOne.get(profile);
    return row === undefined ? undefined : fromRow(row);
  };
  return {
    get,
    list: () => selectAll.all().map(fromRow),
    set(watch, nowMs) {
      upsert.run({
        profile: watch.profile,
        enabled: watch.enabled ? 1 : 0,
        lookback_hours: watch.lookbackHours,
        channels: JSON.stringify(watch.channels),
        now: nowMs,
      });
      const saved = get(watch.profile);
      if (saved === undefined) throw new Error('watch vanished after upsert');
      return saved;
    },
  };
}

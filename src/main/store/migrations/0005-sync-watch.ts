// Background watch: per profile, whether to keep the last hours synced in the background and which
// channels to rank first for details; sync jobs say whether they are such a rolling watch job.

import type { Migration } from './index.ts';

export const m0005SyncWatch: Migration = {
  name: 'sync-watch',
  up(db) {
    db.exec(`
      CREATE TABLE sync_watch (
        profile TEXT PRIMARY KEY REFERENCES profiles (id) ON DELETE CASCADE,
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        lookback_hours INTEGER NOT NULL CHECK (lookback_hours > 0),
        -- JSON array of channel names whose calls get details before the rest.
        channels TEXT NOT NULL DEFAULT '[]',
        updated_at INTEGER NOT NULL
      ) STRICT;

      -- 'watch': the rolling job of a profile's watch (one per profile, range moved each pass);
      -- never resumed by a sync of the same range.
      ALTER TABLE sync_jobs ADD COLUMN origin TEXT NOT NULL DEFAULT 'manual'
        CHECK (origin IN ('manual', 'watch'));
      CREATE INDEX sync_jobs_watch ON sync_jobs (appid, profile, id) WHERE origin = 'watch';
    `);
  },
};

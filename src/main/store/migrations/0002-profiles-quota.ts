// API profiles (one active; secrets live in the keychain, never here) and the quota log: one row
// per API request sent, so rolling daily counts survive a restart or crash.

import type { Migration } from './index.ts';

export const m0002ProfilesQuota: Migration = {
  name: 'profiles-quota',
  up(db) {
    db.exec(`
      CREATE TABLE profiles (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('api', 'demo')),
        appid TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        base_url TEXT,
        plan TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX profiles_one_active ON profiles (active) WHERE active = 1;

      CREATE TABLE quota_log (
        id INTEGER PRIMARY KEY,
        customer_id TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        sent_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX quota_log_by_customer_time ON quota_log (customer_id, sent_at);
    `);
  },
};

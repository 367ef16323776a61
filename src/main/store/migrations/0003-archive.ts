// The offline archive: calls (scoped by appid), their users (sessions), compact metric series,
// quality issues, FTS search over channel names, call ids and uids, daily usage and sync jobs.

import type { Migration } from './index.ts';

export const m0003Archive: Migration = {
  name: 'archive',
  up(db) {
    db.exec(`
      CREATE TABLE calls (
        id INTEGER PRIMARY KEY,
        appid TEXT NOT NULL,
        call_id TEXT NOT NULL,
        cname TEXT NOT NULL,
        created_ts INTEGER NOT NULL,
        destroyed_ts INTEGER NOT NULL,
        finished INTEGER NOT NULL,
        first_listed_at INTEGER NOT NULL,
        listed_at INTEGER NOT NULL,
        archive TEXT NOT NULL DEFAULT 'listed' CHECK (archive IN ('listed', 'partial', 'full')),
        details_from_ts INTEGER,
        details_to_ts INTEGER,
        details_at INTEGER,
        user_count INTEGER NOT NULL DEFAULT 0,
        issue_count INTEGER NOT NULL DEFAULT 0,
        wanted_at INTEGER,
        notes TEXT NOT NULL DEFAULT '[]',
        UNIQUE (appid, call_id)
      ) STRICT;
      CREATE INDEX calls_by_time ON calls (appid, created_ts, id);
      CREATE INDEX calls_by_cname ON calls (appid, cname, created_ts);
      CREATE INDEX calls_with_issues ON calls (appid, created_ts, id) WHERE issue_count > 0;
      CREATE INDEX calls_unfinished ON calls (appid, created_ts) WHERE finished = 0;
      CREATE INDEX calls_not_full ON calls (appid, created_ts) WHERE archive <> 'full';

      CREATE TABLE call_users (
        call_rowid INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
        sid TEXT NOT NULL,
        uid INTEGER NOT NULL,
        network TEXT NOT NULL,
        platform TEXT NOT NULL,
        speaker INTEGER NOT NULL,
        sdk_version TEXT NOT NULL,
        device_type TEXT NOT NULL,
        join_ts INTEGER NOT NULL,
        leave_ts INTEGER NOT NULL,
        finished INTEGER NOT NULL,
        PRIMARY KEY (call_rowid, sid)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX call_users_by_platform ON call_users (platform, call_rowid);
      CREATE INDEX call_users_by_uid ON call_users (uid, call_rowid);

      -- One row per (call, session, metric, peer): ts as Float64 and values as Float32 BLOBs.
      CREATE TABLE metric_series (
        call_rowid INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
        sid TEXT NOT NULL,
        mid INTEGER NOT NULL,
        peer_uid INTEGER NOT NULL,
        points INTEGER NOT NULL,
        first_ts INTEGER NOT NULL,
        last_ts INTEGER NOT NULL,
        ts BLOB NOT NULL,
        vals BLOB NOT NULL,
        PRIMARY KEY (call_rowid, sid, mid, peer_uid)
      ) STRICT;

      CREATE TABLE quality_issues (
        id INTEGER PRIMARY KEY,
        call_rowid INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        sid TEXT NOT NULL,
        uid INTEGER NOT NULL,
        peer_uid INTEGER NOT NULL,
        mid INTEGER NOT NULL,
        side TEXT NOT NULL,
        from_ts INTEGER NOT NULL,
        to_ts INTEGER NOT NULL,
        peak REAL NOT NULL
      ) STRICT;
      CREATE INDEX quality_issues_by_call ON quality_issues (call_rowid);

      -- rowid = calls.id. Trigram: substrings of CJK names and of ids, case-insensitive.
      CREATE VIRTUAL TABLE call_search USING fts5 (cname, call_id, uids, tokenize = 'trigram');

      CREATE TABLE daily_usage (
        appid TEXT NOT NULL,
        day_ts INTEGER NOT NULL,
        user_count INTEGER,
        session_count INTEGER,
        channel_count INTEGER,
        fetched_at INTEGER NOT NULL,
        PRIMARY KEY (appid, day_ts)
      ) STRICT;

      CREATE TABLE sync_jobs (
        id INTEGER PRIMARY KEY,
        appid TEXT NOT NULL,
        profile TEXT,
        from_ts INTEGER NOT NULL,
        to_ts INTEGER NOT NULL,
        cname TEXT,
        max_details INTEGER,
        state TEXT NOT NULL,
        phase TEXT NOT NULL,
        cursor_ts INTEGER,
        list_floor_ts INTEGER,
        crowded TEXT NOT NULL DEFAULT '[]',
        list_requests INTEGER NOT NULL DEFAULT 0,
        details_requests INTEGER NOT NULL DEFAULT 0,
        usage_requests INTEGER NOT NULL DEFAULT 0,
        done INTEGER NOT NULL DEFAULT 0,
        total INTEGER NOT NULL DEFAULT 0,
        plan TEXT NOT NULL DEFAULT '{}',
        notes TEXT NOT NULL DEFAULT '[]',
        error TEXT,
        resume_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX sync_jobs_open ON sync_jobs (state) WHERE state IN ('running', 'waiting');
    `);
  },
};

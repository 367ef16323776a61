// The feedback outbox: every report the agent files, written before any send, with its delivery
// state. Rows are never deleted by sending; only the agent's discard removes one.

import type { Migration } from './index.ts';

export const m0004FeedbackOutbox: Migration = {
  name: 'feedback-outbox',
  up(db) {
    db.exec(`
      CREATE TABLE feedback_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        -- The profile (account + App ID) the report is filed under; sent with its credentials.
        profile_id TEXT NOT NULL,
        appid TEXT NOT NULL,
        cname TEXT NOT NULL,
        teacher_uid INTEGER NOT NULL,
        action_uid INTEGER,
        ts INTEGER,
        comments TEXT,
        type INTEGER NOT NULL CHECK (type BETWEEN 1 AND 4),
        call_id TEXT,
        status TEXT NOT NULL
          CHECK (status IN ('queued', 'sending', 'sent', 'unconfirmed', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        sent_at INTEGER,
        next_attempt_at INTEGER,
        last_error_code TEXT,
        last_error_message TEXT
      ) STRICT;
      CREATE INDEX feedback_outbox_status ON feedback_outbox (status, next_attempt_at, id);
    `);
  },
};

// An index on the start time alone: a search over every App ID (the CLI's default) sorts by
// start time, which calls_by_time (appid first) cannot serve.

import type { Migration } from './index.ts';

export const m0007CallsByStart: Migration = {
  name: 'calls-by-start',
  up(db) {
    db.exec('CREATE INDEX calls_by_start ON calls (created_ts, id);');
  },
};

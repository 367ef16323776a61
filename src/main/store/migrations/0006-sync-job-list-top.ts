// Sync jobs remember the top of their current listing walk, so a job whose range grew at its end
// (a rerun of "-2h .. now") lists the new part and then carries on from its cursor; and jobs are
// read per profile (the sync panel shows the active profile's only).

import type { Migration } from './index.ts';

export const m0006SyncJobListTop: Migration = {
  name: 'sync-job-list-top',
  up(db) {
    db.exec(`
      ALTER TABLE sync_jobs ADD COLUMN list_top_ts INTEGER;
      CREATE INDEX sync_jobs_by_profile ON sync_jobs (profile, id);
    `);
  },
};

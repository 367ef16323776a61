// The ordered list of schema migrations; a migration's position (1-based) is its user_version.
// Append only: never edit or reorder a migration that has shipped.

import type Database from 'better-sqlite3';
import { m0001Settings } from './0001-settings.ts';
import { m0002ProfilesQuota } from './0002-profiles-quota.ts';
import { m0003Archive } from './0003-archive.ts';
import { m0004FeedbackOutbox } from './0004-feedback-outbox.ts';
import { m0005SyncWatch } from './0005-sync-watch.ts';
import { m0006SyncJobListTop } from './0006-sync-job-list-top.ts';
import { m0007CallsByStart } from './0007-calls-by-start.ts';
import { m0008QuotaLogByEndpoint } from './0008-quota-log-by-endpoint.ts';
import { m0009CompactSeriesTimes } from './0009-compact-series-times.ts';

export interface Migration {
  name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  m0001Settings,
  m0002ProfilesQuota,
  m0003Archive,
  m0004FeedbackOutbox,
  m0005SyncWatch,
  m0006SyncJobListTop,
  m0007CallsByStart,
  m0008QuotaLogByEndpoint,
  m0009CompactSeriesTimes,
];

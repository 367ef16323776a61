// The store module's public surface: opening the database and the per-table stores.

export { openDatabase, migrate, type Db } from './database.ts';
export { createSettingsStore, type SettingsStore } from './settings-store.ts';
export { createProfileStore, type ProfileStore, type ProfileRecord } from './profile-store.ts';
export { createQuotaLogStore, type QuotaLogStore, type QuotaLogEntry } from './quota-log-store.ts';
export {
  createCallArchiveStore,
  type CallArchiveStore,
  type DetailsCandidate,
  type DetailsWrite,
} from './call-archive-store.ts';
export { createCallSearch, type CallSearch } from './call-search.ts';
export { createUsageStore, type UsageStore, type UsageDayWrite } from './usage-store.ts';
export {
  createSyncJobStore,
  type SyncJobStore,
  type SyncJobRecord,
  type CrowdedSecond,
} from './sync-job-store.ts';
export {
  createFeedbackOutboxStore,
  type FeedbackOutboxStore,
  type ErrorNote,
} from './feedback-outbox-store.ts';
export { createSyncWatchStore, type SyncWatchStore, type WatchRecord } from './sync-watch-store.ts';

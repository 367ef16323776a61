// The sync module's public surface: the engine that fetches time ranges into the archive.

export {
  createSyncEngine,
  type SyncEngine,
  type SyncEngineOptions,
  type StartSyncArgs,
  type EngineWatch,
} from './sync-engine.ts';
export { LOOKBACK_MARGIN_SEC } from './call-enumerator.ts';
export { createSyncService, type SyncService, type SyncServiceDeps } from './sync-service.ts';
export {
  createSyncWatch,
  maxWatchHours,
  type SyncWatchDeps,
  type SyncWatchService,
} from './sync-watch.ts';

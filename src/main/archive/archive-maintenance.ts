// archive.stats and archive.prune: what the archive holds (file size, counts, oldest and newest
// call) and removing calls older than a date, then giving the space back. Searching and reading
// calls is call-archive-service.ts's business.

import type { ArchivePruneResult, ArchiveStats } from '../../shared/archive-types.ts';
import {
  createArchiveMaintenanceStore,
  type PruneCounts,
} from '../store/archive-maintenance-store.ts';
import type { Db } from '../store/database.ts';

export interface ArchiveMaintenance {
  stats(args: { appid?: string | undefined }): ArchiveStats;
  prune(args: {
    olderThanTs: number;
    appid?: string | undefined;
    dryRun: boolean;
  }): ArchivePruneResult;
}

export function createArchiveMaintenance(deps: { db: Db }): ArchiveMaintenance {
  const store = createArchiveMaintenanceStore(deps.db);
  return {
    stats({ appid }) {
      return {
        file: deps.db.name,
        bytes: store.fileBytes(),
        appid: appid ?? null,
        ...store.counts(appid),
      };
    },
    prune({ olderThanTs, appid, dryRun }) {
      const scope = { olderThanTs, appid };
      const bytesBefore = store.fileBytes();
      let removed: PruneCounts;
      let compacted = false;
      if (dryRun) removed = store.pruneCounts(scope);
      else {
        removed = store.prune(scope);
        // A full VACUUM rewrites what is left (about 3 s per 500 MiB here, bench/archive-prune);
        // incremental vacuum is hardly faster and would need every file converted first.
        if (removed.calls > 0 || removed.syncJobs > 0) {
          try {
            store.reclaim();
            compacted = true;
          } catch {
            // Another connection (the CLI syncing) kept the file busy. The deletion is
            // committed; SQLite reuses the freed pages, and the next prune compacts.
          }
        }
      }
      return {
        dryRun,
        olderThanTs,
        appid: appid ?? null,
        ...removed,
        bytesBefore,
        bytesAfter: dryRun ? bytesBefore : store.fileBytes(),
        compacted,
      };
    },
  };
}

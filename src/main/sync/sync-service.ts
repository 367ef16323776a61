// The sync.* contract behind one object: one sync engine per profile (built from its connection),
// progress forwarded as events, and jobs left open by a crash or quit resumed at start-up.

import type { SyncJobStatus, SyncStartArgs } from '../../shared/sync-types.ts';
import { AppError } from '../../shared/errors.ts';
import type { ProfileConnection } from '../profiles/index.ts';
import type { Db } from '../store/index.ts';
import { createSyncJobStore } from '../store/sync-job-store.ts';
import type { SyncWatchStore } from '../store/sync-watch-store.ts';
import { jobStatus } from './sync-job-status.ts';
import type { Timers } from '../core/timers.ts';
import { createSyncEngine, type SyncEngine } from './sync-engine.ts';
import { engineWatchOf } from './sync-watch.ts';

export interface SyncServiceDeps {
  db: Db;
  /** The connection of a profile (by id or name), or of the active one when undefined. */
  connection(profile: string | undefined): ProfileConnection;
  clock?: () => number;
  timers?: Timers;
  onProgress?: (status: SyncJobStatus) => void;
  /** Profiles' background watches (their channels rank first for details). */
  watches?: SyncWatchStore;
  /** Passed to every engine (tests shorten it). */
  refreshAfterMs?: number;
  /** The active profile's id: sync.status without a job lists its jobs only. */
  activeProfile?: () => string | undefined;
  /** The profile (id) to resume a job with no profile (left by a CLI run) of this App ID. */
  profileForAppid?: (appid: string) => string | undefined;
}

export interface SyncService {
  start(args: SyncStartArgs): SyncJobStatus;
  cancel(jobId: number): SyncJobStatus;
  /** One job, or the active profile's most recent jobs (every job without activeProfile). */
  status(jobId: number | undefined, limit: number): SyncJobStatus[];
  /** The engine of a profile (created on first use). */
  engineFor(profile: string | undefined): SyncEngine;
  /** The latest pass of a profile's watch job, or null before the first. */
  watchJob(profile: string): SyncJobStatus | null;
  /**
   * Resumes every open job whose profile still exists; one without a profile (a CLI run's) with
   * the profile of its App ID, once no process can still be running it.
   */
  resumeOpen(): void;
  /**
   * Forgets a changed or removed profile's engine, so the next sync uses its new client and
   * plan. A job it was running stops without being cancelled: it stays open and resumes when a
   * sync of the same range is started again (or at the next start of the app).
   */
  invalidate(profile: string): void;
  close(): void;
}

export function createSyncService(deps: SyncServiceDeps): SyncService {
  const engines = new Map<string, SyncEngine>();
  const jobs = createSyncJobStore(deps.db);

  function engineFor(profile: string | undefined): SyncEngine {
    const connection = deps.connection(profile);
    const id = connection.profile.id;
    let engine = engines.get(id);
    if (engine === undefined) {
      engine = createSyncEngine({
        db: deps.db,
        client: connection.client,
        appid: connection.profile.appid,
        profile: id,
        plan: connection.plan,
        clock: deps.clock,
        quota: () => connection.limiter.state(),
        onProgress: deps.onProgress,
        timers: deps.timers,
        refreshAfterMs: deps.refreshAfterMs,
        watch: () => engineWatchOf(deps.watches?.get(id)),
      });
      engines.set(id, engine);
    }
    return engine;
  }

  function engineOfJob(jobId: number): SyncEngine {
    const job = jobs.get(jobId);
    if (job === undefined) throw new AppError('NOT_FOUND', `There is no sync job ${jobId}.`);
    return engineFor(job.profile ?? undefined);
  }

  return {
    start(args) {
      return engineFor(args.profile).start(args);
    },
    cancel: (jobId) => engineOfJob(jobId).cancel(jobId),
    status(jobId, limit) {
      if (jobId !== undefined) return [engineOfJob(jobId).status(jobId)];
      let list = jobs.recent(limit);
      if (deps.activeProfile !== undefined) {
        const active = deps.activeProfile();
        list = active === undefined ? [] : jobs.recentOfProfile(active, limit);
      }
      return list.map((j) => {
        const engine = j.profile === null ? undefined : engines.get(j.profile);
        return engine !== undefined ? engine.status(j.id) : jobStatus(j, null);
      });
    },
    engineFor,
    watchJob(profile) {
      const connection = deps.connection(profile);
      const job = jobs.latestWatch(connection.profile.appid, connection.profile.id);
      if (job === undefined) return null;
      return engines.get(connection.profile.id)?.status(job.id) ?? jobStatus(job, null);
    },
    resumeOpen() {
      const resumed = new Set<string>();
      for (const job of jobs.open()) {
        const owner = job.profile ?? deps.profileForAppid?.(job.appid);
        if (owner === undefined || resumed.has(owner)) continue;
        resumed.add(owner);
        try {
          engineFor(owner).resumeOpen();
        } catch {
          // The profile was removed or cannot connect: the job stays open until it can.
        }
      }
    },
    invalidate(profile) {
      engines.get(profile)?.close();
      engines.delete(profile);
    },
    close() {
      for (const engine of engines.values()) engine.close();
      engines.clear();
    },
  };
}

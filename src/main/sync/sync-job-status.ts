// Turns a persisted sync job into the status the contract reports (sync.status, sync.progress).

import type { SyncJobStatus } from '../../shared/sync-types.ts';
import type { SyncJobRecord } from '../store/sync-job-store.ts';

export function jobStatus(job: SyncJobRecord, etaMs: number | null): SyncJobStatus {
  return {
    jobId: job.id,
    appid: job.appid,
    profile: job.profile,
    fromTs: job.fromTs,
    toTs: job.toTs,
    cname: job.cname,
    origin: job.origin,
    state: job.state,
    phase: job.phase,
    done: job.done,
    total: job.total,
    requests: { list: job.listRequests, details: job.detailsRequests, usage: job.usageRequests },
    plan: { ...job.plan },
    etaMs,
    resumeAtMs: job.resumeAtMs,
    notes: [...job.notes],
    error: job.error,
    createdAtMs: job.createdAtMs,
    updatedAtMs: job.updatedAtMs,
  };
}

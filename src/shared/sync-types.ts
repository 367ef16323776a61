// Domain types of sync jobs (fetching a time range into the archive): their arguments, their state
// and the progress event. Times are Unix seconds unless a name ends in Ms.

import { z } from 'zod';
import type { SyncNote } from './sync-notes.ts';

export const SYNC_STATES = ['running', 'waiting', 'done', 'cancelled', 'failed'] as const;
/**
 * running: working now; waiting: paused until resumeAtMs (quota, or unfinished calls to refresh);
 * done / cancelled / failed: ended (committed data stays either way).
 */
export type SyncState = (typeof SYNC_STATES)[number];

export const SYNC_PHASES = ['listing', 'usage', 'details', 'done'] as const;
export type SyncPhase = (typeof SYNC_PHASES)[number];

export interface SyncPlan {
  /** Calls in range the archive knows (listed), and of them how many are archived in full. */
  callsListed: number;
  callsFull: number;
  /** Details requests the remaining calls need, and how many this job may spend. */
  detailsRequestsNeeded: number;
  detailsRequestsAllowed: number;
  /** Calls that will stay listed-only when this job ends (budget or lookback). */
  callsLeftListedOnly: number;
}

export interface SyncJobStatus {
  jobId: number;
  appid: string;
  profile: string | null;
  fromTs: number;
  toTs: number;
  cname: string | null;
  state: SyncState;
  phase: SyncPhase;
  /** Steps done and total of the current phase (requests for listing, calls for details). */
  done: number;
  total: number;
  requests: { list: number; details: number; usage: number };
  plan: SyncPlan;
  /** Unix ms when the job is expected to finish at the quota's pace, or null if unknown. */
  etaMs: number | null;
  /** Unix ms when a waiting job resumes. */
  resumeAtMs: number | null;
  /** Remarks (ranges served from cache only, crowded seconds, calls left listed-only), as codes. */
  notes: SyncNote[];
  error: { code: string; message: string } | null;
  createdAtMs: number;
  updatedAtMs: number;
}

const unixSec = z.number().int().min(0).max(4_102_444_800);

export const SyncStartSchema = z
  .object({
    /** Profile whose credentials and appid to use; default the active profile. */
    profile: z.string().min(1).max(200).optional(),
    fromTs: unixSec,
    toTs: unixSec,
    cname: z.string().min(1).max(500).optional(),
    /** Cap on details requests this job may spend (default: what the quota allows). */
    maxDetailsRequests: z.number().int().min(0).max(1_000_000).optional(),
  })
  .strict()
  .refine((v) => v.toTs > v.fromTs, { message: 'toTs must be after fromTs', path: ['toTs'] });
export type SyncStartArgs = z.output<typeof SyncStartSchema>;

export const SyncJobRefSchema = z.object({ jobId: z.number().int().min(1) }).strict();

export const SyncStatusSchema = z
  .object({
    jobId: z.number().int().min(1).optional(),
    /** Most recent jobs first; default 20. */
    limit: z.number().int().min(1).max(200).default(20),
  })
  .strict();

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

/** manual: a range someone asked for (sync.start, the CLI); watch: a profile's rolling watch job. */
export type SyncJobOrigin = 'manual' | 'watch';

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
  origin: SyncJobOrigin;
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

/**
 * A profile's background watch: while enabled, the app keeps the last `lookbackHours` synced on
 * its own (one rolling job, background priority, leaving the interactive reserve), and fetches
 * the details of calls in `channels` before the rest.
 */
export interface SyncWatch {
  profile: string;
  enabled: boolean;
  lookbackHours: number;
  channels: string[];
  /** The longest look-back the profile's plan serves (its call list lookback), in hours. */
  maxLookbackHours: number;
  /** The watch's rolling job (its latest pass), or null before the first. */
  job: SyncJobStatus | null;
}

const watchProfile = z.string().min(1).max(200);
/** The schema's bound; the profile's plan bounds the look-back further (maxLookbackHours). */
export const WATCH_MAX_HOURS = 100_000;

export const SyncWatchGetSchema = z
  .object({
    /** Default the active profile. */
    profile: watchProfile.optional(),
  })
  .strict();

export const SyncWatchSetSchema = z
  .object({
    profile: watchProfile.optional(),
    enabled: z.boolean(),
    /** At most the plan's lookback (checked against the profile's plan). */
    lookbackHours: z.number().int().min(1).max(WATCH_MAX_HOURS),
    /** Channel names (exact); blanks and repeats are dropped. */
    channels: z.array(z.string().max(500)).max(500).default([]),
  })
  .strict();
export type SyncWatchSetArgs = z.output<typeof SyncWatchSetSchema>;

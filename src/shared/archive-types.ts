// Domain types of the offline archive (calls, users, metric series, quality issues, daily usage)
// and the argument schemas of the contract methods that read it. Times are Unix seconds unless
// a name ends in Ms.

import { z } from 'zod';
import type { SyncNote } from './sync-notes.ts';

/** How much of a call the archive holds: listed only, details of a running call, or all of it. */
export type ArchiveState = 'listed' | 'partial' | 'full';

export interface CallSummary {
  appid: string;
  callId: string;
  cname: string;
  createdTs: number;
  /** 0 while the call runs (as the API reports it). */
  destroyedTs: number;
  finished: boolean;
  archive: ArchiveState;
  /** Distinct uids seen in the details (0 while listed only). */
  userCount: number;
  issueCount: number;
  /** Unix ms of the last list answer that showed this call. */
  listedAtMs: number;
  /** Unix ms of the last details fetch, or null. */
  detailsAtMs: number | null;
}

export interface CallUser {
  sid: string;
  uid: number;
  network: string;
  platform: string;
  speaker: boolean;
  sdkVersion: string;
  deviceType: string;
  joinTs: number;
  /** 0 while the user is still in the call. */
  leaveTs: number;
  finished: boolean;
}

/** One metric of one session, columnar: ts (Unix seconds) and values, equal lengths. */
export interface MetricSeries {
  sid: string;
  mid: number;
  /** 0: the user's own figure; otherwise as seen from that peer (a sender's uid). */
  peerUid: number;
  ts: Float64Array;
  values: Float32Array;
}

export type IssueKind =
  'uplinkLoss' | 'endToEndLoss' | 'videoFreeze' | 'audioFreeze' | 'highCpu' | 'lowReceiveFps';

/**
 * Which side of the call a problem lies on: the sender's uplink (sender to server), the
 * receiver's downlink (server to receiver, the sender's uplink being fine), the user's own device
 * (CPU), or unknown (the sender's own figures are not in the archive).
 */
export type IssueSide = 'sender-uplink' | 'receiver-downlink' | 'device' | 'unknown';

export interface QualityIssue {
  kind: IssueKind;
  /** The session and user the figure belongs to. */
  sid: string;
  uid: number;
  /** The sender as seen by this user, or 0 for the user's own figure. */
  peerUid: number;
  mid: number;
  side: IssueSide;
  fromTs: number;
  toTs: number;
  /** Worst value inside the stretch (in the metric's unit). */
  peak: number;
}

export interface CallDetail extends CallSummary {
  users: CallUser[];
  issues: QualityIssue[];
  series: MetricSeries[];
  /** Span the stored details cover, or null while listed only. */
  detailsFromTs: number | null;
  detailsToTs: number | null;
  /** Remarks about gaps (e.g. the API lists at most 10 users per answer), as codes. */
  notes: SyncNote[];
}

export const CALL_SORTS = ['newest', 'oldest'] as const;
export type CallSort = (typeof CALL_SORTS)[number];

const unixSec = z.number().int().min(0).max(4_102_444_800);

export const CallSearchSchema = z
  .object({
    appid: z.string().min(1).max(64).optional(),
    /** Part of a channel name (any length), a call id or a uid. */
    query: z.string().max(200).optional(),
    fromTs: unixSec.optional(),
    toTs: unixSec.optional(),
    finished: z.boolean().optional(),
    /** Exactly this channel name. */
    cname: z.string().min(1).max(200).optional(),
    /** Exactly this call id (a search of one call: a calls export of its row). */
    callId: z.string().min(1).max(64).optional(),
    /** Calls having a user with this uid (known only for calls with details). */
    uid: z.number().int().min(0).max(4_294_967_295).optional(),
    /** Any user of the call on this platform (known only for calls with details). */
    platform: z.string().min(1).max(64).optional(),
    hasIssues: z.boolean().optional(),
    archive: z.enum(['listed', 'partial', 'full']).optional(),
    sort: z.enum(CALL_SORTS).default('newest'),
    limit: z.number().int().min(1).max(500).default(50),
    /** Opaque keyset cursor from a previous page's nextCursor. */
    cursor: z.string().max(100).optional(),
    /**
     * Rows to skip (ignored with a cursor): lets a virtual list jump to any row without walking
     * every page before it. Keyset paging (cursor) stays the cheap way to read on.
     */
    offset: z.number().int().min(0).max(10_000_000).optional(),
  })
  .strict();
export type CallSearchQuery = z.input<typeof CallSearchSchema>;
export type ParsedCallSearchQuery = z.output<typeof CallSearchSchema>;

export interface CallSearchResult {
  calls: CallSummary[];
  /** Matches of the whole query (computed on the first page only; null on later pages). */
  total: number | null;
  nextCursor: string | null;
}

export const CallGetSchema = z
  .object({
    appid: z.string().min(1).max(64).optional(),
    callId: z.string().min(1).max(64),
    /** Also return metric series (default true). */
    series: z.boolean().default(true),
    /** Fetch missing details now (ahead of background sync) when the API still has them. */
    fetch: z.boolean().default(false),
  })
  .strict();

export interface UsageDay {
  appid: string;
  /** 00:00 UTC of the day. */
  dayTs: number;
  userCount: number | null;
  sessionCount: number | null;
  channelCount: number | null;
  fetchedAtMs: number;
}

export const UsageByDaySchema = z
  .object({
    appid: z.string().min(1).max(64).optional(),
    fromTs: unixSec,
    toTs: unixSec,
  })
  .strict();

export const UsageRefreshSchema = z
  .object({
    /** A profile id; default the active profile. */
    profile: z.string().min(1).max(64).optional(),
  })
  .strict();

export interface UsageRefreshResult {
  appid: string;
  /** The UTC days the API can report now (its whole usage lookback, minus the data delay). */
  fromDayTs: number | null;
  toDayTs: number | null;
  /** Of those, days the archive lacked before this refresh. */
  missingDays: number;
  /** Days written by this refresh. */
  daysAdded: number;
  /** Requests sent (0 when nothing was missing or the quota said to wait). */
  requests: number;
  /**
   * Set when days are missing but the usage quota (a few requests a minute / a day) lets the
   * next request go only later: Unix ms, and whether the per-minute or the daily limit decides.
   */
  waitUntilMs: number | null;
  waitReason: 'minute' | 'day' | null;
}

export const ArchiveStatsSchema = z
  .object({
    /** Counts of this appid only; the whole archive when omitted. */
    appid: z.string().min(1).max(64).optional(),
  })
  .strict();

export interface ArchiveStats {
  /** The database file (the archive lives in it). */
  file: string;
  /** Bytes of the database file and its write-ahead log (every appid: it is one file). */
  bytes: number;
  appid: string | null;
  calls: number;
  /** User sessions of calls with details. */
  users: number;
  series: number;
  issues: number;
  /** Start of the oldest and newest call (Unix seconds), or null for an empty archive. */
  oldestTs: number | null;
  newestTs: number | null;
}

export const ArchivePruneSchema = z
  .object({
    /** Calls that started before this go, with their users, series, issues and search rows. */
    olderThanTs: unixSec,
    /** Only this appid's calls; every appid when omitted. */
    appid: z.string().min(1).max(64).optional(),
    /** Count what would go, delete nothing. */
    dryRun: z.boolean().default(false),
  })
  .strict();

export interface ArchivePruneResult {
  dryRun: boolean;
  olderThanTs: number;
  appid: string | null;
  /** Removed (or, on a dry run, that would be removed). */
  calls: number;
  users: number;
  series: number;
  issues: number;
  /** Finished sync jobs whose whole range lay before the date. */
  syncJobs: number;
  bytesBefore: number;
  bytesAfter: number;
  /**
   * Whether the file was compacted after deleting (false on a dry run, when nothing went, or
   * when another process kept the file busy: the freed space is then reused by new data).
   */
  compacted: boolean;
}

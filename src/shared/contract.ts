// The one IPC contract: every method (noun.verb) with its argument schema and result type, and
// every event. Main, preload, the browser host and the renderer's client are derived by walking it.
// Adding a method = one entry here + one handler in main/ipc + UI.

import { z } from 'zod';
import type { ErrorData } from './errors.ts';
import { SettingsPatchSchema, type AppInfo, type Settings } from './app-types.ts';
import {
  ProfileCreateDemoSchema,
  ProfileCreateSchema,
  ProfileIdSchema,
  ProfileSetSecretSchema,
  ProfileTestSchema,
  ProfileUpdateSchema,
  type ConnectionTestResult,
  type Profile,
  type ProfileRemoval,
  type SecretStatus,
} from './profile-types.ts';
import type { QuotaState } from './quota-types.ts';
import {
  ArchivePruneSchema,
  ArchiveStatsSchema,
  CallGetSchema,
  CallSearchSchema,
  UsageByDaySchema,
  UsageRefreshSchema,
  type ArchivePruneResult,
  type ArchiveStats,
  type CallDetail,
  type CallSearchResult,
  type UsageDay,
  type UsageRefreshResult,
} from './archive-types.ts';
import {
  SyncJobRefSchema,
  SyncStartSchema,
  SyncStatusSchema,
  SyncWatchGetSchema,
  SyncWatchSetSchema,
  type SyncJobStatus,
  type SyncWatch,
} from './sync-types.ts';
import {
  ExportIdSchema,
  ExportRequestSchema,
  type ExportProgress,
  type ExportStarted,
} from './export-types.ts';
import {
  FeedbackFormSchema,
  FeedbackIdSchema,
  FeedbackListSchema,
  type FeedbackChanged,
  type FeedbackCounts,
  type FeedbackList,
  type FeedbackReport,
} from './feedback.ts';

interface MethodSpec<A extends z.ZodType, R> {
  args: A;
  /** Phantom: carries the result type only. */
  result: R;
}

function method<A extends z.ZodType>(args: A) {
  return {
    returns: <R>(): MethodSpec<A, R> => ({ args, result: undefined as R }),
  };
}

interface EventSpec<P> {
  /** Phantom: carries the payload type only. */
  payload: P;
}

function event<P>(): EventSpec<P> {
  return { payload: undefined as P };
}

const NoArgs = z.object({}).strict();

export const contract = {
  'app.info': method(NoArgs).returns<AppInfo>(),
  'settings.get': method(NoArgs).returns<Settings>(),
  'settings.set': method(SettingsPatchSchema).returns<Settings>(),
  'profiles.list': method(NoArgs).returns<Profile[]>(),
  'profiles.create': method(ProfileCreateSchema).returns<Profile>(),
  'profiles.update': method(ProfileUpdateSchema).returns<Profile>(),
  'profiles.remove': method(ProfileIdSchema).returns<ProfileRemoval>(),
  'profiles.activate': method(ProfileIdSchema).returns<Profile>(),
  /** Stores the Customer Certificate in main (keychain, or session only); never returned. */
  'profiles.setSecret': method(ProfileSetSecretSchema).returns<SecretStatus>(),
  'profiles.clearSecret': method(ProfileIdSchema).returns<SecretStatus>(),
  'profiles.testConnection': method(ProfileTestSchema).returns<ConnectionTestResult>(),
  /** Creates (once) and activates the demo profile backed by the embedded simulator. */
  'profiles.createDemo': method(ProfileCreateDemoSchema).returns<Profile>(),
  /** The active profile's account quota, or null without an active profile. */
  'quota.state': method(NoArgs).returns<QuotaState | null>(),
  /** Archive search (scoped to the active profile's appid unless one is given). */
  'calls.search': method(CallSearchSchema).returns<CallSearchResult>(),
  /** One call with users, issues and series (typed arrays); fetch: get missing details now. */
  'calls.get': method(CallGetSchema).returns<CallDetail>(),
  'usage.byDay': method(UsageByDaySchema).returns<UsageDay[]>(),
  /**
   * Fetches daily usage the archive lacks for the API's whole usage lookback (one request at
   * most); when the usage quota allows the next request only later, says when (waitUntilMs).
   */
  'usage.refresh': method(UsageRefreshSchema).returns<UsageRefreshResult>(),
  /** Size of the data file and counts of the archive (one appid, or all of it when omitted). */
  'archive.stats': method(ArchiveStatsSchema).returns<ArchiveStats>(),
  /**
   * Deletes calls that started before a date (one appid, or every one when omitted) with all
   * that belongs to them, in one transaction, then reclaims the space; dryRun only counts.
   */
  'archive.prune': method(ArchivePruneSchema).returns<ArchivePruneResult>(),
  /** Starts (or resumes) a sync of a time range; progress comes as sync.progress events. */
  'sync.start': method(SyncStartSchema).returns<SyncJobStatus>(),
  'sync.cancel': method(SyncJobRefSchema).returns<SyncJobStatus>(),
  /** One job, or the most recent jobs. */
  'sync.status': method(SyncStatusSchema).returns<SyncJobStatus[]>(),
  /** A profile's background watch (default the active profile) and its rolling job's last pass. */
  'watch.get': method(SyncWatchGetSchema).returns<SyncWatch>(),
  /**
   * Turns a profile's background watch on or off, or changes its look-back and channels; while
   * on, the app keeps that look-back synced at background priority (progress as sync.progress).
   */
  'watch.set': method(SyncWatchSetSchema).returns<SyncWatch>(),
  /**
   * Starts a CSV export (calls: the search, all pages; report / metrics: one call). target
   * 'file': main asks where to save (null when the agent dismisses the dialog); 'download': the
   * browser host serves it once at downloadPath. Progress comes as export.progress events.
   */
  'export.start': method(ExportRequestSchema).returns<ExportStarted | null>(),
  /** false when no such export runs (finished, or never started). */
  'export.cancel': method(ExportIdSchema).returns<boolean>(),
  /** Files a report: kept in the outbox first, then sent (feedback.changed tells the outcome). */
  'feedback.submit': method(FeedbackFormSchema).returns<FeedbackReport>(),
  'feedback.list': method(FeedbackListSchema).returns<FeedbackList>(),
  /** Sends an unconfirmed or failed report again: the agent's decision, never automatic. */
  'feedback.resend': method(FeedbackIdSchema).returns<FeedbackReport>(),
  /** Drops a report that is not sent (nor being sent). */
  'feedback.discard': method(FeedbackIdSchema).returns<FeedbackCounts>(),
  /** The network is back (an online event): send what waits now instead of after its backoff. */
  'feedback.retryNow': method(NoArgs).returns<FeedbackCounts>(),
};

export const events = {
  'settings.changed': event<Settings>(),
  'profiles.changed': event<Profile[]>(),
  'quota.changed': event<QuotaState>(),
  'sync.progress': event<SyncJobStatus>(),
  'export.progress': event<ExportProgress>(),
  /** Any outbox change, with the counts the status bar shows. */
  'feedback.changed': event<FeedbackChanged>(),
};

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type EventName = keyof typeof events;
/** What a caller passes (defaults may be omitted). */
export type ArgsOf<M extends MethodName> = z.input<Contract[M]['args']>;
/** What a handler receives, after validation and defaults. */
export type ParsedArgsOf<M extends MethodName> = z.output<Contract[M]['args']>;
export type ResultOf<M extends MethodName> = Contract[M]['result'];
export type PayloadOf<E extends EventName> = (typeof events)[E]['payload'];

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorData };

export const METHOD_NAMES = Object.keys(contract) as MethodName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.hasOwn(contract, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value);
}

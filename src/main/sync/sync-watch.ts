// The background watch of each profile: its setting (watch.get / watch.set, the look-back checked
// against the profile's plan) and a scheduler on the injected timers that keeps one rolling
// background job going per enabled profile. The passes themselves are the sync engine's.

import { AppError } from '../../shared/errors.ts';
import type { PlanLimits } from '../../shared/api-limits.ts';
import { WATCH_MAX_HOURS, type SyncWatch, type SyncWatchSetArgs } from '../../shared/sync-types.ts';
import type { Timers } from '../core/timers.ts';
import type { SyncWatchStore, WatchRecord } from '../store/sync-watch-store.ts';
import type { EngineWatch } from './sync-engine.ts';
import type { SyncService } from './sync-service.ts';

const HOUR_SEC = 3600;
/** A new watch keeps this much synced unless the plan's lookback is shorter. */
const DEFAULT_WATCH_HOURS = 24;

export interface SyncWatchDeps {
  store: SyncWatchStore;
  sync: SyncService;
  /** The profile (its id, by id or name; the active one when undefined) and its plan. */
  profileOf(profile: string | undefined): { id: string; plan: PlanLimits };
  clock?: () => number;
  timers: Timers;
  /** How often every enabled watch is checked (ended or failed passes restarted). Default 10 min. */
  checkEveryMs?: number;
}

export interface SyncWatchService {
  get(profile: string | undefined): SyncWatch;
  set(args: SyncWatchSetArgs): SyncWatch;
  /** Checks every watch now, then every checkEveryMs. */
  start(): void;
  /** Checks one profile's watch now (its setting or its connection changed). */
  refresh(profile: string): void;
  close(): void;
}

/** The longest look-back a plan serves for a watch, in hours. */
export function maxWatchHours(plan: PlanLimits): number {
  const sec = plan.endpoints.callLists.lookbackSec;
  return sec === null ? WATCH_MAX_HOURS : Math.max(1, Math.floor(sec / HOUR_SEC));
}

/** What the engine of a profile runs for its watch (null while off). */
export function engineWatchOf(record: WatchRecord | undefined): EngineWatch | null {
  if (record === undefined || !record.enabled) return null;
  return { lookbackSec: record.lookbackHours * HOUR_SEC, channels: record.channels };
}

function cleanChannels(channels: readonly string[]): string[] {
  return [...new Set(channels.map((c) => c.trim()).filter((c) => c !== ''))];
}

export function createSyncWatch(deps: SyncWatchDeps): SyncWatchService {
  const clock = deps.clock ?? Date.now;
  const checkEveryMs = deps.checkEveryMs ?? 10 * 60_000;
  let timer: unknown;
  let closed = false;

  function check(profile: string): void {
    try {
      deps.sync.engineFor(profile).ensureWatch();
    } catch {
      // The profile was removed or cannot connect now: the next check tries again.
    }
  }

  function checkAll(): void {
    for (const watch of deps.store.list()) check(watch.profile);
  }

  function tick(): void {
    timer = undefined;
    if (closed) return;
    checkAll();
    timer = deps.timers.setTimeout(tick, checkEveryMs);
  }

  function view(id: string, plan: PlanLimits): SyncWatch {
    const max = maxWatchHours(plan);
    const record = deps.store.get(id);
    return {
      profile: id,
      enabled: record?.enabled ?? false,
      lookbackHours: record?.lookbackHours ?? Math.min(DEFAULT_WATCH_HOURS, max),
      channels: record?.channels ?? [],
      maxLookbackHours: max,
      job: deps.sync.watchJob(id),
    };
  }

  return {
    get(profile) {
      const { id, plan } = deps.profileOf(profile);
      return view(id, plan);
    },
    set(args) {
      const { id, plan } = deps.profileOf(args.profile);
      const max = maxWatchHours(plan);
      if (args.lookbackHours > max) {
        throw new AppError(
          'BAD_INPUT',
          `lookbackHours: the API serves calls of the last ${max} hours only on this profile's plan.`,
          { details: { fields: ['lookbackHours'], max } },
        );
      }
      deps.store.set(
        {
          profile: id,
          enabled: args.enabled,
          lookbackHours: args.lookbackHours,
          channels: cleanChannels(args.channels),
        },
        clock(),
      );
      check(id);
      return view(id, plan);
    },
    start() {
      if (closed || timer !== undefined) return;
      tick();
    },
    refresh(profile) {
      if (!closed && deps.store.get(profile) !== undefined) check(profile);
    },
    close() {
      closed = true;
      if (timer !== undefined) deps.timers.clearTimeout(timer);
      timer = undefined;
    },
  };
}

// Keeps the API's usage figures per UTC day (users, sessions, channels) for each appid; a day once
// reported does not change, so it is fetched once and then served from here.

import type { UsageDay } from '../../shared/archive-types.ts';
import type { Db } from './database.ts';

export interface UsageDayWrite {
  dayTs: number;
  userCount?: number | undefined;
  sessionCount?: number | undefined;
  channelCount?: number | undefined;
}

export interface UsageStore {
  write(appid: string, days: readonly UsageDayWrite[], nowMs: number): void;
  read(appid: string | undefined, fromTs: number, toTs: number): UsageDay[];
}

interface UsageRow {
  appid: string;
  day_ts: number;
  user_count: number | null;
  session_count: number | null;
  channel_count: number | null;
  fetched_at: number;
}

export function createUsageStore(db: Db): UsageStore {
  const upsert = db.prepare(
    `INSERT INTO daily_usage (appid, day_ts, user_count, session_count, channel_count, fetched_at)
     VALUES (@appid, @day_ts, @user_count, @session_count, @channel_count, @fetched_at)
     ON CONFLICT (appid, day_ts) DO UPDATE SET
       user_count = COALESCE(excluded.user_count, user_count),
       session_count = COALESCE(excluded.session_count, session_count),
       channel_count = COALESCE(excluded.channel_count, channel_count),
       fetched_at = excluded.fetched_at`,
  );
  const select = db.prepare<[string | null, string | null, number, number], UsageRow>(
    `SELECT * FROM daily_usage WHERE (? IS NULL OR appid = ?) AND day_ts >= ? AND day_ts <= ?
     ORDER BY appid, day_ts`,
  );
  const writeAll = db.transaction(
    (appid: string, days: readonly UsageDayWrite[], nowMs: number) => {
      for (const d of days) {
        upsert.run({
          appid,
          day_ts: d.dayTs,
          user_count: d.userCount ?? null,
          session_count: d.sessionCount ?? null,
          channel_count: d.channelCount ?? null,
          fetched_at: nowMs,
        });
      }
    },
  );
  return {
    write: (appid, days, nowMs) => writeAll(appid, days, nowMs),
    read(appid, fromTs, toTs) {
      const a = appid ?? null;
      return select.all(a, a, fromTs, toTs).map((r) => ({
        appid: r.appid,
        dayTs: r.day_ts,
        userCount: r.user_count,
        sessionCount: r.session_count,
        channelCount: r.channel_count,
        fetchedAtMs: r.fetched_at,
      }));
    },
  };
}

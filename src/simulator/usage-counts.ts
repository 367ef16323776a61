// Usage per UTC day, counted from the same generated calls the other endpoints serve. Knows nothing
// of the usage endpoint's delay or lookback; the endpoint decides which days to show.
//
// For a UTC day D = [dayStart, dayStart + 86400):
// - sessionCount: sessions (joins) whose join_ts lies in D, in every channel, server users included;
// - userCount: distinct (channel, uid) pairs with at least one join in D, so the same uid in two
//   channels counts twice (as the vendor page says) and a reconnect does not count again;
// - channelCount: calls (a channel from its first join until its last leave) with created_ts in D.
// A call that crosses midnight counts as a channel on the day it started; its joins count on the
// days they happened.

import type { SimulatedWorld } from './simulated-world.ts';

export interface DayUsage {
  userCount: number;
  sessionCount: number;
  channelCount: number;
}

export const DAY_SEC = 86400;

export function dayStartOf(unixSec: number): number {
  return Math.floor(unixSec / DAY_SEC) * DAY_SEC;
}

export function countUsage(world: SimulatedWorld, dayStart: number): DayUsage {
  const dayEnd = dayStart + DAY_SEC - 1;
  // Calls that started up to one longest-call before the day can still have joins inside it.
  const calls = world.callsStartedBetween(dayStart - world.catalogue.maxCallSec, dayEnd);
  const users = new Set<string>();
  let sessionCount = 0;
  let channelCount = 0;
  for (const call of calls) {
    if (call.createdTs >= dayStart) channelCount++;
    for (const s of world.plan(call).plan.sessions) {
      if (s.joinTs < dayStart || s.joinTs > dayEnd) continue;
      sessionCount++;
      users.add(`${call.channel.index}:${s.uid}`);
    }
  }
  return { userCount: users.size, sessionCount, channelCount };
}

/** countUsage with a per-world cache (days are immutable once generated). */
export function createUsageCounter(world: SimulatedWorld): (dayStart: number) => DayUsage {
  const cache = new Map<number, DayUsage>();
  return (dayStart) => {
    const hit = cache.get(dayStart);
    if (hit !== undefined) return hit;
    const usage = countUsage(world, dayStart);
    if (cache.size > 64) cache.clear();
    cache.set(dayStart, usage);
    return usage;
  };
}

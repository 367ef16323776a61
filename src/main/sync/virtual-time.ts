// Test helper: a clock and timers that move only when everything else waits (no HTTP request in
// flight, promises settled), so a sync against the simulator on loopback runs through hours of
// quota pacing and resume timers in moments, the same way every run. Used by tests only.

import type { Timers } from '../core/timers.ts';

export interface VirtualTime {
  clock: () => number;
  timers: Timers;
  /** fetch for the API client: counts requests in flight and reads each body before answering. */
  fetch: typeof globalThis.fetch;
  /** Moves the clock forward at once, firing nothing (timers due by then fire on the next run). */
  jump(ms: number): void;
  /** Fires timers in order (moving the clock to each) until `done()` holds. */
  runUntil(done: () => boolean, what?: string): Promise<void>;
  /** Runs until the promise settles, and answers it. */
  run<T>(promise: Promise<T>, what?: string): Promise<T>;
  /** Fires the timers due in the next `ms`, then sets the clock to the end of that span. */
  advance(ms: number): Promise<void>;
  /** Waits until no request is in flight and no promise moves. */
  settle(): Promise<void>;
}

/** A fixed start (not the wall clock), so a test's data are the same on every run. */
export const VIRTUAL_START_MS = Date.UTC(2026, 2, 10, 9, 30);

export function createVirtualTime(startMs = VIRTUAL_START_MS): VirtualTime {
  let now = startMs;
  let seq = 0;
  let inFlight = 0;
  const pending = new Map<number, { at: number; seq: number; callback: () => void }>();

  const timers: Timers = {
    setTimeout(callback, ms) {
      const id = ++seq;
      pending.set(id, { at: now + Math.max(0, ms), seq: id, callback });
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };

  const fetchCounted: typeof globalThis.fetch = async (input, init) => {
    inFlight++;
    try {
      const response = await globalThis.fetch(input, init);
      const body = await response.arrayBuffer();
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } finally {
      inFlight--;
    }
  };

  const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  const realPause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

  async function settle(): Promise<void> {
    let quiet = 0;
    while (quiet < 4) {
      await turn();
      if (inFlight > 0) {
        quiet = 0;
        await realPause();
      } else {
        quiet++;
      }
    }
  }

  function fireNext(limit = Infinity): boolean {
    let next: [number, { at: number; seq: number; callback: () => void }] | undefined;
    for (const entry of pending) {
      const t = entry[1];
      if (t.at > limit) continue;
      if (next === undefined || t.at < next[1].at || (t.at === next[1].at && t.seq < next[1].seq)) {
        next = entry;
      }
    }
    if (next === undefined) return false;
    pending.delete(next[0]);
    now = Math.max(now, next[1].at);
    next[1].callback();
    return true;
  }

  async function runUntil(done: () => boolean, what = 'the condition'): Promise<void> {
    for (let step = 0; step < 1_000_000; step++) {
      await settle();
      if (done()) return;
      if (!fireNext()) {
        throw new Error(`Virtual time stalled before ${what}: nothing is scheduled.`);
      }
    }
    throw new Error(`Virtual time ran a million timers without ${what}.`);
  }

  return {
    clock: () => now,
    timers,
    fetch: fetchCounted,
    jump(ms) {
      now += ms;
    },
    runUntil,
    async run(promise, what = 'the promise settled') {
      let settled = false;
      const watched = promise.finally(() => {
        settled = true;
      });
      // The outcome is read below; this only stops an early rejection from counting as unhandled.
      watched.catch(() => {});
      await runUntil(() => settled, what);
      return watched;
    },
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        await settle();
        if (!fireNext(target)) break;
      }
      now = Math.max(now, target);
      await settle();
    },
    settle,
  };
}

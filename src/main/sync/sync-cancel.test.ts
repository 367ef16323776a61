import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncJobStatus } from '../../shared/sync-types.ts';
import { archiveProblems } from '../store/archive-invariants.ts';
import { createCallArchiveStore, createSyncJobStore } from '../store/index.ts';
import { createSyncEngine, type SyncEngine } from './sync-engine.ts';
import { startSimulatedApiInVirtualTime, type SimulatedApi } from './sync-test-fixture.ts';
import { createVirtualTime, type VirtualTime } from './virtual-time.ts';

const HOUR = 3600;
const MIN_MS = 60_000;

describe('cancelling sync jobs, in virtual time', () => {
  let vt: VirtualTime;
  let api: SimulatedApi;
  let engine: SyncEngine;

  beforeEach(async () => {
    vt = createVirtualTime();
    api = await startSimulatedApiInVirtualTime(vt, { seed: 'sync-cancel', callsPerDay: 800 });
  });
  afterEach(async () => {
    engine.close();
    await api.close();
  });

  function engineWith(onProgress: (status: SyncJobStatus) => void, timers = false): SyncEngine {
    return createSyncEngine({
      db: api.db,
      client: api.client,
      appid: api.sim.appid,
      plan: api.plan,
      clock: vt.clock,
      quota: () => api.limiter.state(),
      onProgress,
      ...(timers ? { timers: vt.timers } : {}),
    });
  }

  const nowSec = () => Math.floor(vt.clock() / 1000);
  /** Requests that reached the API (the simulator's count). */
  const received = () => {
    const e = api.sim.stats().endpoints;
    const n = (x: typeof e.callLists) =>
      x.accepted + Object.values(x.rejected).reduce((a, b) => a + b, 0);
    return { list: n(e.callLists), details: n(e.callDetails) };
  };
  const listedIds = () => api.db.prepare('SELECT call_id FROM calls').pluck().all() as string[];

  it('cancels while listing: what was listed stays, nothing more is asked', async () => {
    let listedAtCancel: string[] = [];
    engine = engineWith((s) => {
      if (s.state === 'running' && s.requests.list === 3 && listedAtCancel.length === 0) {
        listedAtCancel = listedIds();
        engine.cancel(s.jobId);
      }
    });
    const started = engine.start({ fromTs: nowSec() - 20 * HOUR, toTs: nowSec() - HOUR });
    const status = await vt.run(engine.settled(started.jobId));

    expect(status.state).toBe('cancelled');
    expect(status.requests.list).toBe(3);
    expect(listedAtCancel.length).toBeGreaterThan(0);
    expect(listedIds().sort()).toEqual([...listedAtCancel].sort());
    await vt.advance(60 * MIN_MS);
    expect(received()).toEqual({ list: 3, details: 0 });
    expect(createSyncJobStore(api.db).get(started.jobId)?.state).toBe('cancelled');
    expect(archiveProblems(api.db)).toEqual([]);
  });

  it('cancels while fetching details: archived calls stay whole, the one in flight is not half-written', async () => {
    let fullAtCancel = -1;
    engine = engineWith((s) => {
      if (s.phase === 'details' && s.state === 'running' && s.done === 3 && fullAtCancel < 0) {
        fullAtCancel = s.done;
        engine.cancel(s.jobId);
      }
    });
    const started = engine.start({ fromTs: nowSec() - 8 * HOUR, toTs: nowSec() - 2 * HOUR });
    const status = await vt.run(engine.settled(started.jobId));

    expect(status.state).toBe('cancelled');
    expect(status.phase).toBe('details');
    const asked = received();
    await vt.advance(60 * MIN_MS);
    expect(received()).toEqual(asked);
    const store = createCallArchiveStore(api.db);
    const counts = store.countInRange(api.sim.appid, status.fromTs, status.toTs);
    // The three archived before the cancel, and at most the one the other worker had in hand.
    expect(counts.full).toBeGreaterThanOrEqual(fullAtCancel);
    expect(counts.full).toBeLessThanOrEqual(fullAtCancel + 1);
    expect(counts.listed).toBe(status.plan.callsListed);
    expect(counts.listed).toBeGreaterThan(counts.full);
    expect(archiveProblems(api.db)).toEqual([]);
  });

  it('cancels a waiting job: it never resumes', async () => {
    engine = engineWith(() => {}, true);
    // Up to now: calls still running, so the job waits to look at them again.
    const started = engine.start({
      fromTs: nowSec() - 2 * HOUR,
      toTs: nowSec(),
      maxDetailsRequests: 0,
    });
    const waiting = await vt.run(engine.settled(started.jobId));
    expect(waiting.state).toBe('waiting');
    expect(waiting.resumeAtMs).toBeGreaterThan(vt.clock());
    const asked = received();

    const cancelled = engine.cancel(started.jobId);
    expect(cancelled).toMatchObject({ state: 'cancelled', resumeAtMs: null });
    await vt.advance(waiting.resumeAtMs! - vt.clock() + 60 * MIN_MS);
    expect(received()).toEqual(asked);
    expect(createSyncJobStore(api.db).get(started.jobId)).toMatchObject({
      state: 'cancelled',
      resumeAtMs: null,
    });
    expect(archiveProblems(api.db)).toEqual([]);
  });
});

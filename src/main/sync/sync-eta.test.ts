import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EndpointName } from '../../shared/api-limits.ts';
import type { SyncJobStatus } from '../../shared/sync-types.ts';
import { requestSpacingMs } from './details-queue.ts';
import { createSyncEngine, type SyncEngine } from './sync-engine.ts';
import { startSimulatedApiInVirtualTime, type SimulatedApi } from './sync-test-fixture.ts';
import { createVirtualTime, type VirtualTime } from './virtual-time.ts';

const HOUR = 3600;

describe('sync progress and ETA, in virtual time', () => {
  let vt: VirtualTime;
  let api: SimulatedApi;
  let engine: SyncEngine;

  beforeEach(async () => {
    vt = createVirtualTime();
    api = await startSimulatedApiInVirtualTime(vt, { seed: 'sync-eta', callsPerDay: 800 });
  });
  afterEach(async () => {
    engine.close();
    await api.close();
  });

  it('puts the finish at the plan’s pace after the requests already spent, from the limiter’s next slot', async () => {
    const cap = 6;
    const seen: Array<{ status: SyncJobStatus; leftMs: number }> = [];
    engine = createSyncEngine({
      db: api.db,
      client: api.client,
      appid: api.sim.appid,
      plan: api.plan,
      clock: vt.clock,
      quota: () => api.limiter.state(),
      onProgress: (status) => {
        if (status.state !== 'running' || status.etaMs === null) return;
        // The estimate starts where the limiter lets the next request go.
        const endpoint: EndpointName = status.phase === 'listing' ? 'callLists' : 'callDetails';
        const q = api.limiter.state().endpoints[endpoint];
        const start = Math.max(vt.clock(), q.nextSlotAt ?? 0, q.blockedUntil ?? 0);
        seen.push({ status, leftMs: status.etaMs - start });
      },
    });
    const nowSec = Math.floor(vt.clock() / 1000);
    const started = engine.start({
      fromTs: nowSec - 5 * HOUR,
      toTs: nowSec - 2 * HOUR,
      maxDetailsRequests: cap,
    });
    expect(started.etaMs).toBeNull();
    const status = await vt.run(engine.settled(started.jobId));

    const detailsSpacing = requestSpacingMs(api.plan, 'callDetails');
    const details = seen.filter((s) => s.status.phase === 'details');
    expect(details.length).toBeGreaterThan(cap / 2);
    for (const { status: s, leftMs } of details) {
      expect(leftMs, JSON.stringify(s.requests)).toBe((cap - s.requests.details) * detailsSpacing);
    }
    // The plan says, from the phase's start, what will stay listed-only: the calls not archived
    // in full, less the ones the budget reaches.
    const first = details[0]!.status;
    expect(first.plan.callsLeftListedOnly).toBe(
      first.plan.callsListed - first.plan.callsFull - first.total,
    );
    // While listing, the details still to come are part of the estimate.
    const listing = seen.filter((s) => s.status.phase === 'listing');
    expect(listing.length).toBeGreaterThan(0);
    for (const { leftMs } of listing) expect(leftMs).toBeGreaterThanOrEqual(cap * detailsSpacing);
    // Progress counts the calls the budget reaches, so it ends at its total.
    expect(status.state).toBe('done');
    expect(status.requests.details).toBe(cap);
    expect(status.done).toBe(status.total);
    expect(status.total).toBeLessThanOrEqual(cap);
    expect(status.plan.callsLeftListedOnly).toBeGreaterThan(0);
  });
});

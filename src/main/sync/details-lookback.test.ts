import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CrystalClient } from '../api/crystal-client-types.ts';
import { createCallArchiveStore } from '../store/index.ts';
import { LOOKBACK_MARGIN_SEC } from './call-enumerator.ts';
import { orderForLookback } from './details-queue.ts';
import { createSyncEngine, type SyncEngine } from './sync-engine.ts';
import { startSimulatedApiInVirtualTime, type SimulatedApi } from './sync-test-fixture.ts';
import { createVirtualTime, type VirtualTime } from './virtual-time.ts';
import { BETA_PLAN } from '../../shared/api-limits.ts';
import type { SyncJobStatus } from '../../shared/sync-types.ts';

const HOUR = 3600;
const MIN_MS = 60_000;

describe('details near the lookback edge, in virtual time', () => {
  let vt: VirtualTime;
  let api: SimulatedApi;
  let engine: SyncEngine;
  /** Details requests' call ids, in the order they were asked. */
  let asked: string[];

  function engineWith(onProgress?: (status: SyncJobStatus) => void): SyncEngine {
    const client: CrystalClient = {
      ...api.client,
      getCallDetails: (q, o) => {
        asked.push(q.callId);
        return api.client.getCallDetails(q, o);
      },
    };
    return createSyncEngine({
      db: api.db,
      client,
      appid: api.sim.appid,
      plan: api.plan,
      clock: vt.clock,
      quota: () => api.limiter.state(),
      ...(onProgress ? { onProgress } : {}),
    });
  }

  beforeEach(async () => {
    vt = createVirtualTime();
    asked = [];
    api = await startSimulatedApiInVirtualTime(vt, { seed: 'details-lookback', callsPerDay: 1200 });
  });
  afterEach(async () => {
    engine.close();
    await api.close();
  });

  /** The details lookback edge now, with the margin requests keep from it. */
  const edge = () =>
    Math.floor(vt.clock() / 1000) -
    api.plan.endpoints.callDetails.lookbackSec! +
    LOOKBACK_MARGIN_SEC;

  it('fetches the calls nearest the edge first, so none ages out while the newest are fetched', async () => {
    const fromTs = edge() + 60;
    const toTs = fromTs + 4 * HOUR;
    const finished = api.sim.truth({ startTs: fromTs, endTs: toTs }).filter((c) => c.finished);
    // More requests than the minute before the oldest call ages out allows at the plan's pace.
    const spacingMs = Math.max(
      ...api.plan.endpoints.callDetails.rates.map((r) => r.windowMs / r.limit),
    );
    expect(finished.length * spacingMs).toBeGreaterThan((60 + LOOKBACK_MARGIN_SEC) * 1000);
    engine = engineWith();
    const status = await vt.run(engine.settled(engine.start({ fromTs, toTs }).jobId));

    expect(status.state).toBe('done');
    expect(status.notes.map((n) => n.code)).not.toContain('detailsFailed');
    expect(status.notes.map((n) => n.code)).not.toContain('detailsAgedOut');
    const store = createCallArchiveStore(api.db);
    const crowded = new Set(
      status.notes.flatMap((n) => (n.code === 'crowdedSecond' ? [n.params.atTs] : [])),
    );
    for (const c of finished) {
      const archive = store.getCall(api.sim.appid, c.call_id, false)?.archive;
      // Only a call starting in a crowded second (reported) can be missing from the listing.
      if (archive === undefined) expect(crowded.has(c.created_ts), c.call_id).toBe(true);
      else expect(archive, c.call_id).toBe('full');
    }
    expect(store.countInRange(api.sim.appid, fromTs, toTs)).toMatchObject({
      listed: status.plan.callsListed,
      full: status.plan.callsListed,
    });
    // The oldest calls went first: they were the ones the edge was about to reach.
    const oldest = [...finished].sort((a, b) => a.created_ts - b.created_ts)[0]!;
    expect(asked[0]).toBe(oldest.call_id);
  });

  it('notes calls that aged out before their turn, and fails nothing for them', async () => {
    const fromTs = edge() + 30;
    const toTs = fromTs + 2 * HOUR;
    // The clock jumps 20 minutes once the first call is archived (a laptop asleep, a long
    // wait): calls that ended in the first 20 minutes of the range are beyond the lookback then.
    let jumped = false;
    engine = engineWith((s) => {
      if (!jumped && s.phase === 'details' && s.done === 1) {
        jumped = true;
        vt.jump(20 * MIN_MS);
      }
    });
    const status = await vt.run(engine.settled(engine.start({ fromTs, toTs }).jobId));

    expect(status.state).toBe('done');
    expect(status.error).toBeNull();
    const codes = status.notes.map((n) => n.code);
    expect(codes).not.toContain('detailsFailed');
    const store = createCallArchiveStore(api.db);
    const calls = api.sim
      .truth({ startTs: fromTs, endTs: toTs })
      .filter((c) => c.finished)
      .map((c) => ({ truth: c, archived: store.getCall(api.sim.appid, c.call_id, false)! }));
    const newEdge = edge();
    const gone = calls.filter((c) => c.truth.destroyed_ts < newEdge);
    const cut = calls.filter(
      (c) => c.truth.created_ts < newEdge && c.truth.destroyed_ts >= newEdge,
    );
    // Those fetched before the jump are complete; the rest of them aged out and are noted.
    const agedOut = gone.filter((c) => c.archived.archive !== 'full');
    expect(agedOut.length).toBeGreaterThan(0);
    expect(agedOut.every((c) => c.archived.archive === 'listed')).toBe(true);
    expect(status.notes.find((n) => n.code === 'detailsAgedOut')?.params).toEqual({
      count: agedOut.length,
    });
    // A call the edge cut is kept from the edge on, and never counts as complete.
    const cutLater = cut.filter((c) => c.archived.archive !== 'full');
    expect(cutLater.every((c) => c.archived.archive === 'partial')).toBe(true);
    const rest = calls.filter((c) => c.truth.created_ts >= newEdge);
    expect(rest.every((c) => c.archived.archive === 'full')).toBe(true);
  });
});

describe('a call cut at the lookback edge, in virtual time', () => {
  it('is kept from the edge on as partial, and never counted full by a later fetch', async () => {
    const vt = createVirtualTime();
    const api = await startSimulatedApiInVirtualTime(vt, { seed: 'details-cut', callsPerDay: 800 });
    let asked = 0;
    const client: CrystalClient = {
      ...api.client,
      getCallDetails: (q, o) => (asked++, api.client.getCallDetails(q, o)),
    };
    const engine = createSyncEngine({
      db: api.db,
      client,
      appid: api.sim.appid,
      plan: api.plan,
      clock: vt.clock,
    });
    try {
      const lookback = api.plan.endpoints.callDetails.lookbackSec!;
      const nowSec = () => Math.floor(vt.clock() / 1000);
      const fromTs = nowSec() - lookback + 2 * HOUR;
      const toTs = fromTs + 6 * HOUR;
      // Listed while it was well inside the lookback, its details not fetched then.
      await vt.run(engine.settled(engine.start({ fromTs, toTs, maxDetailsRequests: 0 }).jobId));
      const long = api.sim
        .truth({ startTs: fromTs, endTs: toTs })
        .find((c) => c.finished && c.destroyed_ts - c.created_ts > HOUR);
      expect(long).toBeDefined();
      // Later, the edge has passed its first half hour.
      vt.jump((long!.created_ts + 1800 - (nowSec() - lookback + LOOKBACK_MARGIN_SEC)) * 1000);
      const first = await vt.run(engine.fetchCall(long!.call_id));
      expect(first.archive).toBe('partial');
      expect(first.detailsFromTs).toBeGreaterThan(long!.created_ts);
      expect(first.detailsToTs).toBe(long!.destroyed_ts);
      // Fetched again: nothing more can come, so nothing is asked, and it stays partial.
      const before = asked;
      const again = await vt.run(engine.fetchCall(long!.call_id));
      expect(asked).toBe(before);
      expect(again.archive).toBe('partial');
    } finally {
      engine.close();
      await api.close();
    }
  });
});

describe('details queue order', () => {
  const plan = BETA_PLAN;
  const lookback = plan.endpoints.callDetails.lookbackSec!;
  const nowMs = Date.UTC(2026, 2, 10, 12);
  const nowSec = nowMs / 1000;
  const item = (id: string, fromTs: number, hours = 1) => ({
    id,
    span: { fromTs, toTs: fromTs + hours * HOUR },
  });

  it('keeps priority order when nothing would age out before its turn', () => {
    const queue = [item('a', nowSec - HOUR), item('b', nowSec - 2 * HOUR)];
    expect(orderForLookback(queue, plan, nowMs, 100).map((i) => i.id)).toEqual(['a', 'b']);
  });

  it('moves the calls the edge reaches during the phase first, nearest the edge first', () => {
    const edge = nowSec - lookback + LOOKBACK_MARGIN_SEC;
    const queue = [
      item('new', nowSec - HOUR),
      item('near-edge-2', edge + 2),
      item('mid', nowSec - 30 * HOUR),
      item('near-edge-1', edge + 1),
    ];
    expect(orderForLookback(queue, plan, nowMs, 100).map((i) => i.id)).toEqual([
      'near-edge-1',
      'near-edge-2',
      'new',
      'mid',
    ]);
    // A call beyond the budget stays where it was: which calls get details does not change.
    expect(orderForLookback(queue, plan, nowMs, 2).map((i) => i.id)).toEqual([
      'near-edge-2',
      'new',
      'mid',
      'near-edge-1',
    ]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import type { CrystalClient, RequestPriority } from '../api/crystal-client-types.ts';
import { createAppCore } from '../core/app-core.ts';
import type { ProfileRecord } from '../store/index.ts';
import {
  createCallArchiveStore,
  createSyncJobStore,
  createSyncWatchStore,
} from '../store/index.ts';
import { createSyncService, type SyncService } from './sync-service.ts';
import {
  insertSchoolProfile,
  startSimulatedApiInVirtualTime,
  type SimulatedApi,
} from './sync-test-fixture.ts';
import { createSyncWatch, maxWatchHours, type SyncWatchService } from './sync-watch.ts';
import { createVirtualTime, type VirtualTime } from './virtual-time.ts';

const HOUR = 3600;
const MIN_MS = 60_000;

/** Records the priority of every request and the call of every details request, in order. */
function recording(client: CrystalClient) {
  const priorities: RequestPriority[] = [];
  const detailsCalls: string[] = [];
  const state = { down: false };
  const wrapped: CrystalClient = {
    listCalls: (q, o) => {
      if (state.down) return Promise.reject(new AppError('NETWORK', 'The network is down.'));
      priorities.push(o?.priority ?? 'interactive');
      return client.listCalls(q, o);
    },
    getCallDetails: (q, o) => {
      priorities.push(o?.priority ?? 'interactive');
      detailsCalls.push(q.callId);
      return client.getCallDetails(q, o);
    },
    usageByTime: (q, o) => (
      priorities.push(o?.priority ?? 'interactive'),
      client.usageByTime(q, o)
    ),
    reportFeedback: (b, o) => client.reportFeedback(b, o),
  };
  return { client: wrapped, priorities, detailsCalls, state };
}

describe('background watch against the simulator, in virtual time', () => {
  let vt: VirtualTime;
  let api: SimulatedApi;
  let record: ProfileRecord;
  let rec: ReturnType<typeof recording>;
  let sync: SyncService;
  let watch: SyncWatchService;

  function startServices(): void {
    sync = createSyncService({
      db: api.db,
      connection: () => ({
        profile: record,
        client: rec.client,
        limiter: api.limiter,
        plan: api.plan,
      }),
      clock: vt.clock,
      timers: vt.timers,
      watches: createSyncWatchStore(api.db),
    });
    watch = createSyncWatch({
      store: createSyncWatchStore(api.db),
      sync,
      profileOf: () => ({ id: record.id, plan: api.plan }),
      clock: vt.clock,
      timers: vt.timers,
    });
  }

  beforeEach(async () => {
    vt = createVirtualTime();
    api = await startSimulatedApiInVirtualTime(vt, { seed: 'sync-watch', callsPerDay: 400 });
    record = insertSchoolProfile(api);
    rec = recording(api.client);
    startServices();
  });
  afterEach(async () => {
    watch.close();
    sync.close();
    await api.close();
  });

  const watchJob = () => sync.watchJob(record.id);

  it('keeps the look-back synced at background priority, watched channels first, rolling on with the clock', async () => {
    const nowSec = Math.floor(vt.clock() / 1000);
    const truth = api.sim.truth({ startTs: nowSec - 3 * HOUR, endTs: nowSec });
    const delay = api.plan.endpoints.callDetails.dataDelaySec;
    const fetchable = truth.filter((c) => c.finished && c.created_ts + delay <= nowSec);
    // Two channels with several finished calls, neither the busiest (so ranking shows).
    const byChannel = new Map<string, number>();
    for (const c of fetchable) byChannel.set(c.cname, (byChannel.get(c.cname) ?? 0) + 1);
    const channels = [...byChannel.entries()]
      .filter(([, n]) => n >= 2)
      .map(([name]) => name)
      .slice(-2);
    expect(channels).toHaveLength(2);

    expect(watch.get(undefined)).toMatchObject({ enabled: false, job: null });
    const set = watch.set({ profile: record.id, enabled: true, lookbackHours: 3, channels });
    expect(set).toMatchObject({ enabled: true, lookbackHours: 3, channels });
    expect(set.job).toMatchObject({ origin: 'watch', state: 'running' });
    watch.start();
    await vt.runUntil(() => watchJob()?.state === 'waiting', 'the first pass');

    const first = watchJob()!;
    expect(first.phase).toBe('done');
    expect(first.resumeAtMs).toBeGreaterThan(vt.clock());
    const calls = createCallArchiveStore(api.db);
    for (const c of truth) {
      expect(calls.getCall(api.sim.appid, c.call_id, false), c.call_id).toBeDefined();
    }
    // Watched channels' calls were asked for first (the first request of each call, in order).
    const order = [...new Set(rec.detailsCalls)];
    const watchedIds = new Set(
      fetchable.filter((c) => channels.includes(c.cname)).map((c) => c.call_id),
    );
    expect(order.slice(0, watchedIds.size).every((id) => watchedIds.has(id))).toBe(true);
    for (const id of watchedIds)
      expect(calls.getCall(api.sim.appid, id, false)?.archive).toBe('full');
    // Background only: the interactive reserve of the daily quota is untouched.
    expect(new Set(rec.priorities)).toEqual(new Set(['background']));
    const quota = api.limiter.state().endpoints.callDetails;
    expect(quota.used).toBeLessThanOrEqual((quota.limit ?? Infinity) - quota.reserve);
    // The next pass lists only what can have changed since the first, not three hours again.
    await vt.runUntil(() => watchJob()?.state === 'running', 'the second pass');
    await vt.runUntil(() => watchJob()?.state === 'waiting', 'the end of the second pass');
    const second = watchJob()!;
    expect(second.fromTs).toBeGreaterThan(first.fromTs);
    expect(second.requests.list - first.requests.list).toBeLessThan(first.requests.list / 2);

    // An hour on: the same job rolled on with the clock.
    await vt.advance(60 * MIN_MS);
    await vt.runUntil(() => watchJob()?.state === 'waiting', 'the pass in progress');
    const later = watchJob()!;
    expect(later.jobId).toBe(first.jobId);
    const laterSec = Math.floor(vt.clock() / 1000);
    expect(later.toTs).toBeGreaterThan(second.toTs);
    expect(later.toTs - later.fromTs).toBe(3 * HOUR);
    expect(later.toTs).toBeLessThanOrEqual(laterSec);
    const jobs = createSyncJobStore(api.db)
      .recent(50)
      .filter((j) => j.origin === 'watch');
    expect(jobs).toHaveLength(1);
    for (const c of api.sim.truth({ startTs: first.toTs, endTs: later.toTs })) {
      expect(calls.getCall(api.sim.appid, c.call_id, false), c.call_id).toBeDefined();
    }

    // Off: the job stops, and no request follows.
    const off = watch.set({ profile: record.id, enabled: false, lookbackHours: 3, channels });
    expect(off.enabled).toBe(false);
    expect(['cancelled', 'done']).toContain(off.job?.state);
    const sent = rec.priorities.length;
    await vt.advance(60 * MIN_MS);
    expect(rec.priorities.length).toBe(sent);
    expect(watchJob()?.state).not.toBe('running');
  });

  it('resumes an enabled watch after a restart, and restarts a failed pass at the next check', async () => {
    watch.set({ profile: record.id, enabled: true, lookbackHours: 2, channels: [] });
    await vt.runUntil(() => (watchJob()?.requests.list ?? 0) >= 2, 'some listing');
    // The app quits mid-pass: the job stays open.
    watch.close();
    sync.close();
    const jobId = watchJob()!.jobId;
    expect(createSyncJobStore(api.db).get(jobId)?.state).toBe('running');

    startServices();
    watch.start();
    await vt.runUntil(() => watchJob()?.state === 'waiting', 'the resumed pass');
    expect(watchJob()?.jobId).toBe(jobId);

    // A pass that fails (the network is down when it rolls on) is tried again at the next check.
    rec.state.down = true;
    await vt.runUntil(() => watchJob()?.state === 'failed', 'a failed pass');
    rec.state.down = false;
    await vt.runUntil(() => watchJob()?.state === 'running', 'the next check');
    await vt.runUntil(() => watchJob()?.state === 'waiting', 'the restarted pass');
    expect(watchJob()).toMatchObject({ jobId, error: null });
  });

  it('refuses a look-back longer than the plan serves, naming the field', () => {
    const max = maxWatchHours(api.plan);
    expect(max).toBe(api.plan.endpoints.callLists.lookbackSec! / HOUR);
    let error: unknown;
    try {
      watch.set({ profile: record.id, enabled: true, lookbackHours: max + 1, channels: [] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'BAD_INPUT', details: { fields: ['lookbackHours'] } });
    expect(watch.get(record.id).enabled).toBe(false);
  });
});

describe('watch.get / watch.set through the contract', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crystal-desk-watch-app-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('needs a profile, then keeps the active profile’s watch with channels cleaned', async () => {
    const core = createAppCore({ dataDir: dir, host: 'test' });
    try {
      expect(await core.dispatcher.invoke('watch.get', {})).toMatchObject({
        ok: false,
        error: { code: 'AUTH_MISSING' },
      });
      await core.dispatcher.invoke('profiles.createDemo', {});
      const got = await core.dispatcher.invoke('watch.get', {});
      expect(got).toMatchObject({ ok: true, value: { enabled: false, channels: [], job: null } });
      const bad = await core.dispatcher.invoke('watch.set', { enabled: true, lookbackHours: 0 });
      expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
      const saved = await core.dispatcher.invoke('watch.set', {
        enabled: false,
        lookbackHours: 12,
        channels: [' math-101 ', '', 'math-101', '英语口语'],
      });
      expect(saved).toMatchObject({
        ok: true,
        value: { enabled: false, lookbackHours: 12, channels: ['math-101', '英语口语'] },
      });
    } finally {
      core.close();
    }
  });
});

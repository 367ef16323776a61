import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import type { SyncJobStatus } from '../../shared/sync-types.ts';
import type { CrystalClient } from '../api/crystal-client-types.ts';
import {
  createCallArchiveStore,
  createProfileStore,
  createSyncJobStore,
  type ProfileRecord,
} from '../store/index.ts';
import { createSyncEngine, type SyncEngine } from './sync-engine.ts';
import { createSyncService, type SyncService } from './sync-service.ts';
import {
  insertSchoolProfile,
  startSimulatedApiInVirtualTime,
  type SimulatedApi,
} from './sync-test-fixture.ts';
import { createVirtualTime, type VirtualTime } from './virtual-time.ts';

const HOUR = 3600;
const MIN_MS = 60_000;

describe('resuming sync jobs, in virtual time', () => {
  let vt: VirtualTime;
  let api: SimulatedApi;
  let record: ProfileRecord;
  /** While set, details requests fail as if the network were down. */
  let detailsDown: boolean;
  let client: CrystalClient;
  const open: Array<{ close(): void }> = [];

  beforeEach(async () => {
    vt = createVirtualTime();
    detailsDown = false;
    api = await startSimulatedApiInVirtualTime(vt, { seed: 'sync-resume', callsPerDay: 800 });
    client = {
      ...api.client,
      getCallDetails: (q, o) =>
        detailsDown
          ? Promise.reject(new AppError('NETWORK', 'The network is down.'))
          : api.client.getCallDetails(q, o),
    };
    record = insertSchoolProfile(api);
  });
  afterEach(async () => {
    for (const o of open.splice(0)) o.close();
    await api.close();
  });

  const nowSec = () => Math.floor(vt.clock() / 1000);

  /** An engine as the CLI makes one (no timers), for the profile or for an ad-hoc account. */
  function cliEngine(profile: string | null = record.id): SyncEngine {
    const engine = createSyncEngine({
      db: api.db,
      client,
      appid: api.sim.appid,
      profile,
      plan: api.plan,
      clock: vt.clock,
      quota: () => api.limiter.state(),
    });
    open.push(engine);
    return engine;
  }

  function service(): SyncService {
    const s = createSyncService({
      db: api.db,
      connection: () => ({ profile: record, client, limiter: api.limiter, plan: api.plan }),
      clock: vt.clock,
      timers: vt.timers,
      activeProfile: () => record.id,
      profileForAppid: (appid) => (appid === record.appid ? record.id : undefined),
    });
    open.push(s);
    return s;
  }

  /**
   * Calls of the simulator's truth in range that the archive lists, and those it misses outside
   * the crowded seconds a job reported (a call in such a second may be missed, and says so).
   */
  function listedIn(
    fromTs: number,
    toTs: number,
    notes: SyncJobStatus['notes'] = [],
  ): { listed: number; missing: string[] } {
    const store = createCallArchiveStore(api.db);
    const crowded = new Set(
      notes.flatMap((n) => (n.code === 'crowdedSecond' ? [n.params.atTs] : [])),
    );
    const truth = api.sim.truth({ startTs: fromTs, endTs: toTs });
    const missing = truth.filter(
      (c) => store.getCall(api.sim.appid, c.call_id, false) === undefined,
    );
    return {
      listed: truth.length - missing.length,
      missing: missing.filter((c) => !crowded.has(c.created_ts)).map((c) => c.call_id),
    };
  }

  it('resumes a rerun of a relative range (-2h .. now) cut short while listing, and lists the new part too', async () => {
    const first = cliEngine();
    const fromTs = nowSec() - 2 * HOUR;
    const started = first.start({ fromTs, toTs: nowSec(), maxDetailsRequests: 0 });
    await vt.runUntil(
      () => createSyncJobStore(api.db).get(started.jobId)!.listRequests >= 3,
      'some listing',
    );
    // Killed: the job stays running in the file.
    first.close();
    vt.jump(15 * MIN_MS);

    const again = cliEngine();
    const rerun = again.start({
      fromTs: nowSec() - 2 * HOUR,
      toTs: nowSec(),
      maxDetailsRequests: 0,
    });
    expect(rerun.jobId).toBe(started.jobId);
    expect(rerun.fromTs).toBe(fromTs);
    expect(rerun.toTs).toBe(nowSec());
    const status = await vt.run(again.settled(rerun.jobId));
    expect(status.state).toBe('done');
    expect(createSyncJobStore(api.db).recent(10)).toHaveLength(1);
    // Everything from the first start to the rerun's end, the 15 new minutes included.
    const { listed, missing } = listedIn(fromTs, status.toTs, status.notes);
    expect(missing).toEqual([]);
    expect(listed).toBeGreaterThan(0);
    expect(listedIn(started.toTs, status.toTs).listed).toBeGreaterThan(0);
  });

  it('resumes a job that failed fetching details, listing what came after its old end', async () => {
    const first = cliEngine();
    const fromTs = nowSec() - 3 * HOUR;
    detailsDown = true;
    const failed = await vt.run(first.settled(first.start({ fromTs, toTs: nowSec() }).jobId));
    expect(failed).toMatchObject({ state: 'failed', phase: 'details', error: { code: 'NETWORK' } });
    detailsDown = false;
    vt.jump(30 * MIN_MS);

    const rerun = first.start({ fromTs: nowSec() - 3 * HOUR, toTs: nowSec() });
    expect(rerun.jobId).toBe(failed.jobId);
    const done = await vt.run(first.settled(rerun.jobId));
    expect(done.state).toBe('done');
    expect(done.toTs).toBeGreaterThan(failed.toTs);
    expect(listedIn(fromTs, done.toTs, done.notes).missing).toEqual([]);
    // Notes are about this pass: the failures of the first one are gone.
    expect(done.notes.map((n) => n.code)).not.toContain('detailsFailed');
    expect(done.plan.callsFull).toBeGreaterThan(0);
  });

  it('resumes at start-up what a quit or crash left running, and adopts an abandoned CLI job', async () => {
    const jobs = createSyncJobStore(api.db);
    // The app quit mid-sync.
    const app = service();
    const own = app.start({ fromTs: nowSec() - 2 * HOUR, toTs: nowSec(), maxDetailsRequests: 0 });
    await vt.runUntil(() => jobs.get(own.jobId)!.listRequests >= 2, 'some listing');
    app.close();
    // A CLI run for an ad-hoc account of the same App ID was killed long ago ...
    const cli = cliEngine(null);
    const orphan = cli.start({ fromTs: nowSec() - 5 * HOUR, toTs: nowSec() - 4 * HOUR });
    await vt.runUntil(() => jobs.get(orphan.jobId)!.listRequests >= 1, 'the CLI listing');
    cli.close();
    vt.jump(60 * MIN_MS);
    // ... while another is running right now (it saved a moment ago).
    const busy = jobs.create(
      {
        appid: api.sim.appid,
        profile: null,
        fromTs: nowSec() - 8 * HOUR,
        toTs: nowSec() - 7 * HOUR,
        cname: null,
        maxDetails: null,
      },
      vt.clock(),
    );
    expect(jobs.get(own.jobId)?.state).toBe('running');

    const restarted = service();
    restarted.resumeOpen();
    // Each ends its pass: done, or waiting to look again at calls still running.
    const ended = (id: number) => jobs.get(id)!.state !== 'running';
    await vt.runUntil(() => ended(own.jobId) && ended(orphan.jobId), 'both resumed jobs');
    for (const id of [own.jobId, orphan.jobId]) {
      expect(['done', 'waiting']).toContain(jobs.get(id)?.state);
      expect(jobs.get(id)?.error).toBeNull();
    }
    expect(jobs.get(orphan.jobId)?.profile).toBe(record.id);
    expect(jobs.get(busy.id)).toMatchObject({ state: 'running', profile: null, listRequests: 0 });
  });

  it('lists only the active profile’s jobs when no job is named', () => {
    const jobs = createSyncJobStore(api.db);
    const job = (profile: string | null) =>
      jobs.create(
        { appid: api.sim.appid, profile, fromTs: 1, toTs: 2, cname: null, maxDetails: null },
        vt.clock(),
      ).id;
    const mine = job(record.id);
    job(null);
    createProfileStore(api.db).insert({ ...record, id: 'school-b', name: 'B', active: false });
    job('school-b');
    const s = service();
    expect(s.status(undefined, 20).map((j) => j.jobId)).toEqual([mine]);
  });
});

// Test fixture for the sync engine: a seeded simulator on loopback with rate-scaled limits, and a
// real client + quota limiter against it, over a temp-dir SQLite file. Used by tests only.
// Tests pass their time: a fixed start plus the time elapsed (fixedStartClock; real timers pace
// requests), or a virtual clock and timers they drive (virtual-time.ts), so the data are the same
// on every run whatever the date.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BETA_PLAN, scalePlanRates, type PlanLimits } from '../../shared/api-limits.ts';
import { startSimulator, type SimulatorHandle } from '../../simulator/index.ts';
import { builtInAccount } from '../api/api-connection.ts';
import type { CrystalClient } from '../api/crystal-client-types.ts';
import { createCrystalClient } from '../api/crystal-client.ts';
import type { Timers } from '../core/timers.ts';
import { createQuotaLimiter, type QuotaLimiter } from '../quota/index.ts';
import { createProfileStore, openDatabase, type Db, type ProfileRecord } from '../store/index.ts';
import { VIRTUAL_START_MS, type VirtualTime } from './virtual-time.ts';

export interface SimulatedApi {
  client: CrystalClient;
  limiter: QuotaLimiter;
  plan: PlanLimits;
  sim: SimulatorHandle;
  dir: string;
  db: Db;
  clock: () => number;
  close(): Promise<void>;
}

export interface SimulatedApiOptions {
  seed?: string;
  callsPerDay?: number;
  /** Per-second limits this many times faster (default 50; 1 with a virtual clock). */
  rateScale?: number;
  /**
   * Unix ms for the simulator, the client and the limiter (e.g. fixedStartClock()). Default the
   * wall clock, kept only for the export tests' fixture, which reads Date.now itself.
   */
  clock?: () => number;
  /** The limiter's timers (default Node's). */
  timers?: Timers;
  fetch?: typeof globalThis.fetch;
}

/** A fixed start plus the real time elapsed since this was called (Unix ms). */
export function fixedStartClock(startMs = VIRTUAL_START_MS): () => number {
  const began = performance.now();
  return () => startMs + Math.floor(performance.now() - began);
}

export async function startSimulatedApi(options: SimulatedApiOptions = {}): Promise<SimulatedApi> {
  const rateScale = options.rateScale ?? 50;
  const plan = rateScale === 1 ? BETA_PLAN : scalePlanRates(BETA_PLAN, rateScale);
  const clock = options.clock ?? Date.now;
  const sim = await startSimulator({
    seed: options.seed ?? 'sync-test',
    callsPerDay: options.callsPerDay ?? 800,
    plan,
    clock,
  });
  const dir = mkdtempSync(join(tmpdir(), 'crystal-desk-sync-'));
  const db = openDatabase({ file: join(dir, 'archive.sqlite') });
  const account = builtInAccount(sim);
  const limiter = createQuotaLimiter({
    customerId: account.customerId,
    plan,
    db,
    clock,
    ...(options.timers ? { timers: options.timers } : {}),
  });
  const client = createCrystalClient({
    ...account,
    limiter,
    plan,
    clock,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return {
    client,
    limiter,
    plan,
    sim,
    dir,
    db,
    clock,
    async close() {
      limiter.close();
      db.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The simulated API at the plan's real rates, on virtual time that the test drives. */
export function startSimulatedApiInVirtualTime(
  vt: VirtualTime,
  options: Pick<SimulatedApiOptions, 'seed' | 'callsPerDay'>,
): Promise<SimulatedApi> {
  return startSimulatedApi({
    ...options,
    rateScale: 1,
    clock: vt.clock,
    timers: vt.timers,
    fetch: vt.fetch,
  });
}

/** Saves an active API profile "School A" for the simulated account, as the app would. */
export function insertSchoolProfile(api: SimulatedApi): ProfileRecord {
  const now = api.clock();
  const record: ProfileRecord = {
    id: 'school-a',
    name: 'School A',
    kind: 'api',
    appid: api.sim.appid,
    customerId: api.sim.credentials.customerId,
    baseUrl: api.sim.url,
    plan: api.plan.name,
    active: true,
    createdAt: now,
    updatedAt: now,
  };
  createProfileStore(api.db).insert(record);
  return record;
}

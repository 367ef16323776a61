// Test fixture for the sync engine: a seeded simulator on loopback with rate-scaled limits, and a
// real client + quota limiter against it, over a temp-dir SQLite file. Used by tests only.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BETA_PLAN, scalePlanRates, type PlanLimits } from '../../shared/api-limits.ts';
import { startSimulator, type SimulatorHandle } from '../../simulator/index.ts';
import { createCrystalClient } from '../api/crystal-client.ts';
import type { CrystalClient } from '../api/crystal-client-types.ts';
import { createQuotaLimiter, type QuotaLimiter } from '../quota/index.ts';
import { openDatabase, type Db } from '../store/index.ts';

export interface SimulatedApi {
  sim: SimulatorHandle;
  plan: PlanLimits;
  dir: string;
  db: Db;
  client: CrystalClient;
  limiter: QuotaLimiter;
  close(): Promise<void>;
}

export async function startSimulatedApi(
  options: { seed?: string; callsPerDay?: number; rateScale?: number } = {},
): Promise<SimulatedApi> {
  const rateScale = options.rateScale ?? 50;
  const plan = scalePlanRates(BETA_PLAN, rateScale);
  const sim = await startSimulator({
    seed: options.seed ?? 'sync-test',
    callsPerDay: options.callsPerDay ?? 800,
    plan,
  });
  const dir = mkdtempSync(join(tmpdir(), 'crystal-desk-sync-'));
  const db = openDatabase({ file: join(dir, 'archive.sqlite') });
  const limiter = createQuotaLimiter({ customerId: sim.credentials.customerId, plan, db });
  const client = createCrystalClient({
    baseUrl: sim.url,
    appid: sim.appid,
    customerId: sim.credentials.customerId,
    getSecret: () => sim.credentials.secret,
    limiter,
    plan,
  });
  return {
    sim,
    plan,
    dir,
    db,
    client,
    limiter,
    async close() {
      limiter.close();
      db.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

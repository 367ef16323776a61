// Test fixture for the sync engine: a seeded simulator on loopback with rate-scaled limits, and a
// real client + quota limiter against it, over a temp-dir SQLite file. Used by tests only.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BETA_PLAN, scalePlanRates } from '../../shared/api-limits.ts';
import { startSimulator, type SimulatorHandle } from '../../simulator/index.ts';
import { builtInAccount, connectToApi, type ApiConnection } from '../api/api-connection.ts';
import { openDatabase, type Db } from '../store/index.ts';

export interface SimulatedApi extends Omit<ApiConnection, 'close'> {
  sim: SimulatorHandle;
  dir: string;
  db: Db;
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
  const api = connectToApi({ ...builtInAccount(sim), plan, db });
  return {
    ...api,
    sim,
    dir,
    db,
    async close() {
      api.close();
      db.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

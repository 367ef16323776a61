import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BETA_PLAN, DAY_MS, scalePlanRates, type PlanLimits } from '../../shared/api-limits.ts';
import { AppError } from '../../shared/errors.ts';
import { startSimulator, type SimulatorHandle } from '../../simulator/index.ts';
import { builtInAccount, connectToApi } from '../api/api-connection.ts';
import type { RequestPriority } from '../api/crystal-client-types.ts';
import { openDatabase, type Db } from '../store/index.ts';

const CUSTOMER = { customerId: 'quota-customer', secret: 'quota-test-secret-91c' };
const nowSec = () => Math.floor(Date.now() / 1000);

describe('quota limiter against the simulator', () => {
  let dir: string;
  let sim: SimulatorHandle | undefined;
  const open: Array<{ close(): void }> = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crystal-desk-quota-http-'));
  });
  afterEach(async () => {
    while (open.length > 0) open.pop()!.close();
    await sim?.close();
    sim = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function setup(plan: PlanLimits, db?: Db) {
    sim ??= await startSimulator({ credentials: CUSTOMER, plan, seed: 'quota-tests' });
    const api = connectToApi({ ...builtInAccount(sim), plan, db });
    open.push(api);
    return { sim, limiter: api.limiter, client: api.client };
  }

  it('finishes a burst of 200 interactive and background requests with zero 429s, interactive first', async () => {
    const plan = scalePlanRates(BETA_PLAN, 20);
    const { sim, client } = await setup(plan);
    const done: Record<'lists' | 'details', RequestPriority[]> = { lists: [], details: [] };
    const base = nowSec() - 3600;
    const burst: Array<Promise<unknown>> = [];
    const issue = (priority: RequestPriority, i: number) => {
      if (i % 4 === 0) {
        const callId = (i + 1).toString(16).padStart(24, '0');
        burst.push(
          client
            .getCallDetails({ callId, startTs: base, endTs: base + 600 }, { priority })
            .then(() => done.details.push(priority)),
        );
      } else {
        burst.push(
          client
            .listCalls({ startTs: base - i, endTs: base }, { priority })
            .then(() => done.lists.push(priority)),
        );
      }
    };
    // Background sync asks first; the agent's clicks arrive in the same moment.
    for (let i = 0; i < 100; i++) issue('background', i);
    for (let i = 100; i < 200; i++) issue('interactive', i);
    await Promise.all(burst);

    const stats = sim.stats().endpoints;
    expect(stats.callLists.accepted).toBe(150);
    expect(stats.callDetails.accepted).toBe(50);
    for (const endpoint of [stats.callLists, stats.callDetails]) {
      expect(endpoint.rejected.rate_limited).toBe(0);
      expect(endpoint.rejected.quota).toBe(0);
    }
    for (const [name, order] of Object.entries(done)) {
      const lastInteractive = order.lastIndexOf('interactive');
      const backgroundBefore = order
        .slice(0, lastInteractive)
        .filter((p) => p === 'background').length;
      // At most one rate window's worth of background requests was already on its way.
      expect(backgroundBefore, name).toBeLessThanOrEqual(name === 'lists' ? 3 : 1);
    }
  });

  it('shares one request among identical ones in flight', async () => {
    const { sim, client } = await setup(BETA_PLAN);
    const query = { startTs: nowSec() - 600, endTs: nowSec() - 60 };
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => client.listCalls(query)));
    expect(new Set(answers).size).toBe(1);
    expect(sim.stats().endpoints.callLists.accepted).toBe(1);
  });

  it('keeps the daily count across a restart and refuses locally what would break the quota', async () => {
    const plan = scalePlanRates(BETA_PLAN, 600); // usage/by_time: one request per 100 ms
    const file = join(dir, 'quota.sqlite');
    const query = { startTs: nowSec() - 86400, endTs: nowSec(), metrics: ['userCount' as const] };
    const first = Date.now();

    const db1 = openDatabase({ file });
    const run1 = await setup(plan, db1);
    for (let i = 0; i < 10; i++) {
      await run1.client.usageByTime({ ...query, startTs: query.startTs - i });
    }
    run1.limiter.close();
    db1.close();

    const db2 = openDatabase({ file });
    open.push(db2);
    const run2 = await setup(plan, db2);
    expect(run2.limiter.state().endpoints.usageByTime).toMatchObject({
      used: 10,
      remaining: 0,
    });
    const refused = await run2.client.usageByTime(query).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({
      code: 'QUOTA_EXHAUSTED',
      details: { delivery: 'not_sent', endpoint: 'usageByTime', used: 10, limit: 10 },
    });
    const retryAt = (refused as AppError).retryAt!;
    expect(retryAt).toBeGreaterThanOrEqual(first + DAY_MS);
    expect(retryAt).toBeLessThanOrEqual(Date.now() + DAY_MS + 60_000);
    const stats = run2.sim.stats().endpoints.usageByTime;
    expect(stats.accepted).toBe(10);
    expect(Object.values(stats.rejected).reduce((a, b) => a + b, 0)).toBe(0);
  });
});

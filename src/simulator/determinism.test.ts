// Same seed, same bodies: two servers started apart serve byte-identical answers.

import { describe, expect, it } from 'vitest';
import { ENDPOINT_PATHS } from '../shared/api-limits.ts';
import type { WireCallLists } from '../shared/api-wire.ts';
import { startSimulator, type SimulatorHandle } from './index.ts';
import { call } from './test-http-client.ts';

const NOW_MS = Date.UTC(2025, 4, 14, 10, 30, 0);
const NOW = NOW_MS / 1000;

/** The bodies of one list, one details and one usage request against a fresh simulator. */
async function bodies(seed: string): Promise<string[]> {
  let now = NOW_MS;
  const sim: SimulatorHandle = await startSimulator({ seed, clock: () => (now += 61_000) });
  try {
    const list = await call(sim, ENDPOINT_PATHS.callLists, {
      start_ts: NOW - 7200,
      end_ts: NOW - 3600,
    });
    const first = list.json<WireCallLists>().call_lists[0]!;
    const details = await call(sim, ENDPOINT_PATHS.callDetails, {
      call_id: first.call_id,
      start_ts: first.created_ts,
      end_ts: first.destroyed_ts,
    });
    const usage = await call(sim, ENDPOINT_PATHS.usageByTime, {
      start_ts: NOW - 5 * 86400,
      end_ts: NOW,
      metric: 'userCount,sessionCount,channelCount',
    });
    return [list.text, details.text, usage.text];
  } finally {
    await sim.close();
  }
}

describe('determinism', () => {
  it('gives identical bodies from two servers started with the same seed', async () => {
    const a = await bodies('same');
    const b = await bodies('same');
    expect(b).toEqual(a);
    expect(JSON.parse(a[1]!).metrics.length).toBeGreaterThan(0);
  });

  it('gives different data for a different seed', async () => {
    const a = await bodies('same');
    const c = await bodies('different');
    expect(c[0]).not.toEqual(a[0]);
    expect(c[2]).not.toEqual(a[2]);
  });
});

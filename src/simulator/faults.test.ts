// Injected faults of every kind, their seeded replay, and refusing connections via stop()/start().

import { afterEach, describe, expect, it } from 'vitest';
import { ENDPOINT_PATHS } from '../shared/api-limits.ts';
import { startSimulator, type FaultOptions, type SimulatorHandle } from './index.ts';
import { call, rawRequest } from './test-http-client.ts';

const START_MS = Date.UTC(2025, 4, 14, 10, 30, 0);
let now = START_MS;
let sim: SimulatorHandle | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function open(faults: FaultOptions, seed = 'faults'): Promise<SimulatorHandle> {
  now = START_MS;
  sim = await startSimulator({ seed, faults, clock: () => (now += 1000) });
  return sim;
}

const nowSec = (): number => Math.floor(START_MS / 1000);
const list = (s: SimulatorHandle) =>
  call(s, ENDPOINT_PATHS.callLists, { start_ts: nowSec() - 3600, end_ts: nowSec() });
const report = (s: SimulatorHandle) =>
  call(
    s,
    ENDPOINT_PATHS.feedbackReport,
    {},
    {
      method: 'POST',
      body: JSON.stringify({ cname: 'c', teacher_uid: 1, type: 3 }),
    },
  );

describe('fault injection', () => {
  it('answers 500 with a JSON body and records no feedback', async () => {
    const s = await open({ error500: 1 });
    const res = await list(s);
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ code: 500, message: expect.any(String) });
    expect((await report(s)).status).toBe(500);
    expect(s.feedbackReports()).toHaveLength(0);
    expect(s.stats().endpoints.callLists.rejected.fault_500).toBe(1);
  });

  it('sends a body that is not JSON when malformed', async () => {
    const s = await open({ malformed: 1 });
    const res = await list(s);
    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.text)).toThrow();
    expect(s.stats().endpoints.callLists.faults.malformed).toBe(1);
  });

  it('cuts the body short and closes the connection when truncated', async () => {
    const s = await open({ truncated: 1 });
    await expect(list(s)).rejects.toThrow();
    expect(s.stats().endpoints.callLists.faults.truncated).toBe(1);
    expect(s.stats().endpoints.callLists.accepted).toBe(1);
  });

  it('holds a slow answer back while later requests are answered, then delivers it intact', async () => {
    const s = await open({ slow: 1, slowMs: 1000 });
    const order: string[] = [];
    const slow = list(s).then((res) => {
      order.push('slow answer');
      return res;
    });
    // Control routes are never faulted. Once the stats say the slow request was handled, its
    // answer is being held back: the stats request, sent after it, is answered first.
    await expect
      .poll(async () => {
        const stats = await call(s, '/__sim/stats');
        order.push('stats answer');
        return stats.json<{ endpoints: { callLists: { faults: { slow?: number } } } }>().endpoints
          .callLists.faults.slow;
      })
      .toBe(1);
    // Requests sent only after that, one after another, are answered while it still waits.
    for (let i = 0; i < 3; i++) {
      expect((await call(s, '/__sim/stats')).status).toBe(200);
      order.push('later stats answer');
    }
    expect(order).not.toContain('slow answer');
    const res = await slow;
    expect(order.at(-1)).toBe('slow answer');
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ code: 200, has_more: expect.any(Boolean) });
  });

  it('drops the connection before reading the body: nothing is recorded', async () => {
    const s = await open({ dropBeforeBody: 1 });
    await expect(report(s)).rejects.toThrow();
    expect(s.feedbackReports()).toHaveLength(0);
    expect(s.stats().endpoints.feedbackReport.rejected.fault_drop_before_body).toBe(1);
  });

  it('drops the connection after processing: the report is recorded but the client never hears', async () => {
    const s = await open({ dropAfterProcessing: 1 });
    await expect(report(s)).rejects.toThrow();
    expect(s.feedbackReports()).toHaveLength(1);
    expect(s.stats().feedback_reports).toBe(1);
    expect(s.stats().endpoints.feedbackReport.faults.drop_after_processing).toBe(1);
  });

  it('replays the same fault sequence for the same seed', async () => {
    const outcomes = async (seed: string): Promise<string[]> => {
      const s = await open({ error500: 0.3, malformed: 0.3, dropBeforeBody: 0.2 }, seed);
      const seen: string[] = [];
      for (let i = 0; i < 24; i++) {
        try {
          const res = await report(s);
          seen.push(
            res.status === 200
              ? res.text.startsWith('{') && res.text.includes('<html>')
                ? 'malformed'
                : 'ok'
              : String(res.status),
          );
        } catch {
          seen.push('dropped');
        }
      }
      await s.close();
      sim = undefined;
      return seen;
    };
    const a = await outcomes('replay');
    expect(new Set(a).size).toBeGreaterThanOrEqual(3);
    expect(await outcomes('replay')).toEqual(a);
    expect(await outcomes('other-seed')).not.toEqual(a);
  });
});

describe('refusing connections', () => {
  it('refuses connections after stop() and serves again on the same port after start(), state kept', async () => {
    const s = await open({});
    expect((await report(s)).status).toBe(200);
    const port = s.port;
    await s.stop();
    await expect(report(s)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await s.start();
    expect(s.port).toBe(port);
    expect((await report(s)).status).toBe(200);
    expect(s.feedbackReports()).toHaveLength(2);
    expect(s.stats().endpoints.feedbackReport.accepted).toBe(2);
  });

  it('refuses connections for good after close()', async () => {
    const s = await open({});
    await s.close();
    await expect(
      rawRequest(new URL('/__sim/stats', s.url), s.authorization()),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(s.start()).rejects.toThrow(/closed/);
    sim = undefined;
  });
});
